"""A large PNG drawn by two processes at once: the same pixels as drawn by one, a valid file."""

from __future__ import annotations

import io
import os
import random
import sys
import zlib

import pytest

from flowmap.render import png_file, rasterise
from tests.render.conftest import needs_dot

PIL = pytest.importorskip("PIL.Image", reason="Pillow is not installed")


@pytest.mark.parametrize("cut", [0, 1, 7, 65521, 65522, 200_000])
def test_checksums_of_two_parts_combine_into_the_checksum_of_the_whole(cut):
    data = random.Random(cut).randbytes(200_000)
    first, second = zlib.adler32(data[:cut]), zlib.adler32(data[cut:])
    assert png_file.combined_adler(first, second, len(data) - cut) == zlib.adler32(data)


def test_rows_packed_in_parts_make_one_valid_png():
    """Parts compressed apart (all but the last flushed) join into one zlib stream whose
    checksum zlib itself verifies; the image has every row, in order."""
    width, height = 50, 9
    rows = [bytes([0]) + random.Random(at).randbytes(3 * width) for at in range(height)]
    parts = [
        png_file.packed([memoryview(b"".join(rows[:4]))], last=False),
        png_file.packed([memoryview(rows[4]), memoryview(b"".join(rows[5:8]))], last=False),
        png_file.packed([memoryview(rows[8])], last=True),
    ]
    png = png_file.png_of_parts(parts, width, height, 150)
    image = PIL.open(io.BytesIO(png))
    image.load()  # Pillow checks each chunk's CRC
    assert image.size == (width, height) and round(image.info["dpi"][0]) == 150
    assert image.tobytes() == b"".join(row[1:] for row in rows)
    stream = png[png.index(b"IDAT") + 4 : png.index(b"IEND") - 8]
    assert zlib.decompress(stream) == b"".join(rows)  # raises on a wrong Adler-32


def _sheet_pdf() -> bytes:
    from flowmap.render.graphviz_run import run_dot

    boxes = " ".join(
        f'b{i} [shape=box, style="filled,rounded", fillcolor="#0072B2", color="#000000", '
        f'pos="{40 + 30 * i},{30 + 40 * i}", width=0.8, height=0.6, fixedsize=true, '
        f'label="Step {i}"];'
        for i in range(10)
    )
    lanes = " ".join(
        f'l{i} [shape=box, style=filled, fillcolor="#F4F4F4", color="#5A5A5A", '
        f'pos="200,{40 * i + 20}", width=5.4, height=0.55, fixedsize=true, label=""];'
        for i in range(10)
    )
    source = f'digraph g {{ graph [bb="0,0,400,420", pad="0"]; {lanes} {boxes} }}'
    return run_dot(source, ["pdf"]).outputs["pdf"]


def _two_processes(monkeypatch) -> list[int]:
    """Let ``pdf_to_png`` share any page out (in this test process too); the children forked."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a page is drawn by two processes only on Linux")
    forked: list[int] = []
    real_fork = os.fork

    def fork():
        child = real_fork()
        if child:
            forked.append(child)
        return child

    monkeypatch.setattr(rasterise, "SHARED_PIXELS", 1)
    monkeypatch.setattr(rasterise, "_forkable", lambda processes: True)
    monkeypatch.setattr(os, "fork", fork)
    return forked


@needs_dot
def test_a_page_drawn_by_two_processes_has_the_pixels_of_one(monkeypatch):
    pytest.importorskip("pypdfium2_raw")
    pdf = _sheet_pdf()
    monkeypatch.setattr(rasterise, "BAND_ROWS", 37)  # bands, and the halves, cut through boxes
    alone, dpi = rasterise.pdf_to_png(pdf, 144)
    forked = _two_processes(monkeypatch)
    shared, shared_dpi = rasterise.pdf_to_png(pdf, 144, processes=2)
    assert len(forked) == 1 and dpi == shared_dpi == 144
    one, two = PIL.open(io.BytesIO(alone)), PIL.open(io.BytesIO(shared))
    assert one.size == two.size == (922, 968)  # 400 x 420 points and a margin, 2 px a point
    assert one.tobytes() == two.tobytes()
    assert two.getpixel((300, 130)) == (0xF4, 0xF4, 0xF4)  # a lane in the top half
    assert two.getpixel((90, 865)) == (0x00, 0x72, 0xB2)  # a box in the bottom half


@needs_dot
def test_when_the_second_process_fails_this_one_draws_its_half(monkeypatch):
    pytest.importorskip("pypdfium2_raw")
    pdf = _sheet_pdf()
    alone, _ = rasterise.pdf_to_png(pdf, 144)
    forked = _two_processes(monkeypatch)
    parent = os.getpid()
    real_packed = png_file.packed

    def packed(blocks, last):
        if os.getpid() != parent:
            raise MemoryError("the copy ran out of memory")
        return real_packed(blocks, last)

    monkeypatch.setattr(png_file, "packed", packed)
    shared, _ = rasterise.pdf_to_png(pdf, 144, processes=2)
    assert len(forked) == 1
    assert PIL.open(io.BytesIO(shared)).tobytes() == PIL.open(io.BytesIO(alone)).tobytes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="shared out on Linux only")
@needs_dot
def test_a_second_process_that_hangs_is_stopped_and_its_half_drawn_here(monkeypatch):
    import time

    pytest.importorskip("pypdfium2_raw")
    pdf = _sheet_pdf()
    alone, _ = rasterise.pdf_to_png(pdf, 144)
    forked = _two_processes(monkeypatch)
    monkeypatch.setattr(rasterise, "COPY_PATIENCE", 0.5)
    parent = os.getpid()
    real_packed = png_file.packed

    def packed(blocks, last):
        if os.getpid() != parent:
            time.sleep(60)
        return real_packed(blocks, last)

    monkeypatch.setattr(png_file, "packed", packed)
    started = time.perf_counter()
    shared, _ = rasterise.pdf_to_png(pdf, 144, processes=2)
    assert time.perf_counter() - started < 10
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # stopped and waited for: nothing left behind
        os.waitpid(forked[0], os.WNOHANG)
    assert PIL.open(io.BytesIO(shared)).tobytes() == PIL.open(io.BytesIO(alone)).tobytes()


def test_a_process_with_other_threads_is_not_copied(monkeypatch):
    import threading

    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not rasterise._forkable(2)
    finally:
        stop.set()
        other.join()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="shared out on Linux only")
def test_half_a_page_goes_to_a_second_core_only_while_one_is_free(monkeypatch):
    import threading

    # Only the load decides here: a test runner's own threads (pytest-xdist) are not the
    # rendering process's (the test above covers those).
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 0.5, 0.5))  # this process and some
    assert rasterise._forkable(2)
    monkeypatch.setattr(os, "getloadavg", lambda: (2.5, 0.5, 0.5))  # two cores, both busy
    assert not rasterise._forkable(2)
