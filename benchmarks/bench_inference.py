"""Reading words in names (flowmap.inference): names per second, and what importing costs.

    python benchmarks/bench_inference.py            # 7 runs each
    python benchmarks/bench_inference.py --runs 3

The names are every lane, pool, task and flow label of the shared corpus's BPMN models
(``../shared/corpus``; a small built-in list when it is absent), read for every question the
loaders and rules ask (customer, level, person, kind, purposes, waste, failure, receiving).
Import time is measured in a fresh interpreter each run, by clock: the package alone, and with
four questions answered (when their words are compiled). To compare with another checkout (the
peer), run the script there too, or with ``PYTHONPATH=OTHER-CHECKOUT``: the figures name the
flowmap they measured.
"""

from __future__ import annotations

import argparse
import glob
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, PYTHON, ROOT, median

CORPUS = next(
    (
        p
        for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "corpus",
)
FALLBACK = [
    "Sales manager",
    "Rechnungsfreigabe",
    "Kierownik działu",
    "Atención al cliente",
    "Check and approve invoice",
    "Warten auf Zahlungseingang",
    "rejected",
    "Klantenservice",
    "Ressaisir la commande",
    "Approvare richiesta",
    "Receive offer",
    "Pizza chef",
]


def names() -> list[str]:
    found: list[str] = []
    for path in sorted(glob.glob(str(CORPUS / "**" / "*.bpmn*"), recursive=True)):
        try:
            root = ElementTree.parse(path).getroot()
        except (ElementTree.ParseError, OSError):
            continue
        found += [el.get("name") for el in root.iter() if el.get("name")]
    return found or FALLBACK


def questions() -> tuple[str, list, str]:
    """(what, the questions, the import that builds them) of the flowmap on sys.path: its
    inference package, or, in a flowmap from before it, the word lists it replaced."""
    import flowmap

    if not (Path(flowmap.__file__).parent / "inference").is_dir():
        from flowmap.loaders import bpmn_names as old
        from flowmap.rules.value import lexicon

        return (
            "bpmn_names + value lexicon (English, some German)",
            [
                old.is_customer,
                old.role_level,
                old.names_person,
                old.function_kind,
                old.names_failure,
                lexicon.match_name,
            ],
            "import flowmap.loaders.bpmn_names, flowmap.rules.value.lexicon",
        )
    from flowmap import inference as i

    return (
        "flowmap.inference (8 languages)",
        [i.is_customer, i.role_level, i.names_person, i.function_kind, i.names_failure, i.waste],
        (
            "import flowmap.inference as i; i.waste('x'); i.level('x'); "
            "i.kind('x'); i.customer('x'); i.failure('x')"
        ),
    )


def rate(ask, items: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for name in items:
            for question in ask:
                question(name)
        times.append(time.perf_counter() - start)
    return len(items) / median(times)


def import_time(code: str, runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([PYTHON, "-c", code], env=ENV, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    items = names()
    import flowmap

    what, ask, first_use = questions()
    print(f"{what}, from {Path(flowmap.__file__).parent}")
    print(
        f"{len(items)} names, {len(ask)} questions each (customer, level, person, kind, "
        f"failure, waste), median of {args.runs} runs; the machine may be loaded: compare "
        "ratios of runs made side by side, not absolute times"
    )
    start = time.perf_counter()
    for name in items:  # compile every expression outside the timing
        for question in ask:
            question(name)
    print(f"first pass (compiling)     {time.perf_counter() - start:8.3f} s")
    print(f"names per second           {rate(ask, items, args.runs):10.0f}")
    base = import_time("pass", args.runs)
    cold = import_time(first_use, args.runs)
    print(f"python alone               {base * 1000:8.1f} ms")
    print(f"import + first questions   {(cold - base) * 1000:8.1f} ms above python")


if __name__ == "__main__":
    main()
