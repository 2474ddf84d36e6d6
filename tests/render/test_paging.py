"""The packer's choice of cuts and sheets, checked against every possible choice.

On small processes the plan is compared with a search of every way to cut the columns into
strips and to group the strips on sheets: it must take the fewest sheets there are, and its
emptiest sheet must be as full as the best choice's (within the step at which fills count as
equal). Strip sizes come from a stand-in measure that counts the columns and lanes a strip's
steps take, so the search and the packer see the same sizes."""

from __future__ import annotations

import itertools
import random

import pytest

from flowmap.loaders import load_any
from flowmap.render import layout, paging
from flowmap.render.columns import columns
from flowmap.render.page import MAX_ENLARGE
from tests.render.conftest import PROCESSES, process_from

ROOM = (440.0, 420.0)  # drawing points: four columns, four lanes
HEADER = 20.0
ROLES = ["ops.a", "ops.b", "ops.c", "fin.d", "fin.e"]


def random_process(seed: int, steps: int) -> str:
    rng = random.Random(seed)
    lines = [
        "flowmap: 1",
        "process: {id: p, name: Packing}",
        "customer: {name: Client}",
        "organisation:",
        "  functions:",
        "    - {id: ops, name: Operations, roles: [{id: a, name: A, level: 3},",
        "        {id: b, name: B, level: 2}, {id: c, name: C, level: 1}]}",
        "    - {id: fin, name: Finance, roles: [{id: d, name: D, level: 2},",
        "        {id: e, name: E, level: 1}]}",
        "steps:",
        "  - {id: s0, name: Ask, owner: customer, kind: start}",
    ]
    lines += [
        f"  - {{id: s{i}, name: Step {i}, owner: {rng.choice(ROLES)}}}" for i in range(1, steps)
    ]
    lines += [f"  - {{id: s{steps}, name: Done, owner: customer, kind: end}}", "flows:"]
    lines += [f"  - {{from: s{i}, to: s{i + 1}}}" for i in range(steps)]
    skips = {(a, rng.randrange(a + 2, steps)) for a in rng.sample(range(1, steps - 2), 3)}
    lines += [f"  - {{from: s{a}, to: s{b}}}" for a, b in sorted(skips)]  # so that cuts differ
    return "\n".join(lines) + "\n"


def stand_in(col: dict[str, int]):
    """A strip's size from the columns and lanes its steps take (markers not counted)."""

    def measure(strip) -> tuple[float, float]:
        steps = [n for n in strip.nodes if not n.continuation]
        return (
            40 + 100 * len({col[n.id] for n in steps}),
            30 + 80 * len({n.lane for n in steps}),
        )

    return measure


def fill(sizes: list[tuple[float, float]]) -> float:
    """The plan's definition: the strips' area (and the title's) at the scale the sheet
    prints at, over the sheet's room."""
    width = max(w for w, _ in sizes)
    height = sum(h for _, h in sizes) + paging.STRIP_GAP * (len(sizes) - 1) + HEADER
    scale = min(ROOM[0] / width, ROOM[1] / height, MAX_ENLARGE)
    return scale * scale * (sum(w * h for w, h in sizes) + width * HEADER) / (ROOM[0] * ROOM[1])


def best_by_search(diagram, measure) -> tuple[int, float]:
    """The fewest sheets and, with that many, the fullest emptiest sheet, over every plan."""
    col = columns(diagram)
    n = max(col.values()) + 1

    def size(a: int, b: int) -> tuple[float, float]:
        return measure(paging._strip(diagram, col, range(a, b), {}))

    def fits_alone(a: int, b: int) -> bool:
        w, h = size(a, b)
        return b - a == 1 or (w <= ROOM[0] and h <= ROOM[1] - HEADER)

    best = (n + 1, 0.0)
    for k in range(n):
        for cuts in itertools.combinations(range(1, n), k):
            bounds = (0, *cuts, n)
            spans = list(itertools.pairwise(bounds))
            if not all(fits_alone(a, b) for a, b in spans):
                continue
            sizes = [size(a, b) for a, b in spans]
            for breaks in itertools.product((False, True), repeat=len(spans) - 1):
                sheets, current = [], [sizes[0]]
                for brk, s in zip(breaks, sizes[1:], strict=True):
                    if brk:
                        sheets.append(current)
                        current = [s]
                    else:
                        current.append(s)
                sheets.append(current)
                if any(
                    len(sh) > 1
                    and (
                        max(w for w, _ in sh) > ROOM[0]
                        or sum(h for _, h in sh) + paging.STRIP_GAP * (len(sh) - 1)
                        > ROOM[1] - HEADER
                    )
                    for sh in sheets
                ):
                    continue
                found = (len(sheets), min(fill(sh) for sh in sheets))
                if found[0] < best[0] or (found[0] == best[0] and found[1] > best[1]):
                    best = found
    return best


def check_against_search(diagram) -> None:
    measure = stand_in(columns(diagram))
    sheets = paging.pack(diagram, ROOM, measure, header=lambda i: HEADER)
    fewest, fullest = best_by_search(diagram, measure)
    assert len(sheets) == fewest
    emptiest = min(fill([measure(s) for s in strips]) for strips in sheets)
    assert emptiest >= fullest - paging.FILL_STEP, (emptiest, fullest)


@pytest.mark.parametrize("seed", range(8))
def test_the_plan_takes_the_fewest_sheets_and_fills_the_emptiest_best(seed):
    diagram = layout.build(process_from(random_process(seed, 12)), None)
    assert max(columns(diagram).values()) + 1 >= 6  # enough columns to need several sheets
    check_against_search(diagram)


@pytest.mark.parametrize("name", ["complaint-handling", "it-equipment-request"])
def test_the_plan_of_a_library_process_is_the_best_there_is(name):
    path = PROCESSES / name / "to-be.flow.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    check_against_search(layout.build(load_any(path), None))
