"""The lexicons' compiled expressions kept between runs (``flowmap.inference.compiled``): a kept
expression is the very expression ``re.compile`` makes, a table that is not this Python's or
cannot be read is ignored, and nothing is written where Python writes no bytecode."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys

import pytest

from flowmap.inference import compiled
from tests.conftest import ROOT


@pytest.fixture
def table(tmp_path, monkeypatch):
    """An empty table in a folder of its own, for this test only."""
    monkeypatch.setattr(compiled, "_KEPT", compiled._Kept(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return compiled._KEPT


def _next_run(monkeypatch, kept):
    """What the next run finds: the table written, nothing read yet."""
    monkeypatch.setattr(compiled, "_KEPT", compiled._Kept(kept.folder))
    return compiled._KEPT


REGEXES = [
    r"(?P<w0>kunde[n]?(?!\w))|(?P<w1>client(?:e|es)?(?!\w))",
    r"(?=(?:leiter(?!\w)|freigabe))",
    r"(?<!\w)e *mail(?!\w)",
    "caf[eé] +noir",
]
NAMES = [
    "Kunden",
    "client",
    "Abteilungsleiter",
    "Rechnungsfreigabe",
    "e mail",
    "email",
    "café  noir",
    "cafe noir",
    "nothing",
]


def test_a_kept_expression_is_the_one_re_compiles(table, monkeypatch):
    fresh = [compiled.pattern(regex) for regex in REGEXES]
    table.save()
    assert table.path.is_file()
    table = _next_run(monkeypatch, table)
    kept = [compiled.pattern(regex) for regex in REGEXES]
    assert table.used["re"].keys() == set(REGEXES) and not table.dirty  # all from the table
    for regex, a, b in zip(REGEXES, fresh, kept, strict=True):
        assert a == b == re.compile(regex)  # same pattern, flags and engine code
        assert b.groupindex == re.compile(regex).groupindex
        for name in NAMES:
            found, expected = b.search(name), re.compile(regex).search(name)
            assert (found and (found.span(), found.lastgroup)) == (
                expected and (expected.span(), expected.lastgroup)
            )


def test_widths_are_kept_with_the_expressions(table, monkeypatch):
    calls = []

    def measure(word):
        calls.append(word)
        return len(word)

    assert compiled.width("team +lead", measure) == 10
    table.save()
    _next_run(monkeypatch, table)
    assert compiled.width("team +lead", measure) == 10
    assert calls == ["team +lead"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal data",
        marshal.dumps([1, 2]),
        marshal.dumps({"stamp": (0, "another python"), "re": {}, "width": {}}),
    ],
)
def test_a_table_that_is_not_this_pythons_is_ignored(table, content):
    table.path.write_bytes(content)
    assert compiled.pattern(REGEXES[0]) == re.compile(REGEXES[0])
    assert table.dirty  # compiled afresh, to be written again


def test_wrong_engine_code_is_compiled_again(table):
    regex = REGEXES[2]
    table.path.write_bytes(
        marshal.dumps(
            {
                "stamp": compiled._STAMP,
                "width": {},
                "lexicon": {},
                "re": {regex: (32, [1, 2, 3, 999999], 0, {}, (None,))},
            }
        )
    )
    assert compiled.pattern(regex) == re.compile(regex)


def test_a_lexicon_is_read_again_when_a_word_file_changes(table, monkeypatch, tmp_path):
    source = tmp_path / "words.py"
    source.write_text("WORDS = {}\n")
    reads = []

    def read():
        reads.append(source.read_text())
        return [("value", "en", "display", "regex")]

    first = compiled.lexicon("concept", (str(source),), read)
    table.save()
    _next_run(monkeypatch, table)
    assert compiled.lexicon("concept", (str(source),), read) == first
    assert len(reads) == 1  # kept
    source.write_text("WORDS = {'concept': ['new']}\n")
    compiled.lexicon("concept", (str(source),), read)
    assert len(reads) == 2  # the file changed: read again
    assert compiled.lexicon("concept", (str(tmp_path / "gone.py"),), read) == first
    assert len(reads) == 3  # no source to compare with: always read


def test_lexicons_read_from_the_table_match_as_read_from_the_files(table, monkeypatch):
    """Every concept, built from the word files and again from the kept table, finds the same
    words in the same names."""
    from flowmap import inference
    from flowmap.inference import matcher

    names = [
        "Kundenservice Teamleiter",
        "Directeur général adjoint",
        "Rechnungsfreigabe",
        "Approve credit limit",
        "Re-key order into ERP",
        "Kierownik działu sprzedaży",
        "Atención al cliente",
        "Wait for month end",
        "Klant belt opnieuw",
        "Pizza chef",
    ]

    def fresh():
        return [
            matcher.Lexicon(lex.concept, lex.pick, lex._values, lex._convert)
            for lex in vars(inference).values()
            if isinstance(lex, matcher.Lexicon)
        ]

    before = [[lex.matches(n) for n in names] + [lex.rows()] for lex in fresh()]
    table.save()
    kept = _next_run(monkeypatch, table)
    after = [[lex.matches(n) for n in names] + [lex.rows()] for lex in fresh()]
    assert after == before
    assert kept.used["lexicon"] and not kept.dirty  # every concept came from the table


def test_nothing_is_written_where_python_writes_no_bytecode(table, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    compiled.pattern(REGEXES[1])
    table.save()
    assert not table.path.exists()


def test_a_run_writes_the_table_at_exit_and_the_next_run_reads_it(tmp_path):
    """Two processes: the first compiles and keeps, the second finds every expression kept and
    reads the same words in the same names."""
    code = (
        "import sys\n"
        "from flowmap.inference import compiled\n"
        f"compiled._KEPT = compiled._Kept(__import__('pathlib').Path({str(tmp_path)!r}))\n"
        "from flowmap import inference\n"
        "print([str(inference.level(n)) for n in ('Abteilungsleiter', 'Kierownik zmiany',"
        " 'Directeur général', 'clerk')])\n"
        "print(len(compiled._KEPT.used['re']), compiled._KEPT.dirty)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
            env={**__import__("os").environ, "PYTHONDONTWRITEBYTECODE": ""},
        )
        for _ in range(2)
    ]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    first, second = (run.stdout.splitlines() for run in runs)
    assert first[0] == second[0] and "kierownik" in first[0]
    assert first[1].endswith("True") and second[1].endswith("False")  # all kept the 2nd time
