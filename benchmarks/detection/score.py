"""Score flowmap's findings against the answer keys in benchmarks/detection/keys/.

    python benchmarks/detection/score.py                 # every key, a table per file and in total
    python benchmarks/detection/score.py --verbose       # + missed problems, false alarms, unjudged
    python benchmarks/detection/score.py --json > run.json
    python benchmarks/detection/score.py pizza imixs     # only keys whose file name contains a word

Each keyed model is loaded and analysed through the Python API (flowmap.load, flowmap.analyze,
with the configuration in force for the file, as a user gets it). A finding that involves a keyed
problem (an accepted code and one of its elements) is a hit; one that matches a ``wrong`` entry
is a clear false alarm; any other is unjudged. Recall is problems found / problems keyed. A model
that does not load counts as all its problems missed and is named. The exit status is 0 unless
something fails to run (a key file that does not read, flowmap crashing on a model).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import answer_key as ak


def run_flowmap(path: Path) -> tuple[list[ak.Seen], str | None, bool]:
    """The findings on one model, or the reason there are none; the flag says flowmap crashed."""
    import flowmap
    from flowmap.errors import LoadError

    try:
        process = flowmap.load(path)
        result = flowmap.analyze(process, flowmap.load_config(path))
    except LoadError as exc:
        errors = [q for q in exc.problems if getattr(q.severity, "value", q.severity) == "error"]
        first = (errors or exc.problems)[0] if exc.problems else None
        reason = first.message if first is not None else "cannot be read"
        where = (
            f" at line {first.location.line}" if first is not None and first.location.line else ""
        )
        return [], f"does not load{where}: {reason}", False
    except Exception as exc:  # noqa: BLE001 - a crash is reported, never hidden
        return [], f"flowmap crashed: {type(exc).__name__}: {exc}", True
    return [seen(f) for f in result.findings], None, False


def seen(finding) -> ak.Seen:
    """flowmap's Finding as the scorer sees it, with the findings folded into it."""
    return ak.Seen(
        finding.code,
        tuple(finding.elements),
        finding.message,
        getattr(finding.severity, "value", str(finding.severity)),
        tuple(seen(r) for r in getattr(finding, "related", ())),
    )


def commit_of(root: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def share(part: int, whole: int) -> str:
    return "n/a" if whole == 0 else f"{100 * part / whole:.0f}%"


def finding_dict(f: ak.Seen) -> dict:
    return {
        "code": f.code,
        "severity": f.severity,
        "elements": list(f.elements),
        "message": f.message,
        "related": [{"code": r.code, "elements": list(r.elements)} for r in f.related],
    }


def totals(scored: list[tuple[Path, ak.AnswerKey, ak.Score]]) -> dict:
    """Sums over scored keys: recall, clear false alarms (and per model), unjudged, by family/code."""
    keyed = sum(r.keyed for _, _, r in scored)
    found = sum(len(r.found) for _, _, r in scored)
    alarms = sum(len(r.false_alarms) for _, _, r in scored)
    family_keyed, family_found = Counter(), Counter()
    for _, key, r in scored:
        for i, problem in enumerate(key.problems):
            family_keyed[problem.family] += 1
            family_found[problem.family] += i in r.found
    return {
        "models": len(scored),
        "keyed": keyed,
        "found": found,
        "recall": None if keyed == 0 else round(found / keyed, 4),
        "false_alarms": alarms,
        "false_alarms_per_model": round(alarms / len(scored), 3) if scored else None,
        "unjudged": sum(len(r.unjudged) for _, _, r in scored),
        "findings": sum(r.findings for _, _, r in scored),
        "recall_by_family": {
            f: {"keyed": family_keyed[f], "found": family_found[f]} for f in sorted(family_keyed)
        },
        "false_alarms_by_code": dict(
            Counter(f.code for _, _, r in scored for f, _ in r.false_alarms).most_common()
        ),
        "unjudged_by_code": dict(
            Counter(f.code for _, _, r in scored for f in r.unjudged).most_common()
        ),
    }


def also(f: ak.Seen) -> str:
    return f" (+{'/'.join(r.code for r in f.related)})" if f.related else ""


def print_table(scored, everything: dict, groups: dict, version: str, verbose: bool) -> None:
    width = max([len(p.stem) for p, _, _ in scored] + [10])

    def line(name, found, keyed, alarms, unjudged, findings, note=""):
        print(
            f"{name:<{width}}  {f'{found}/{keyed}':>11}  {alarms:>12}  {unjudged:>8}  {findings:>8}{note}"
        )

    print(
        f"flowmap {version} at {commit_of(ak.ROOT)}: {len(scored)} models against their answer keys"
    )
    print(
        f"{'key':<{width}}  {'found/keyed':>11}  {'false alarms':>12}  {'unjudged':>8}  {'findings':>8}"
    )
    for path, key, r in scored:
        line(
            path.stem,
            len(r.found),
            r.keyed,
            len(r.false_alarms),
            len(r.unjudged),
            r.findings,
            f"  ({r.error})" if r.error else "",
        )
        if verbose:
            for i, problem in enumerate(key.problems):
                if i not in r.found:
                    print(f"    missed   {problem.family} {'/'.join(problem.codes)}: {problem.why}")
            for f, why in r.false_alarms:
                print(
                    f"    false    {f.code}{also(f)} {', '.join(f.elements[:4]) or '-'}: {f.message}  [key: {why}]"
                )
            for f in r.unjudged:
                print(
                    f"    unjudged {f.code}{also(f)} ({f.severity}) {', '.join(f.elements[:4]) or '-'}: {f.message}"
                )
    t = everything
    line("total", t["found"], t["keyed"], t["false_alarms"], t["unjudged"], t["findings"])
    for name, g in (*groups.items(), ("all", t)):
        if g["models"]:
            print(
                f"{name} ({g['models']}): recall {share(g['found'], g['keyed'])} "
                f"({g['found']}/{g['keyed']}), clear false alarms {g['false_alarms']} "
                f"({g['false_alarms_per_model']:.2f} per model), unjudged {g['unjudged']}, "
                f"findings {g['findings']}"
            )
    print(
        "recall by family: "
        + ", ".join(f"{f} {v['found']}/{v['keyed']}" for f, v in t["recall_by_family"].items())
    )
    for label, counts in (
        ("false alarms by code", t["false_alarms_by_code"]),
        ("unjudged by code", t["unjudged_by_code"]),
    ):
        if counts:
            print(f"{label}: " + ", ".join(f"{c} {n}" for c, n in counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "only", nargs="*", help="score only keys whose file name contains one of these"
    )
    parser.add_argument("--keys", type=Path, default=ak.KEYS_DIR, help="folder of key files")
    parser.add_argument(
        "--corpus",
        type=Path,
        help="the shared corpus (default: $FLOWMAP_CORPUS or ../shared/corpus)",
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="list missed problems, false alarms and unjudged findings",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document instead of the table"
    )
    args = parser.parse_args(argv)

    files = [
        p for p in ak.key_files(args.keys) if not args.only or any(w in p.stem for w in args.only)
    ]
    if not files:
        print(
            f"no key files in {args.keys}" + (f" matching {args.only}" if args.only else ""),
            file=sys.stderr,
        )
        return 2
    corpus = args.corpus or ak.find_corpus()
    if args.corpus and not args.corpus.is_dir():
        print(f"--corpus {args.corpus}: no such folder", file=sys.stderr)
        return 2

    import flowmap

    failed_to_run = False
    rows = []
    for path in files:
        try:
            key = ak.load_key(path)
        except ak.KeyFileError as exc:
            print(exc, file=sys.stderr)
            failed_to_run = True
            continue
        model = ak.model_path(key, corpus)
        if model is None:
            rows.append(
                (
                    path,
                    key,
                    None,
                    "skipped: the corpus is not here (set FLOWMAP_CORPUS or --corpus)",
                )
            )
            continue
        findings, error, crashed = run_flowmap(model)
        failed_to_run |= crashed
        result = ak.score(key, findings)
        result.error = error
        rows.append((path, key, result, None))

    scored = [(p, k, r) for p, k, r, skip in rows if r is not None]
    skipped = [(p, skip) for p, k, r, skip in rows if skip]
    everything = totals(scored)
    groups = {
        "corpus models": totals([x for x in scored if x[1].model.startswith("corpus:")]),
        "library processes": totals([x for x in scored if x[1].model.startswith("repo:")]),
    }
    if args.json:
        document = {
            "version": 1,
            "flowmap": flowmap.__version__,
            "commit": commit_of(ak.ROOT),
            "files": [
                {
                    "key": p.name,
                    "model": k.model,
                    "language": k.language,
                    "error": r.error,
                    "keyed": r.keyed,
                    "found": len(r.found),
                    "findings": r.findings,
                    "missed": [
                        {
                            "family": k.problems[i].family,
                            "codes": k.problems[i].codes,
                            "elements": k.problems[i].elements,
                            "why": k.problems[i].why,
                        }
                        for i in range(r.keyed)
                        if i not in r.found
                    ],
                    "false_alarms": [
                        finding_dict(f) | {"key_says": why} for f, why in r.false_alarms
                    ],
                    "unjudged": [finding_dict(f) for f in r.unjudged],
                }
                for p, k, r in scored
            ],
            "skipped": [{"key": p.name, "reason": why} for p, why in skipped],
            "total": everything | {"failed": [p.name for p, _, r in scored if r.error]},
            "by_source": groups,
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 1 if failed_to_run else 0

    print_table(scored, everything, groups, flowmap.__version__, args.verbose)
    failed = [(p, r.error) for p, _, r in scored if r.error]
    for p, error in failed:
        print(f"not measured, all problems counted missed: {p.stem}: {error}")
    for p, why in skipped:
        print(f"{p.stem}: {why}")
    return 1 if failed_to_run else 0


if __name__ == "__main__":
    raise SystemExit(main())
