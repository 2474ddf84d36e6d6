"""PNG files from rows of 8-bit RGB pixels: the one place flowmap writes PNG bytes.

A PNG's pixels are one zlib stream. It may be compressed in parts, each part in a process of its
own, and joined here (the way ``pigz`` does it): every part but the last ends on a byte boundary
without a final block, the last one ends the stream, and the Adler-32 checksums of the parts are
combined into the whole stream's checksum. No row filter, deflate level 1: the pixels are mostly
flat colour, and a stronger level costs several times the time for a file a third smaller.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

MOD_ADLER = 65521  # the largest prime below 2**16: Adler-32 sums are kept modulo it


def deflater():
    """The fastest zlib-compatible compressor at hand: ISA-L's (``isal``, several times zlib's
    speed at the same level and a similar size: 0.018 s against 0.104 s for a 20-megapixel
    sheet), else zlib's."""
    try:
        from isal import isal_zlib

        return isal_zlib
    except ImportError:  # a platform without an isal wheel: the same PNG, slower
        return zlib


@dataclass
class Part:
    """Compressed rows: raw deflate data, the Adler-32 of the rows it holds and their length."""

    data: bytes
    adler: int
    length: int


def packed(blocks: Iterable[memoryview], last: bool) -> Part:
    """``blocks`` of rows, each row already led by its filter byte, as a :class:`Part`: ending
    the stream if ``last``, else flushed to a byte boundary so that another part can follow."""
    compressor = deflater()
    packer = compressor.compressobj(1, zlib.DEFLATED, -15)  # raw deflate: no header, no checksum
    parts, adler, length = [], 1, 0
    for block in blocks:
        adler = compressor.adler32(block, adler)
        length += len(block)
        parts.append(packer.compress(block))
    parts.append(packer.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH))
    return Part(b"".join(parts), adler, length)


def combined_adler(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two pieces of data one after the other, from the checksum of each and the
    length of the second (zlib's ``adler32_combine``)."""
    low = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % MOD_ADLER
    high = (
        second_length * (first & 0xFFFF)
        + (first >> 16)
        + (second >> 16)
        - second_length
        + MOD_ADLER * second_length  # kept positive
    ) % MOD_ADLER
    return low | high << 16


def png_of_parts(parts: list[Part], width: int, height: int, dpi: int) -> bytes:
    """A PNG of ``height`` rows of ``width`` RGB pixels compressed in ``parts`` (all but the last
    flushed, the last one ended), marked ``dpi`` dots per inch."""
    adler = 1
    for part in parts:
        adler = combined_adler(adler, part.adler, part.length)
    stream = b"".join((b"\x78\x01", *(part.data for part in parts), struct.pack(">I", adler)))
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )


def png_bytes(rgb, width: int, height: int, stride: int, dpi: int) -> bytes:
    """Rows of 8-bit RGB pixels (``stride`` bytes apart) as PNG bytes marked ``dpi``."""
    pixels, row = memoryview(rgb).cast("B"), 3 * width
    filtered = bytearray((row + 1) * height)  # each row led by its filter byte, 0: none
    view = memoryview(filtered)
    for at in range(height):
        view[at * (row + 1) + 1 : (at + 1) * (row + 1)] = pixels[at * stride : at * stride + row]
    return png_of_parts([packed([view], last=True)], width, height, dpi)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
