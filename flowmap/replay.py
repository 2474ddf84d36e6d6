"""A cache hit, answered on Python's own start: the part of the result cache a second
``flowmap analyze`` runs before anything else is imported (:mod:`flowmap.cache` writes entries).

A hit must cost little more than starting Python, so this module imports only ``os`` and ``sys``
(already loaded by Python's start) and :mod:`flowmap.suffixes`; no ``re``, ``json``,
``pathlib``, ``dataclasses``, ``enum`` or ``typing``, no :mod:`flowmap.errors` or
:mod:`flowmap.files`, no OpenSSL. It holds what both sides must agree on:

* the key of a run (:func:`key_of`): flowmap's version and code, the command's options, the
  current folder, the files the paths name (:func:`listing`), the configuration files on the
  way up, and what decides colours;
* the entry's format (:func:`encode`, :func:`decode`): a header line with the key, exit code and
  the length of each part, then the files the run read (path and ``size:BLAKE2b`` of each) and
  what it printed. An entry that is cut short, longer than it says, for another key or malformed
  in any way is not used;
* the content digest (:func:`digest`), and reading a file without blocking on a FIFO or reading
  past a limit (:func:`read_quietly`: a hit never reports, it only misses).
"""

from __future__ import annotations

import os
import sys

from flowmap import __version__
from flowmap.suffixes import SKIPPED_FOLDERS, is_process_file

FOLDER_NAME = ".flowmap_cache"
ENV = "FLOWMAP_CACHE_DIR"
SCHEMA = 2  # 2: this module's format and BLAKE2b digests (1 was JSON and SHA-256)
MAGIC = b"flowmap-cache\n"
SUFFIX = ".entry"
MAX_ENTRY_BYTES = 64 * 2**20  # one entry (the output of one run)
CONFIG_NAMES = ("flowmap.toml", "pyproject.toml")

try:  # BLAKE2b is built into CPython (0.2 ms to import); hashlib would load OpenSSL (3 ms)
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha256 as _hash  # type: ignore[assignment]


def _hexdigest(data: bytes) -> str:
    return _hash(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# Reading files quietly
# ---------------------------------------------------------------------------------------------


def read_quietly(path: str, max_bytes: int, size: int | None = None) -> bytes | None:
    """The bytes of a regular file of at most ``max_bytes`` (and of exactly ``size`` when
    given); None for anything else. Opened without blocking (a FIFO is never waited on) and
    checked on the open descriptor, like :func:`flowmap.files.read_bounded`, but silent."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if (info.st_mode & 0o170000) != 0o100000 or info.st_size > max_bytes:  # S_ISREG
            return None
        if size is not None and info.st_size != size:
            return None
        os.set_blocking(fd, True)
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 22))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= max_bytes else None


def digest(path: str, size: int | None = None) -> str | None:
    """'size:BLAKE2b' of a regular file's content; None for anything else (a FIFO is never
    opened) or when its size is not ``size``."""
    data = read_quietly(path, size if size is not None else 2**40, size)
    return None if data is None else f"{len(data)}:{_hexdigest(data)}"


# ---------------------------------------------------------------------------------------------
# Where the cache lives, and the key of a run
# ---------------------------------------------------------------------------------------------


def folder_for(option: str | None, paths, config_file: str | None = None) -> str:
    """Where the cache lives: ``--cache-dir``, then ``$FLOWMAP_CACHE_DIR``, then beside the
    configuration in force (the ``--config`` file, or the nearest ``flowmap.toml`` or
    ``pyproject.toml`` with ``[tool.flowmap]`` above the first path), then the current folder."""
    if option:
        return option
    if os.environ.get(ENV):
        return os.environ[ENV]
    found = config_file or _nearest_config(paths[0] if paths else ".")
    return os.path.join(os.path.dirname(found) if found else ".", FOLDER_NAME)


def _nearest_config(start: str) -> str | None:
    for candidate in config_candidates(start):
        if candidate.endswith("flowmap.toml"):
            return candidate
        text = read_quietly(candidate, 4 * 2**20)
        if text is not None and b"[tool.flowmap" in text:
            return candidate
    return None


def config_candidates(start: str) -> list[str]:
    """Every configuration file on the way up from ``start`` (the nearest first)."""
    here = os.path.realpath(start)
    if os.path.isfile(here) or not os.path.exists(here):
        here = os.path.dirname(here)
    found = []
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(here, name)
            if os.path.isfile(candidate):
                found.append(candidate)
        parent = os.path.dirname(here)
        if parent == here:
            return found
        here = parent


def listing(paths) -> tuple[list[str], list[tuple[str, str]]]:
    """The process files ``paths`` name, and what a folder search passes over (with why), as
    :func:`flowmap.files.walk` finds them: named files as given; in folders, process files that
    are regular files, hidden and tool folders not entered (a test holds the two together)."""
    found: list[str] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        if not os.path.isdir(raw):
            found.append(raw)
            continue

        def unreadable(exc: OSError, top: str = raw) -> None:
            skipped.append((exc.filename or top, "cannot read the folder"))

        for folder, dirs, names in os.walk(raw, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
            for name in sorted(names):
                if not is_process_file(name):
                    continue
                candidate = os.path.join(folder, name)
                try:
                    mode = os.stat(candidate).st_mode
                except OSError:
                    skipped.append((candidate, "cannot read it"))
                    continue
                if (mode & 0o170000) != 0o100000:
                    skipped.append((candidate, f"not a regular file ({mode & 0o170000:o})"))
                    continue
                found.append(candidate)
    return found, skipped


def key_of(command: str, options: dict, paths, listed, skipped) -> str:
    """The key of a run of ``command`` with ``options`` on ``paths``; ``listed`` and
    ``skipped`` are what :func:`listing` found for them."""
    material = (
        SCHEMA,
        __version__,
        sys.version_info[:2],
        code_stamp(),
        command,
        sorted((name, repr(value)) for name, value in options.items()),
        os.getcwd(),
        list(paths),
        sorted(os.path.realpath(p) for p in listed),
        [(str(p), str(why)) for p, why in skipped],
        config_candidates(paths[0] if paths else "."),
        (
            isatty(sys.stdout),
            isatty(sys.stderr),
            "NO_COLOR" in os.environ,
            os.environ.get("FORCE_COLOR", ""),
        ),
    )
    return _hexdigest(repr(material).encode("utf-8", "surrogatepass"))


PACKAGE = os.path.dirname(os.path.abspath(__file__))


def code_stamp(package: str = PACKAGE) -> tuple:
    """flowmap's code as it is now: a working copy whose code was edited since an entry was
    written (same version number) does not reuse it.

    Installed from a wheel, the code changes only by installing again, which rewrites the
    installation's record (``flowmap-VERSION.dist-info/RECORD``): its identity stands for every
    file (one ``stat``). Anywhere else (a working copy, an editable install) every source file's
    size and time are taken."""
    record = os.path.join(os.path.dirname(package), f"flowmap-{__version__}.dist-info", "RECORD")
    try:
        info = os.stat(record)
        return ("installed", info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        pass
    stamp = []
    stack = [package]
    while stack:
        with os.scandir(stack.pop()) as found:
            for item in found:
                if item.is_dir(follow_symlinks=False) and not item.name.startswith((".", "_")):
                    stack.append(item.path)
                elif item.name.endswith((".py", ".toml", ".yaml")):
                    info = item.stat()
                    stamp.append((item.path, info.st_size, info.st_mtime_ns))
    return tuple(sorted(stamp))


def isatty(stream) -> bool:
    """Whether ``stream`` is a terminal (the text report colours only a terminal)."""
    return bool(getattr(stream, "isatty", None) and stream.isatty())


# ---------------------------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------------------------


class Entry:
    """What one run printed (standard output, standard error, the exit code), and the
    ``size:digest`` of every file it read (by real path)."""

    __slots__ = ("stdout", "stderr", "code", "reads")

    def __init__(self, stdout: str, stderr: str, code: int, reads: dict | None = None):
        self.stdout, self.stderr, self.code = stdout, stderr, code
        self.reads = {} if reads is None else reads

    def __repr__(self) -> str:
        return f"Entry(code={self.code}, {len(self.stdout)} + {len(self.stderr)} characters)"


def entry_path(folder: str, key: str) -> str:
    return os.path.join(folder, key[:2], key + SUFFIX)


def encode(entry: Entry, key: str) -> bytes:
    """The bytes of an entry file."""
    reads = b"".join(
        os.fsencode(path) + b"\0" + value.encode("ascii") + b"\0"
        for path, value in sorted(entry.reads.items())
    )
    err = entry.stderr.encode("utf-8", "surrogatepass")
    out = entry.stdout.encode("utf-8", "surrogatepass")
    header = f"{SCHEMA} {key} {entry.code} {len(reads)} {len(err)} {len(out)}\n"
    return b"".join((MAGIC, header.encode("ascii"), reads, err, out))


def decode(raw: bytes, key: str) -> Entry | None:
    """The entry in ``raw`` when it is whole, well formed and for ``key``; None otherwise."""
    if not raw.startswith(MAGIC):
        return None
    end = raw.find(b"\n", len(MAGIC))
    fields = raw[len(MAGIC) : end].split(b" ") if end > 0 else []
    if len(fields) != 6 or not all(f.isdigit() for f in fields[2:]) or fields[0] != b"%d" % SCHEMA:
        return None
    if fields[1] != key.encode("ascii"):
        return None
    code, sizes = int(fields[2]), [int(f) for f in fields[3:]]
    if code not in (0, 1) or end + 1 + sum(sizes) != len(raw):
        return None
    start = end + 1
    parts = []
    for size in sizes:
        parts.append(raw[start : start + size])
        start += size
    items = parts[0].split(b"\0")
    if items.pop() != b"" or len(items) % 2:
        return None
    reads = {}
    try:
        for path, value in zip(items[::2], items[1::2], strict=True):
            length, colon, hexed = value.decode("ascii").partition(":")
            if not (length.isdigit() and colon and hexed.isalnum()):
                return None
            reads[os.fsdecode(path)] = value.decode("ascii")
        err, out = (part.decode("utf-8", "surrogatepass") for part in parts[1:])
    except (UnicodeDecodeError, ValueError):
        return None
    return Entry(out, err, code, reads)


def lookup(folder: str, key: str) -> Entry | None:
    """The entry of ``key`` if it exists, is intact and every file it read is unchanged."""
    path = entry_path(folder, key)
    raw = read_quietly(path, MAX_ENTRY_BYTES)
    entry = decode(raw, key) if raw is not None else None
    if entry is None:
        return None  # absent, unreadable, cut short or not ours: run as if there were none
    for read, value in entry.reads.items():
        if digest(read, int(value.partition(":")[0])) != value:
            return None
    try:  # noqa: SIM105 (contextlib is not loaded yet)  the oldest entries go first: a hit is new
        os.utime(path)
    except OSError:
        pass
    return entry


def replay(entry: Entry) -> None:
    """Print what a run printed."""
    if entry.stderr:
        sys.stderr.write(entry.stderr)
        sys.stderr.flush()
    if entry.stdout:
        sys.stdout.write(entry.stdout)
        sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# flowmap analyze, read from the command line before click is imported
# ---------------------------------------------------------------------------------------------


def analyze_options(
    fmt="text",
    select=None,
    ignore=None,
    extend_select=None,
    fail_on=None,
    exit_zero=False,
    top=None,
    show_all=False,
    baseline=None,
    config=None,
    org=None,
) -> dict:
    """The options of ``flowmap analyze`` that change what it prints, as the key holds them."""
    return {
        "format": fmt,
        "select": select,
        "ignore": ignore,
        "extend_select": extend_select,
        "fail_on": fail_on,
        "exit_zero": exit_zero,
        "top": top,
        "all": show_all,
        "baseline": baseline,
        "config": config,
        "org": org,
    }


# The options `analyze` reads on the fast path (the command line's spelling -> the name above);
# any other option (--fix, -o, --help, one added later...) leaves the run to click. The same
# reading serves a cold run without click (flowmap.cli.analyzing.direct).
_VALUED = {
    "-f": "fmt",
    "--format": "fmt",
    "--select": "select",
    "--ignore": "ignore",
    "--extend-select": "extend_select",
    "--fail-on": "fail_on",
    "--top": "top",
    "--baseline": "baseline",
    "--config": "config",
    "--org": "org",
    "--cache-dir": "cache_dir",
    "-j": "jobs",
    "--jobs": "jobs",
}
_FLAGS = {"--exit-zero": "exit_zero", "--all": "show_all", "--no-cache": "no_cache"}
# A --format the reporter table lacks needs no check here: the key holds the format, and no run
# with an unknown one is ever stored, so click answers it (with the table's choices).
_CHOICES = {"fail_on": ("error", "warning", "info")}


def analyze_run(paths, options: dict, cache_dir: str | None, config_file: str | None):
    """The cache folder and key of ``flowmap analyze PATHS`` with ``options`` (the values of its
    options that change the output), and the files the paths name; None when the cache is off or
    a path does not exist (the run reports that, uncached)."""
    if os.environ.get("FLOWMAP_NO_CACHE") or not all(os.path.lexists(p) for p in paths):
        return None
    listed, skipped = listing(list(paths) or ["."])
    folder = folder_for(cache_dir, paths, config_file)
    return folder, key_of("analyze", options, list(paths), listed, skipped), listed


def analyze_arguments(argv: list[str]) -> tuple[list[str], dict] | None:
    """The paths and option values of ``flowmap analyze ARGV`` when every argument is one of the
    options above, spelt as click reads it, with a value of the right kind (``top`` and
    ``jobs`` as numbers); None for anything else (click reads it, and explains a mistake)."""
    values: dict = {}
    paths: list[str] = []
    args = iter(argv)
    for arg in args:
        if not arg.startswith("-") or arg == "-":
            paths.append(arg)
            continue
        name, eq, value = arg.partition("=")
        if name in _FLAGS and not eq:
            values[_FLAGS[name]] = True
        elif name in _VALUED and (name.startswith("--") or not eq):  # -f=x means '=x'
            if not eq:
                following = next(args, None)
                if following is None:
                    return None
                value = following
            values[_VALUED[name]] = value
        else:
            return None
    for name, allowed in _CHOICES.items():
        if name in values and values[name] not in allowed:
            return None
    try:
        for name in ("top", "jobs"):
            if name in values:
                values[name] = int(values[name])
    except ValueError:
        return None
    return paths, values


def replay_analyze(argv: list[str]) -> int | None:
    """When ``argv`` (after ``analyze``) is a run whose output is in the cache, print it and
    return its exit code; otherwise None (run the command)."""
    if os.environ.get("FLOWMAP_NO_CACHE"):
        return None
    parsed = analyze_arguments(argv)
    if parsed is None or parsed[1].pop("no_cache", False):
        return None
    paths, values = parsed
    values.pop("jobs", None)
    cache_dir = values.pop("cache_dir", None)
    found = analyze_run(tuple(paths), analyze_options(**values), cache_dir, values.get("config"))
    entry = lookup(found[0], found[1]) if found else None
    if entry is None:
        return None
    replay(entry)
    return entry.code
