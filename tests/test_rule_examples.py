"""Every example of every registered rule produces exactly the findings it states.

An invalid example lists its findings in a ``# expect:`` comment block (see
:mod:`flowmap.rules.examples`): code, elements in order and a part of the message. The rule must
report exactly those, no more and no fewer; on a valid example it must report nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmap import analysis, rules
from flowmap.config import Config
from flowmap.loaders.flow_yaml import load_process
from flowmap.rules.examples import Expected, expectations

ALL = rules.all_rules()
EXAMPLES = [(rule, example) for rule in ALL for example in rule.examples()]


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_every_rule_has_a_valid_and_an_invalid_example(rule):
    kinds = {e.valid for e in rule.examples()}
    assert kinds == {True, False}, f"{rule.code}: needs valid-*.flow.yaml and invalid-*.flow.yaml"
    folder = rule.examples()[0].path.parent.name
    assert folder.startswith(rule.code.lower() + "_"), f"{rule.code} lives in {folder}"


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES, ids=[f"{r.code}/{e.path.name}" for r, e in EXAMPLES]
)
def test_example_produces_exactly_the_stated_findings(rule, example):
    result = analysis.analyze(load_process(example.path), Config(select=(rule.code,)))
    assert not result.rule_errors, result.rule_errors
    got = [f for f in result.findings if f.code == rule.code]
    if example.valid:
        assert not got, f"{example.path.name}: {[f.message for f in got]}"
        return
    assert example.expected, f"{example.path.name} states no finding"
    assert all(e.code == rule.code for e in example.expected), example.expected
    unmatched = list(got)
    for wanted in example.expected:
        match = next(
            (
                f
                for f in unmatched
                if f.code == wanted.code
                and f.elements == wanted.elements
                and wanted.message in f.message
            ),
            None,
        )
        assert match is not None, (
            f"{example.path.name}: no finding {wanted} among "
            f"{[(f.code, f.elements, f.message) for f in unmatched]}"
        )
        unmatched.remove(match)
    assert not unmatched, (
        f"{example.path.name}: unexpected {[(f.elements, f.message) for f in unmatched]}"
    )
    located = result.process.locate("process").line > 0
    for finding in got:
        assert finding.suggestion and finding.why and finding.evidence, finding.code
        assert finding.location.line > 0 or not located
        assert len(finding.fingerprint) == 16


def test_the_expectation_block_is_read_as_written():
    text = (
        "# An example.\n# expect:\n#   - code: SMK001\n#     elements: [a->b, a]\n"
        '#     message: "a reaches b"\nflowmap: 1\n# expect: not part of the header\n'
    )
    assert expectations(text) == (Expected("SMK001", ("a->b", "a"), "a reaches b"),)


@pytest.mark.parametrize(
    "text",
    [
        "flowmap: 1\n",
        "# expect:\n#   - code: SMK001\nflowmap: 1\n",
        "# expect:\n#   code: SMK001\nflowmap: 1\n",
        "# expect:\n#   - [unclosed\nflowmap: 1\n",
    ],
    ids=["missing", "incomplete", "not-a-list", "not-yaml"],
)
def test_a_broken_expectation_block_is_refused(text):
    with pytest.raises(ValueError, match="expect"):
        expectations(text)


RULES_DIR = Path(rules.__file__).parent
SHARED = sorted(RULES_DIR.rglob("*.org.yaml"))


def test_examples_share_their_organisations():
    """An organisation two examples have in common is one file they both name; each shared file
    is named by two examples or more, and the package ships it."""
    import tomllib

    named: dict[Path, int] = {}
    blocks: dict[str, list[str]] = {}
    for _, example in EXAMPLES:
        text = example.file_text
        ref = next(
            (
                line.split(":", 1)[1].strip()
                for line in text.splitlines()
                if line.startswith("organisation:")
            ),
            "",
        )
        if ref.endswith(".org.yaml"):
            path = (example.path.parent / ref).resolve()
            named[path] = named.get(path, 0) + 1
        else:
            block = example.text.split("\norganisation:", 1)[1].split("\nsteps:", 1)[0]
            blocks.setdefault(block, []).append(example.path.name)
    assert {p: n for p, n in named.items() if n < 2} == {}, "a shared file used once: inline it"
    assert sorted(p.resolve() for p in SHARED) == sorted(named), "a file no example names"
    assert {b: names for b, names in blocks.items() if len(names) > 1} == {}, (
        "examples with the same organisation written out: share one *.org.yaml"
    )
    patterns = tomllib.loads((RULES_DIR.parents[1] / "pyproject.toml").read_text("utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["flowmap"]
    for path in SHARED:
        inside = path.relative_to(RULES_DIR.parent)
        assert any(inside.match(p) for p in patterns), f"{inside} is not in the package data"


@pytest.mark.parametrize("org", SHARED, ids=lambda p: p.relative_to(RULES_DIR).as_posix())
def test_a_shared_organisation_reads_as_the_example_written_out(org, tmp_path):
    """What a page shows (the example with its organisation written out) is the process the
    example file loads as."""
    for _, example in EXAMPLES:
        if (
            example.path.parent
            / example.file_text.split("organisation:", 1)[1].split("\n", 1)[0].strip()
        ).resolve() != org.resolve():
            continue
        alone = tmp_path / example.path.name
        alone.write_text(example.text, encoding="utf-8")
        assert load_process(alone).model_dump(exclude={"path"}) == load_process(
            example.path
        ).model_dump(exclude={"path"}), example.path.name
