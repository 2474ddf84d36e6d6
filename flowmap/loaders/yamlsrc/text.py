"""Checking the bytes of a file before they are parsed: size, encoding (UTF-8, not UTF-16 or
UTF-32), and binary junk, each refused with a line, a column and what to do."""

from __future__ import annotations

from flowmap.loaders.yamlsrc.values import YamlError, YamlProblem

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes are text in one of them (by its byte-order mark, or
    by the zero bytes beside each ASCII letter that such a file without a mark has)."""
    if data.startswith((b"\xff\xfe\0\0", b"\0\0\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = data[:4096]
    if len(head) < 4:
        return None
    if head[1::2].count(0) > 0.9 * len(head[1::2]) or head[::2].count(0) > 0.9 * len(head[::2]):
        return "UTF-32" if head.count(0) > 0.7 * len(head) else "UTF-16"  # 3 of 4 bytes, or 1 of 2
    return None


def check_text(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode file contents, refusing what is not a reasonable YAML text file."""
    if len(data) > max_bytes:
        raise YamlError(
            YamlProblem(
                1,
                1,
                f"file is {len(data) / 2**20:.1f} MiB, above the limit of {max_bytes / 2**20:.0f} MiB",
                "split the process into subprocesses, or raise max-file-size in the configuration",
                fatal=True,
            )
        )
    wide = _wide_encoding(data)
    if wide:
        raise YamlError(
            YamlProblem(
                1,
                1,
                f"the file is {wide} text; flowmap reads UTF-8",
                f"save it as UTF-8 (an editor's 'Save as' with encoding UTF-8, or "
                f"iconv -f {wide} -t UTF-8 FILE > NEW)",
                fatal=True,
            )
        )
    nul = data.find(b"\0", 0, 8192)
    if nul >= 0:
        raise YamlError(
            YamlProblem(
                1,
                1,
                "this is a binary file, not YAML text",
                "give flowmap a *.flow.yaml, *.org.yaml or BPMN file",
                fatal=True,
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            YamlProblem(
                line,
                column,
                f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                "save the file as UTF-8",
                fatal=True,
            )
        ) from None
    return text
