"""Reading words in names (flowmap.inference): names per second, and what importing costs.

    python benchmarks/bench_inference.py            # 7 runs each
    python benchmarks/bench_inference.py --runs 3

The names are every lane, pool, task and flow label of the shared corpus's BPMN models
(``../shared/corpus``; a small built-in list when it is absent), read for every question the
loaders and rules ask (customer, level, kind, purposes, waste, failure, receiving). The peer is
the word lists this package replaced (``flowmap.loaders.bpmn_names`` and the value lexicon), as
far as the installed flowmap still has them. Import time is measured in a fresh interpreter each
run (``python -X importtime`` style, by clock): the package alone, and with its first question
answered (when the expressions are compiled).
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

from common import ENV, PYTHON, ROOT, median  # noqa: E402

CORPUS = next((p for p in (ROOT.parent / "shared" / "corpus",
                            ROOT.parent.parent / "shared" / "corpus") if p.is_dir()),
              ROOT.parent / "shared" / "corpus")
FALLBACK = ["Sales manager", "Rechnungsfreigabe", "Kierownik działu", "Atención al cliente",
            "Check and approve invoice", "Warten auf Zahlungseingang", "rejected", "Klantenservice",
            "Ressaisir la commande", "Approvare richiesta", "Receive offer", "Pizza chef"]


def names() -> list[str]:
    found: list[str] = []
    for path in sorted(glob.glob(str(CORPUS / "**" / "*.bpmn*"), recursive=True)):
        try:
            root = ElementTree.parse(path).getroot()
        except (ElementTree.ParseError, OSError):
            continue
        found += [el.get("name") for el in root.iter() if el.get("name")]
    return found or FALLBACK


def questions():
    from flowmap import inference as i

    return [i.customer, i.level, i.person, i.kind, i.purposes, i.waste, i.failure, i.receives]


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
    print(f"{len(items)} names, 8 questions each, median of {args.runs} runs; the machine may be "
          "loaded: compare ratios, not absolute times")
    ask = questions()
    ask[0]("warm up")  # compile outside the timing
    for question in ask:
        question("warm up")
    new = rate(ask, items, args.runs)
    print(f"flowmap.inference          {new:10.0f} names/s (8 languages)")
    try:
        from flowmap.loaders import bpmn_names as old  # the word lists this package replaced
        peer = [old.is_customer, old.role_level, old.names_person, old.function_kind,
                old.names_failure]
        before = rate(peer, items, args.runs)
        print(f"bpmn_names (5 questions)   {before:10.0f} names/s (English, some German); "
              f"ratio {new / before:.2f}")
    except ImportError:
        print("bpmn_names: gone from this flowmap (no peer to compare names/s with)")
    base = import_time("pass", args.runs)
    package = import_time("import flowmap.inference", args.runs)
    first = import_time("import flowmap.inference as i; i.waste('x'); i.level('x'); "
                        "i.purposes('x'); i.kind('x')", args.runs)
    print(f"python alone                {base * 1000:8.1f} ms")
    print(f"import flowmap.inference    {(package - base) * 1000:8.1f} ms above python")
    print(f"... and compile 4 questions {(first - base) * 1000:8.1f} ms above python")


if __name__ == "__main__":
    main()
