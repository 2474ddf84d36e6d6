"""Baselines: accept today's findings, fail only on new ones.

``flowmap analyze --write-baseline FILE`` records every finding's fingerprint (with its code,
file and message, for the people reading the file); ``--baseline FILE`` then hides the findings
recorded there. Fingerprints (:attr:`~flowmap.rules.base.Finding.fingerprint`) depend on the rule
and the elements a finding is about, not on line numbers, so a baseline survives unrelated edits.
Findings are matched per file; the same fingerprint twice in a file needs two entries.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flowmap.errors import UsageError

VERSION = 1


def _key(path: str) -> str:
    """A file's name as recorded: relative to the current folder, with forward slashes."""
    if not path:
        return ""
    with contextlib.suppress(ValueError):
        path = os.path.relpath(path)
    return Path(os.path.normpath(path)).as_posix()


def document(results) -> dict:
    entries = []
    for result in results:
        for f in result.findings:
            entries.append(
                {
                    "fingerprint": f.fingerprint,
                    "code": f.code,
                    "path": _key(result.path),
                    "elements": list(f.elements),
                    "message": f.message,
                }
            )
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    return {
        "version": VERSION,
        "tool": "flowmap",
        "comment": "Findings accepted on the day this was written; `flowmap analyze "
        "--baseline` reports only new ones. Regenerate with --write-baseline.",
        "findings": entries,
    }


def write(path: str | os.PathLike, results, *, force: bool = False) -> int:
    """Record the findings of ``results`` in ``path`` (guarded: see :mod:`flowmap.files`)."""
    from flowmap.files import emit

    doc = document(results)
    emit(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", path, force=force)
    return len(doc["findings"])


@dataclass
class Baseline:
    counts: Counter  # (path, fingerprint) -> how many

    @classmethod
    def read(cls, path: str | os.PathLike) -> Baseline:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(
                f"{path}: no such baseline file (write one with --write-baseline)"
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: not a flowmap baseline: {exc}") from None
        if (
            not isinstance(data, dict)
            or data.get("version") != VERSION
            or not isinstance(data.get("findings"), list)
        ):
            raise UsageError(f"{path}: not a flowmap baseline (version {VERSION})")
        counts: Counter = Counter()
        for entry in data["findings"]:
            if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str):
                counts[(str(entry.get("path", "")), entry["fingerprint"])] += 1
        return cls(counts)

    def apply(self, results) -> tuple[list, int, int]:
        """(results without baselined findings, findings hidden, baseline entries not seen)."""
        left = Counter(self.counts)
        hidden = 0
        out = []
        for result in results:
            key = _key(result.path)
            kept = []
            for f in result.findings:
                slot = (key, f.fingerprint)
                if left[slot] > 0:
                    left[slot] -= 1
                    hidden += 1
                else:
                    kept.append(f)
            out.append(dataclasses.replace(result, findings=kept))
        analysed = {_key(r.path) for r in results}
        stale = sum(n for (path, _), n in left.items() if path in analysed and n > 0)
        return out, hidden, stale
