"""The HTML report lists findings in the one order of importance, as `flowmap analyze` does."""

from __future__ import annotations

import re
from dataclasses import replace

from flowmap.analysis import analyze, rank
from flowmap.loaders import load_any
from flowmap.render.html_report import report
from tests.render.conftest import PROCESSES, needs_dot


@needs_dot
def test_report_numbers_and_lists_findings_as_analyze_ranks_them():
    process = load_any(PROCESSES / "order-to-cash" / "as-is.flow.yaml")
    analysis = analyze(process)
    assert len({f.severity for f in analysis.findings}) > 1  # an order worth checking
    # Handed over in another order (a library caller's own list): the report ranks them itself.
    shuffled = replace(analysis, findings=list(reversed(analysis.findings)))
    page = report(shuffled)
    listed = re.findall(
        r'<li class="finding [a-z]+" id="[a-z0-9]*-?finding-(\d+)".*?<span class="code">'
        r"([A-Z]+\d+)</span>.*?<div class=\"message\">(.*?)</div>",
        page,
        re.DOTALL,
    )
    assert [int(n) for n, _, _ in listed] == list(range(1, len(listed) + 1))
    expected = rank(analysis.findings)
    assert [code for _, code, _ in listed] == [f.code for f in expected]
