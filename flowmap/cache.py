"""The result cache: a second ``flowmap analyze`` of unchanged files prints its output at once.

Like ruff's cache: results live in a folder (``.flowmap_cache/`` beside the configuration file,
or in the current folder when there is none; ``--cache-dir`` or ``FLOWMAP_CACHE_DIR`` choose
another, ``--no-cache`` skips it). An entry holds what a run printed (standard output, standard
error, the exit code) and the SHA-256 of every file the run read: the process files, their
organisation files (``organisation: x.org.yaml`` or ``--org``/``org``), the configuration and
a baseline. It is found by a key made of what else decides the output: flowmap's version, the
command's options, the current folder, the files the paths name (a file added to a folder
changes it), which configuration files exist on the way up, and what decides colours (the
terminal, ``NO_COLOR``, ``FORCE_COLOR``). An entry is used only when every file it read still
has the same content, so an edit to an organisation file is seen like an edit to the process.

A hit imports nothing of the model, graph or rules: this module needs only the standard library
and :mod:`flowmap.files`. Entries are written atomically (a concurrent run reads the old entry
or the new one, never half of one), the folder is kept under a size limit (the oldest entries
go first), and an entry that cannot be read, is not what flowmap wrote or is cut short is
ignored and replaced. Runs that end in an error (exit code 2) are not kept: what caused it may
be a file that did not exist.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flowmap import __version__, files

FOLDER_NAME = ".flowmap_cache"
ENV = "FLOWMAP_CACHE_DIR"
SCHEMA = 1
MAX_BYTES = 256 * 2**20  # the whole folder; the oldest entries are removed beyond it
MAX_ENTRY_BYTES = 64 * 2**20  # one entry (the output of one run)
_CONFIG_NAMES = ("flowmap.toml", "pyproject.toml")
_README = (
    "This folder is flowmap's result cache (see `flowmap analyze --help`). It is safe to delete.\n"
)


def folder_for(
    option: str | None, paths: tuple[str, ...] | list[str], config_file: str | None = None
) -> Path:
    """Where the cache lives: ``--cache-dir``, then ``$FLOWMAP_CACHE_DIR``, then beside the
    configuration in force (the ``--config`` file, or the nearest ``flowmap.toml`` or
    ``pyproject.toml`` above the first path), then the current folder."""
    if option:
        return Path(option)
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    found = Path(config_file) if config_file else _nearest_config(paths[0] if paths else ".")
    return (found.parent if found else Path(".")) / FOLDER_NAME


def _nearest_config(start: str) -> Path | None:
    for candidate in _config_candidates(start):
        if candidate.name == "flowmap.toml" or _has_flowmap_table(candidate):
            return candidate
    return None


def _config_candidates(start: str) -> list[Path]:
    """Every configuration file on the way up from ``start`` (the nearest first)."""
    here = Path(start).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    return [
        folder / name
        for folder in (here, *here.parents)
        for name in _CONFIG_NAMES
        if (folder / name).is_file()
    ]


def _has_flowmap_table(path: Path) -> bool:
    try:
        return b"[tool.flowmap" in files.read_bounded(path, 4 * 2**20)
    except files.ReadRefused:
        return False


@dataclass
class Entry:
    stdout: str
    stderr: str
    code: int
    reads: dict[str, str] = field(default_factory=dict)  # real path -> 'size:sha256' of it


class ResultCache:
    """The cache of one run: its key, and the entry found or to be written."""

    def __init__(self, folder: Path, key: str, max_bytes: int = MAX_BYTES):
        self.folder, self.key, self.max_bytes = Path(folder), key, max_bytes

    @classmethod
    def for_run(
        cls,
        folder: Path,
        command: str,
        options: dict,
        paths: list[str],
        listed: list[str],
        skipped: list,
    ) -> ResultCache:
        """The cache entry of a run of ``command`` with ``options`` on ``paths``; ``listed`` are
        the files the paths name (folders searched without the configuration's excludes)."""
        material = {
            "schema": SCHEMA,
            "flowmap": __version__,
            "python": sys.version_info[:2],
            "code": _code_stamp(),
            "command": command,
            "options": options,
            "cwd": os.getcwd(),
            "paths": list(paths),
            "listed": sorted(os.path.realpath(p) for p in listed),
            "skipped": [[str(p), str(why)] for p, why in skipped],
            "configs": [str(p) for p in _config_candidates(paths[0] if paths else ".")],
            "colour": [
                _isatty(sys.stdout),
                _isatty(sys.stderr),
                "NO_COLOR" in os.environ,
                os.environ.get("FORCE_COLOR", ""),
            ],
        }
        text = json.dumps(material, sort_keys=True, default=str)
        return cls(folder, hashlib.sha256(text.encode("utf-8")).hexdigest())

    @property
    def path(self) -> Path:
        return self.folder / self.key[:2] / f"{self.key}.json"

    # -- reading ---------------------------------------------------------------------------------
    def lookup(self) -> Entry | None:
        """The entry of this run if it exists, is intact and every file it read is unchanged."""
        try:
            raw = files.read_bounded(self.path, MAX_ENTRY_BYTES)
            data = json.loads(raw.decode("utf-8"))
            entry = Entry(data["stdout"], data["stderr"], data["code"], data["reads"])
            if (
                data.get("key") != self.key
                or not isinstance(entry.stdout, str)
                or not isinstance(entry.stderr, str)
                or entry.code not in (0, 1)
                or not isinstance(entry.reads, dict)
            ):
                return None
        except (files.ReadRefused, OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return None  # absent, unreadable, cut short or not ours: run as if there were none
        for path, digest in entry.reads.items():
            size = digest.split(":", 1)[0] if isinstance(digest, str) else ""
            if not size.isdigit() or _digest(path, int(size)) != digest:
                return None
        with contextlib.suppress(OSError):  # the oldest entries are evicted first: a hit is new
            os.utime(self.path)
        return entry

    # -- writing ---------------------------------------------------------------------------------
    def store(self, entry: Entry) -> None:
        """Keep ``entry`` (quietly nothing when the folder cannot be written)."""
        document = {
            "key": self.key,
            "flowmap": __version__,
            "stdout": entry.stdout,
            "stderr": entry.stderr,
            "code": entry.code,
            "reads": entry.reads,
        }
        payload = json.dumps(document, ensure_ascii=False)
        if len(payload.encode("utf-8")) > MAX_ENTRY_BYTES:
            return
        try:
            fresh = not self.folder.exists()
            files.write_atomic(self.path, payload)
            if fresh:
                for name, text in ((".gitignore", "*\n"), ("README.txt", _README)):
                    files.write_atomic(self.folder / name, text)
            self.evict()
        except OSError:
            return

    def evict(self) -> None:
        """Remove the least recently used entries until the folder is within its limit."""
        entries = []
        for path in self.folder.glob("??/*.json"):
            with contextlib.suppress(OSError):
                info = path.stat()
                entries.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


# ---------------------------------------------------------------------------------------------
# flowmap analyze
# ---------------------------------------------------------------------------------------------


def for_analyze(
    paths: tuple[str, ...] | list[str],
    options: dict,
    cache_dir: str | None,
    config_file: str | None,
) -> tuple[ResultCache, list[str]] | None:
    """The cache entry of ``flowmap analyze PATHS`` with ``options`` (the values of its options
    that change the output), and the files the paths name; None when the cache is off or a
    path does not exist (the run reports that, uncached)."""
    if os.environ.get("FLOWMAP_NO_CACHE") or not all(os.path.lexists(p) for p in paths):
        return None
    from flowmap.suffixes import is_process_file

    listed = files.walk(list(paths) or ["."], is_process_file, lambda path: False)
    folder = folder_for(cache_dir, paths, config_file)
    return (
        ResultCache.for_run(folder, "analyze", options, list(paths), listed.files, listed.skipped),
        listed.files,
    )


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
# any other option (--fix, -o, --help, one added later...) leaves the run to click.
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
_FLAGS = {"--exit-zero": "exit_zero", "--all": "show_all"}
# A --format the reporter table lacks needs no check here: the key holds the format, and no run
# with an unknown one is ever stored, so click answers it (with the table's choices).
_CHOICES = {"fail_on": ("error", "warning", "info")}


def replay_analyze(argv: list[str]) -> int | None:
    """Before click is even imported: when ``argv`` (after ``analyze``) is a run whose output
    is in the cache, print it and return its exit code; otherwise None (run the command)."""
    if os.environ.get("FLOWMAP_NO_CACHE"):
        return None
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
        if "top" in values:
            values["top"] = int(values["top"])
        if "jobs" in values:
            int(values.pop("jobs"))
    except ValueError:
        return None
    cache_dir = values.pop("cache_dir", None)
    found = for_analyze(tuple(paths), analyze_options(**values), cache_dir, values.get("config"))
    entry = found[0].lookup() if found else None
    if entry is None:
        return None
    replay(entry)
    return entry.code


def reads_of(inputs: set[str], listed: list[str]) -> dict[str, str]:
    """The SHA-256 of every file a run read (and of every file it was given)."""
    out = {}
    for path in sorted({os.path.realpath(p) for p in (*inputs, *listed)}):
        digest = _digest(path)
        if digest is not None:
            out[path] = digest
    return out


def _digest(path: str, size: int | None = None) -> str | None:
    """'size:sha256' of a regular file's content; None for anything else (a FIFO is never
    opened) or when its size is not ``size``."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or (size is not None and info.st_size != size):
            return None
        data = files.read_bounded(path, max(info.st_size, 1) + 2**20)
    except (OSError, files.ReadRefused):
        return None
    return f"{len(data)}:{hashlib.sha256(data).hexdigest()}"


def _code_stamp() -> list:
    """flowmap's own files as they are now (name, size, time): a working copy whose code was
    edited since an entry was written (same version number) does not reuse it."""
    stamp = []
    stack = [os.path.dirname(os.path.abspath(__file__))]
    while stack:
        with os.scandir(stack.pop()) as found:
            for item in found:
                if item.is_dir(follow_symlinks=False) and not item.name.startswith((".", "_")):
                    stack.append(item.path)
                elif item.name.endswith((".py", ".toml", ".yaml")):
                    info = item.stat()
                    stamp.append((item.path, info.st_size, info.st_mtime_ns))
    return sorted(stamp)


def _isatty(stream) -> bool:
    return bool(getattr(stream, "isatty", None) and stream.isatty())


# ---------------------------------------------------------------------------------------------
# Recording what a command prints
# ---------------------------------------------------------------------------------------------


class _Recorder(io.StringIO):
    """Holds what a command prints, and answers ``isatty`` as the stream it stands for (the
    text report colours only a terminal)."""

    def __init__(self, stream):
        super().__init__()
        self._tty = _isatty(stream)

    def isatty(self) -> bool:
        return self._tty


@contextlib.contextmanager
def recording() -> Iterator[tuple[_Recorder, _Recorder]]:
    """Within this block standard output and error are recorded; at its end (also when the
    command fails) what was recorded is written to the real streams."""
    out, err = _Recorder(sys.stdout), _Recorder(sys.stderr)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = real_out, real_err
        replay(Entry(out.getvalue(), err.getvalue(), 0))


def replay(entry: Entry) -> None:
    """Print what a run printed."""
    if entry.stderr:
        sys.stderr.write(entry.stderr)
        sys.stderr.flush()
    if entry.stdout:
        sys.stdout.write(entry.stdout)
        sys.stdout.flush()
