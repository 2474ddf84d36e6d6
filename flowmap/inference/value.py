"""A step's value when the model does not declare it (VAL001, VAL002, VAL003, VAL005, VAL008...).

Imported models (BPMN, workshop sketches) rarely say whether a step adds value. Their names and
purposes often do: "Re-key order into ERP", "Rechnung drucken", "Attendre la validation".
:func:`infer` reads, in this order, a step's *purpose* tags, its *kind* (``wait``) and its *name*,
and returns the first thing that marks it as waste, with the word that decided and the kind of
waste (the office forms of Lean's TIMWOODS). It never infers value-adding: a name cannot show that
a customer would pay for a step.

The words, in every language :mod:`flowmap.inference` reads, are the ``waste`` entries of
``flowmap/inference/words/<lang>.py``; ``flowmap explain VAL002`` prints them (:func:`table`).
"""

from __future__ import annotations

from flowmap.inference import WASTE_KINDS, Match, waste
from flowmap.model import Purpose, Step, StepKind, Value
from flowmap.records import Record

# Purposes that say by themselves that a step is waste.
PURPOSES: dict[Purpose, str] = {
    Purpose.re_entry: "re-keying",
    Purpose.transport: "transport",
    Purpose.batching: "batching",
    Purpose.waiting: "waiting",
    Purpose.rework: "rework",
    Purpose.chasing: "chasing",
    Purpose.deflection: "deflection",
}


class Waste(Record):
    """Why a step reads as waste: its ``value``; the ``word`` that decided (as written in the
    name, "purpose: re-entry", "kind: wait"); the kind of ``waste``; the ``source`` ("purpose",
    "kind" or "name") and, for a name, the language and word (``match``: Match.reason)."""

    __slots__ = ("value", "word", "waste", "source", "match")

    def __init__(
        self, value: Value, word: str, waste: str, source: str, match: Match | None = None
    ):
        self.value, self.word, self.waste, self.source, self.match = (
            value,
            word,
            waste,
            source,
            match,
        )


def infer(step: Step) -> Waste | None:
    """The waste a step's purpose, kind or name shows, or None when nothing does."""
    for purpose in step.purpose:
        if purpose in PURPOSES:
            return Waste(Value.none, f"purpose: {purpose.value}", PURPOSES[purpose], "purpose")
    if step.kind == StepKind.wait:
        return Waste(Value.none, "kind: wait", "waiting", "kind")
    return match_name(step.name or step.id)


def match_name(text: str) -> Waste | None:
    """The waste word found in ``text`` (the highest kind of waste when there are several)."""
    found = waste(text)
    if found is None:
        return None
    return Waste(Value.none, found.text.strip(), str(found.value), "name", found)


def effective_value(step: Step) -> Value | None:
    """The declared value, or the inferred one (``none``), or None when unknown."""
    if step.value is not None:
        return step.value
    inferred = infer(step)
    return inferred.value if inferred else None


def words() -> list[tuple[str, str, str]]:
    """(kind of waste, languages, word) of every waste word, as the word files list them."""
    from flowmap.inference import waste_words

    return [(str(kind), lang, word) for kind, lang, word in waste_words()]


def table() -> str:
    """The words as a Markdown table: one row per kind of waste, words by language."""
    by_kind: dict[str, dict[str, list[str]]] = {kind: {} for kind in WASTE_KINDS}
    for kind, lang, word in words():
        by_kind[kind].setdefault(lang, []).append(word)
    rows = ["| waste | words (language) |", "|---|---|"]
    for kind, langs in by_kind.items():
        cells = "; ".join(f"{lang}: {', '.join(ws)}" for lang, ws in langs.items())
        rows.append(f"| {kind} | {cells} |")
    for purpose, kind in PURPOSES.items():
        rows.append(f"| {kind} | purpose `{purpose.value}` |")
    rows.append("| waiting | kind `wait` |")
    return "\n".join(rows)
