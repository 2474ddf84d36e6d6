"""Reading process files as they were in a git revision, through ``git`` itself.

git runs with ``LC_ALL=C`` so that its messages are English whatever the user's locale: a path a
revision does not hold becomes :class:`MissingInRevision`, an unknown revision a one-line
:class:`~flowmap.errors.UsageError`. Used by ``flowmap diff REV -- PATH``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from flowmap import files
from flowmap.errors import Location, UsageError
from flowmap.formatting import clean
from flowmap.suffixes import is_bpmn, is_process_file


class MissingInRevision(UsageError):
    """A file that a git revision does not hold (it was added or deleted since)."""


# git's messages for a path a revision does not hold; stable because git runs with LC_ALL=C.
_MISSING = ("does not exist", "exists on disk, but not in", "no such file")


def git(args: list[str], cwd: str | None = None) -> bytes:
    """Run ``git ARGS`` in the C locale; its standard output, or a one-line error."""
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}  # English messages, whatever the locale
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60, env=env
        )
    except FileNotFoundError:
        raise UsageError("git is not installed; give two files instead of revisions") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args)} took too long") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = message[-1] if message else "failed"
        kind = (
            MissingInRevision
            if args[:1] == ["show"] and any(phrase in last for phrase in _MISSING)
            else UsageError
        )
        unknown = re.search(
            r"Not a valid object name (\S+)|bad revision '([^']+)'|"
            r"unknown revision[^']*'([^']+)'",
            last,
        )
        if unknown and kind is UsageError:
            rev = next(g for g in unknown.groups() if g)
            if (
                subprocess.run(
                    ["git", "rev-parse", "-q", "--verify", "HEAD"],
                    cwd=cwd,
                    env=env,
                    capture_output=True,
                    check=False,
                    timeout=60,
                ).returncode
                != 0
            ):
                raise UsageError(
                    f"{clean(rev)!r}: this repository has no commits yet; commit "
                    "the processes first, or give two files to compare"
                )
            raise UsageError(
                f"{clean(rev)!r} is not a revision of this repository "
                "(git log --oneline lists them)"
            )
        raise kind(f"git {' '.join(args)}: {clean(last)}")
    return bytes(done.stdout)


def check_revision(rev: str) -> str:
    if not rev or rev.startswith("-") or any(c.isspace() or c == "\0" for c in rev):
        raise UsageError(f"{rev!r} is not a git revision")
    return rev


def split_range(spec: str) -> tuple[str, str | None]:
    """``a..b`` -> (a, b); ``a...b`` -> (merge base of a and b, b); ``a`` -> (a, None)."""
    if "..." in spec:
        left, right = spec.split("...", 1)
        base = (
            git(["merge-base", check_revision(left or "HEAD"), check_revision(right or "HEAD")])
            .decode()
            .strip()
        )
        return base, right or "HEAD"
    if ".." in spec:
        left, right = spec.split("..", 1)
        return check_revision(left or "HEAD"), check_revision(right or "HEAD")
    return check_revision(spec), None


def versions(revisions: tuple[str, ...]) -> tuple[str, str | None]:
    """The old and new revision from what precedes ``--``: none (HEAD against the working tree),
    one (a revision or a range) or two. ``None`` stands for the working tree."""
    if not revisions:
        return "HEAD", None
    if len(revisions) == 1:
        return split_range(revisions[0])
    if len(revisions) == 2:
        return check_revision(revisions[0]), check_revision(revisions[1])
    raise UsageError("give at most two revisions before '--'")


def process_files(paths: list[str], old_rev: str, new_rev: str | None) -> list[str]:
    """Process files under ``paths`` in either version (``new_rev`` None: the working tree's
    tracked files), relative to the current folder."""
    found: list[str] = []
    for rev in (old_rev, new_rev):
        args = (
            ["ls-tree", "-r", "--name-only", "--full-name", check_revision(rev), "--"]
            if rev
            else ["ls-files", "--full-name", "--"]
        )
        listed = git([*args, *paths]).decode("utf-8", "replace").splitlines()
        top = git(["rev-parse", "--show-toplevel"]).decode().strip()
        for name in listed:
            rel = os.path.relpath(os.path.join(top, name))
            if is_process_file(rel) and rel not in found:
                found.append(rel)
    return found


def show_file(rev: str, path: str) -> bytes:
    """The bytes of ``path`` in revision ``rev`` (:class:`MissingInRevision` if it has none)."""
    rel = path if os.path.isabs(path) else f"./{Path(path).as_posix()}"
    if os.path.isabs(path):
        top = git(["rev-parse", "--show-toplevel"]).decode().strip()
        rel = Path(path).resolve().relative_to(Path(top).resolve()).as_posix()
    return git(["show", f"{check_revision(rev)}:{rel}"])


def _version_bytes(path: str, rev: str | None) -> bytes | None:
    try:
        return Path(path).read_bytes() if rev is None else show_file(rev, path)
    except (OSError, UsageError):
        return None


def unchanged(path: str, old_rev: str, new_rev: str | None) -> bool:
    """Is the file (and the organisation file it references) byte-for-byte the same in both
    versions? Then there is nothing to compare, and nothing is loaded."""
    old, new = _version_bytes(path, old_rev), _version_bytes(path, new_rev)
    if old is None or old != new:
        return False
    ref = None if is_bpmn(path) else _org_reference(old)
    if not ref:
        return True
    org = (Path(path).parent / ref).as_posix()
    return _version_bytes(org, old_rev) == _version_bytes(org, new_rev)


def _org_reference(data: bytes) -> str | None:
    from flowmap.loaders import yamlsrc

    try:
        doc, _ = yamlsrc.parse(yamlsrc.check_text(data), full=False)
    except yamlsrc.YamlError:
        return None
    ref = doc.get("organisation") if isinstance(doc, dict) else None
    return ref if isinstance(ref, str) else None


def load_version(
    path: str, rev: str | None, config: Any = None, workdir: str | Path | None = None
) -> Any:
    """The process at ``path`` as in git revision ``rev`` (None: the file on disk).

    A revision's file is written under ``workdir`` (which the caller removes) with the same
    relative layout, with the ``*.org.yaml`` file it references from the same revision, and
    loaded from there: comment suppressions and per-path ignores apply as they would to the
    file itself. :meth:`flowmap.diff.ProcessDiff.relabel` then names findings ``rev:path``.
    """
    from flowmap.errors import LoadError
    from flowmap.loaders import load_any

    max_bytes = config.max_bytes if config is not None else None
    options = {"max_bytes": max_bytes} if max_bytes else {}
    if rev is None:
        if not os.path.lexists(path):
            raise MissingInRevision(f"{path}: no such file")
        files.require_file(path)  # a folder or a FIFO is named for what it is
        return load_any(path, **options)
    if workdir is None:
        raise UsageError("reading a git revision needs a work folder")
    data = show_file(rev, path)
    rel = (
        Path(*[p for p in Path(path).parts if p not in ("..", ".", "/")])
        if not Path(path).is_absolute()
        else Path(Path(path).name)
    )
    target = Path(workdir) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    ref = None if is_bpmn(path) else _org_reference(data)
    if ref:
        if Path(ref).is_absolute() or ".." in Path(ref).parts:
            raise UsageError(
                f"{rev}:{path}: the organisation file {ref!r} must be a path inside "
                "the folder of the process file to be read from a revision"
            )
        org_data: bytes | None
        try:
            org_data = show_file(rev, (Path(path).parent / ref).as_posix())
        except UsageError:
            org_data = None  # the loader reports the missing file, with its position
        if org_data is not None:
            (target.parent / ref).parent.mkdir(parents=True, exist_ok=True)
            (target.parent / ref).write_bytes(org_data)
    try:
        return load_any(target, **options)
    except LoadError as exc:
        label = f"{rev}:{path}"
        exc.problems = [
            dataclasses.replace(p, location=_relabel(p.location, str(target), label))
            for p in exc.problems
        ]
        exc.path = label
        exc.args = (str(exc),)
        raise


def _relabel(location: Location, old: str, new: str) -> Location:
    if location.path == old:
        return dataclasses.replace(location, path=new)
    return location
