"""The matcher: folding, word boundaries, compounds, what decided, laziness."""

import subprocess
import sys
from typing import ClassVar

import pytest

from flowmap import inference
from flowmap.inference.matcher import Lexicon, Match, _compile_word, fold
from flowmap.model import FunctionKind, Purpose


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Zatwierdź Wniosek", "zatwierdz wniosek"),
        ("Straße", "strasse"),
        ("Bürger", "buerger"),
        ("Bu\u0308rger", "buerger"),
        ("Łódź", "lodz"),
        ("Kø", "ko"),
        ("Œuvre", "oeuvre"),
        ("Atención al Cliente", "atencion al cliente"),
        ("Re-key_order/now", "re key order now"),
        ("Réclamation\nclient", "reclamation client"),
    ],
)
def test_fold_takes_off_case_accents_and_separators(text, folded):
    assert fold(text) == folded


def test_fold_keeps_one_piece_per_character_so_words_map_back_to_the_name():
    found = inference.level("Zespół — Kierownik Działu")
    assert (found.value, found.lang, found.text) == (4, "pl", "Kierownik Działu")
    assert (
        found.reason("level of lane 'Zespół — Kierownik Działu'")
        == "level of lane 'Zespół — Kierownik Działu' = 4 (pl: kierownik działu)"
    )
    found = inference.has_purpose("Größe prüfen", Purpose.inspection)
    assert found is not None and found.text == "prüfen"


@pytest.mark.parametrize(
    "name, value",
    [
        ("Rechnungsfreigabe", Purpose.approval),  # a compound ending in an approval
        ("Kundenbeschwerde", Purpose.complaint),
        ("Kreditgenehmigung", Purpose.approval),
        ("Rechnungsprüfung", Purpose.inspection),
        ("Rechnungspruefung", Purpose.inspection),  # umlaut written as ue
    ],
)
def test_german_compounds_are_read_by_their_last_word(name, value):
    assert value in [m.value for m in inference.purposes(name)]


@pytest.mark.parametrize(
    "name, level",
    [
        ("Abteilungsleiter", 3),
        ("Abteilungsleiterin", 3),
        ("Hauptabteilungsleiter", 4),
        ("Vertriebsleiter", 4),
        ("Teamleiterin Innendienst", 2),
        ("Sachbearbeitung", 1),
    ],
)
def test_compound_levels(name, level):
    assert inference.role_level(name) == level


@pytest.mark.parametrize(
    "name", ["Submit the form", "Three approvals", "Repair the boiler", "Edit order", "Chrome"]
)
def test_short_words_are_not_found_inside_other_words(name):
    # 'it' in submit/edit, 'hr' in three/chrome, 'rep' in repair
    assert inference.function_kind(name) not in (FunctionKind.it, FunctionKind.hr)
    assert inference.role_level(name) is None


def test_a_match_says_what_decided():
    found = inference.level("Abteilungsleiterin")
    assert found == Match("level", 3, "de", "abteilungsleiterin", "Abteilungsleiterin")
    assert (
        found.reason("level of lane 'Abteilungsleiterin'")
        == "level of lane 'Abteilungsleiterin' = 3 (de: abteilungsleiterin)"
    )
    kind = inference.kind("Buchhaltung")
    assert (
        kind.reason("kind of 'Buchhaltung'") == "kind of 'Buchhaltung' = finance (de: buchhaltung)"
    )
    customer = inference.customer("Endkunde")
    assert (
        customer.reason("pool 'Endkunde' is the customer")
        == "pool 'Endkunde' is the customer (de: kunde)"
    )


def test_words_shared_by_languages_name_every_language(tmp_path, monkeypatch):
    from flowmap.inference import words

    class Fake:
        WORDS: ClassVar[dict] = {"thing": ["cliente"]}
        EXCLUDE: ClassVar[dict] = {}

    monkeypatch.setattr("flowmap.inference.matcher.LANGUAGES", ("xa", "xb"))
    monkeypatch.setitem(sys.modules, "flowmap.inference.words.xa", Fake)
    monkeypatch.setitem(sys.modules, "flowmap.inference.words.xb", Fake)
    assert words  # the package exists
    found = Lexicon("thing").find("Il Cliente")
    assert (found.lang, found.word, found.value) == ("xa/xb", "cliente", True)


def test_pick_order_takes_the_priority_not_the_leftmost():
    # the weekly run (batching) outranks the wait (waiting)
    assert inference.waste("Wait for weekly invoice run").value == "batching"
    # the highest level outranks the first
    assert inference.role_level("Assistant to the CEO") == 5


def test_pick_all_gives_one_match_per_value_in_order():
    found = inference.purposes("Rechnung prüfen, prüfen lassen und freigeben")
    assert [m.value for m in found] == [Purpose.inspection, Purpose.approval]


def test_capturing_groups_are_refused_in_word_files():
    with pytest.raises(ValueError, match="capturing group"):
        _compile_word("(foo|bar)s", "en")


def test_notation():
    regex, _ = _compile_word("-leiter", "de")
    assert not regex.startswith(r"(?<!\w)")
    regex, _ = _compile_word("genehmig-", "de")
    assert not regex.endswith(r"(?!\w)")
    regex, _ = _compile_word("prüf", "de")
    assert "pruef" in regex


def test_importing_inference_compiles_nothing():
    code = (
        "import re, sys, dataclasses, importlib, unicodedata, enum, typing\n"
        "calls = []\n"
        "real = re.compile\n"
        "re.compile = lambda *a, **k: calls.append(a) or real(*a, **k)\n"
        "import flowmap.inference\n"
        "print(len(calls))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_empty_and_odd_names():
    assert inference.role_level("") is None
    assert inference.purposes("") == []
    assert inference.customer("\u200b\u0301") is None
    assert inference.failure("x" * 10_000) is None
