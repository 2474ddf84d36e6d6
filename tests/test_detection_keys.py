"""The detection answer keys (benchmarks/detection/keys) are well-formed and name real things, and
the scorer matches findings to them as documented.

Keys that judge corpus models are checked against the files in the shared corpus
(../shared/corpus, or $FLOWMAP_CORPUS); those checks skip when the corpus is not here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

DETECTION = Path(__file__).resolve().parents[1] / "benchmarks" / "detection"
sys.path.insert(0, str(DETECTION))

import answer_key as ak  # noqa: E402
import score as scorer  # noqa: E402

from flowmap import rules  # noqa: E402

CORPUS = ak.find_corpus()
KEY_FILES = ak.key_files()
needs_corpus = pytest.mark.skipif(
    CORPUS is None, reason="shared corpus not found (../shared/corpus or $FLOWMAP_CORPUS)"
)


def test_there_are_keys_for_thirty_real_models_and_the_library_files():
    keys = [ak.load_key(p) for p in KEY_FILES]
    assert sum(k.model.startswith("corpus:") for k in keys) >= 30
    library = {k.model for k in keys if k.model.startswith("repo:processes/")}
    on_disk = {
        f"repo:{p.relative_to(ak.ROOT)}" for p in (ak.ROOT / "processes").glob("*/*.flow.yaml")
    }
    assert len(library) >= 12 and library <= on_disk


@pytest.mark.parametrize("path", KEY_FILES, ids=lambda p: p.stem)
def test_key_is_well_formed_and_names_real_rule_codes(path):
    key = ak.load_key(path)
    known = {r.code for r in rules.all_rules()}
    for entry in (*key.problems, *key.wrong):
        assert set(entry.codes) <= known, f"{path.name}: unknown codes {set(entry.codes) - known}"


@pytest.mark.parametrize("path", KEY_FILES, ids=lambda p: p.stem)
def test_every_element_a_key_names_exists_in_its_model(path):
    key = ak.load_key(path)
    model = ak.model_path(key, CORPUS)
    if model is None:
        pytest.skip("shared corpus not found (../shared/corpus or $FLOWMAP_CORPUS)")
    assert model.is_file(), f"{path.name}: model {key.model} not found at {model}"
    ids = ak.model_ids(model)
    for entry in (*key.problems, *key.wrong):
        if entry.elements != ak.ANY:
            missing = [e for e in entry.elements if e not in ids]
            assert not missing, f"{path.name}: {missing} are not ids of {key.model}"


def test_key_files_have_unique_models():
    models = [ak.load_key(p).model for p in KEY_FILES]
    assert len(models) == len(set(models))


# -- the key format refuses what it cannot score ---------------------------------------------------

GOOD = """\
model: repo:processes/order-to-cash/as-is.flow.yaml
language: en
summary: A hand-made key for the tests.
organisation: {customer: The buyer, notes: [one function with levels]}
problems:
  - {family: SMK, codes: [SMK001], elements: [forward-to-credit], why: a chimney}
wrong:
  - {codes: [STR001], elements: any, why: valid file}
"""


def write(tmp_path, text, name="k.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_key_loads(tmp_path):
    key = ak.load_key(write(tmp_path, GOOD))
    assert key.problems[0].codes == ["SMK001"]


@pytest.mark.parametrize(
    "change, message",
    [
        (("language: en", "language: en\nreviewer: me"), "reviewer"),
        (("codes: [SMK001]", "codes: [SMK1]"), "not rule codes"),
        (("family: SMK", "family: VAL"), "no VAL code"),
        (("elements: [forward-to-credit]", "elements: []"), "at least one id"),
        (("elements: any", "elements: all"), "'any'"),
        (
            (
                "  - {family: SMK, codes: [SMK001], elements: [forward-to-credit], why: a chimney}\n",
                "",
            ),
            "no_problems",
        ),
        (("model: repo:", "model: "), "model"),
    ],
)
def test_a_bad_key_is_refused_with_the_file_and_the_field(tmp_path, change, message):
    old, new = change
    text = GOOD.replace(old, new)
    if "problems:\nwrong" in text:
        text = text.replace("problems:\nwrong", "problems: []\nwrong")
    path = write(tmp_path, text)
    with pytest.raises(ak.KeyFileError) as caught:
        ak.load_key(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_a_yaml_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path, GOOD.replace("language: en", "language: [en"))
    with pytest.raises(ak.KeyFileError, match=rf"{path.name}:\d+:\d+: not valid YAML"):
        ak.load_key(path)


# -- matching -------------------------------------------------------------------------------------

KEY = ak.AnswerKey.model_validate(
    {
        "model": "corpus:x.bpmn",
        "language": "en",
        "summary": "A hand-made key for the tests.",
        "organisation": {"customer": "someone", "notes": ["hand-made"]},
        "problems": [
            {
                "family": "SMK",
                "codes": ["SMK001", "SMK002"],
                "elements": ["Task.1", "Task_2"],
                "why": "chimney",
            },
            {
                "family": "VAL",
                "codes": ["VAL007"],
                "elements": ["Approve"],
                "why": "approves nothing",
            },
            {"family": "SRV", "codes": ["SRV005"], "elements": "any", "why": "no listening"},
        ],
        "wrong": [
            {"codes": ["STR001"], "elements": ["Event_boundary"], "why": "boundary event"},
            {"codes": ["SMK004"], "elements": "any", "why": "no bounce"},
        ],
    }
)


def test_findings_are_hits_false_alarms_or_unjudged():
    findings = [
        ak.Seen("SMK002", ("Task_1", "Lane_x")),  # hit: the importer's form of 'Task.1'
        ak.Seen("SMK001", ("Task_2",)),  # a second hit on the same problem
        ak.Seen("SRV005", ()),  # hit: a process-wide problem, 'any'
        ak.Seen("STR001", ("Event_boundary",)),  # false alarm
        ak.Seen("SMK004", ("Task_9", "Task_8")),  # false alarm: 'any'
        ak.Seen("STR001", ("Task_7",)),  # unjudged: right code, other element
        ak.Seen("VAL007", ("Task_2",)),  # unjudged: an element of another problem
    ]
    result = ak.score(KEY, findings)
    assert result.keyed == 3
    assert result.found == [0, 2]  # the approval problem is missed
    assert [f.code for f in result.hits] == ["SMK002", "SMK001", "SRV005"]
    assert [(f.code, why) for f, why in result.false_alarms] == [
        ("STR001", "boundary event"),
        ("SMK004", "no bounce"),
    ]
    assert [f.elements for f in result.unjudged] == [("Task_7",), ("Task_2",)]
    assert result.findings == 7


def test_a_finding_that_hits_a_problem_is_not_also_a_false_alarm():
    key = KEY.model_copy(
        update={"wrong": [ak.Wrong(codes=["SMK001"], elements="any", why="wrong everywhere")]}
    )
    result = ak.score(key, [ak.Seen("SMK001", ("Task_2",))])
    assert result.found == [0] and not result.false_alarms


def test_element_ids_match_exactly_or_in_the_importers_sanitised_form():
    assert ak.same_element("Task.1", "Task.1")
    assert ak.same_element("Task.1", "Task_1")
    assert ak.same_element("Überweisung vorbereiten", "Uberweisung_vorbereiten")
    assert ak.same_element("6-53", "_6-53")
    assert not ak.same_element("Task.1", "Task_11")
    assert not ak.same_element("Task_1", "Task.1")


# -- the scorer end to end -------------------------------------------------------------------------


def test_scorer_runs_flowmap_and_names_a_model_that_does_not_load(tmp_path, capsys):
    keys, corpus = tmp_path / "keys", tmp_path / "corpus"
    keys.mkdir(), corpus.mkdir()
    (corpus / "broken.bpmn").write_text("<definitions", encoding="utf-8")
    write(keys, GOOD, "library.yaml")
    write(
        keys,
        GOOD.replace("repo:processes/order-to-cash/as-is.flow.yaml", "corpus:broken.bpmn"),
        "broken.yaml",
    )
    assert scorer.main(["--keys", str(keys), "--corpus", str(corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    by_key = {f["key"]: f for f in report["files"]}
    assert by_key["broken.yaml"]["error"].startswith("does not load")
    assert by_key["broken.yaml"]["found"] == 0 and by_key["broken.yaml"]["keyed"] == 1
    assert by_key["library.yaml"]["error"] is None and by_key["library.yaml"]["findings"] > 0
    assert report["total"]["failed"] == ["broken.yaml"] and report["total"]["keyed"] == 2

    assert scorer.main(["--keys", str(keys), "--corpus", str(corpus), "--verbose"]) == 0
    text = capsys.readouterr().out
    assert "not measured, all problems counted missed: broken" in text
    assert "unjudged" in text and "recall" in text


def test_scorer_refuses_an_unreadable_key_with_a_failing_status(tmp_path, capsys):
    keys = tmp_path / "keys"
    keys.mkdir()
    write(keys, GOOD.replace("language: en", "language: english"), "bad.yaml")
    assert scorer.main(["--keys", str(keys), "--json"]) == 1
    assert "bad.yaml: language" in capsys.readouterr().err


@needs_corpus
def test_scorer_measures_a_corpus_model():
    assert scorer.main(["bonita-purchase-requisition", "--json"]) == 0


def test_a_finding_stands_for_the_findings_folded_into_it():
    loop = ak.Seen("VAL004", ("Approve",))
    merged = ak.Seen("SMK004", ("Task_9",), related=(loop,))
    key = KEY.model_copy(
        update={
            "problems": [
                ak.Problem(family="VAL", codes=["VAL004"], elements=["Approve"], why="rework loop")
            ]
        }
    )
    result = ak.score(key, [merged])
    assert result.found == [0] and result.hits == [merged] and not result.false_alarms
    assert ak.score(
        KEY, [ak.Seen("VAL001", ("Task_9",), related=(ak.Seen("SMK004", ()),))]
    ).false_alarms
