"""The lexicon that infers a step's value when the model does not declare it (VAL002, VAL005).

Imported models (BPMN, workshop sketches) rarely say whether a step adds value. Their names and
purposes often do: "Re-key order into ERP", "Wait for weekly invoice run", "Forward to finance".
:func:`infer` reads, in this order, a step's *purpose* tags, its *kind* (``wait``) and its *name*,
and returns the first thing that marks it as waste, with the word that decided and the kind of
waste (the office forms of Lean's TIMWOODS). It never infers value-adding: a name cannot show that
a customer would pay for a step.

The words are matched at the start of a word, case-insensitively, with or without a hyphen
("re-key", "rekey", "re key"). The table is :data:`WORDS`; ``flowmap explain VAL002`` prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowmap.model import Purpose, Step, StepKind, Value


@dataclass(frozen=True)
class Word:
    pattern: str  # a regular expression, matched from the start of a word
    word: str  # how the documentation and the evidence name it
    waste: str  # the kind of waste


WORDS: tuple[Word, ...] = (
    Word(r"re-?\s?key", "re-key", "re-keying"),
    Word(r"re-?\s?(?:enter|entry|type)", "re-enter", "re-keying"),
    Word(r"transcrib", "transcribe", "re-keying"),
    Word(r"(?:photo)?cop(?:y|ies)\b", "copy", "re-keying"),
    Word(r"print", "print", "transport"),
    Word(r"scan", "scan", "transport"),
    Word(r"fax", "fax", "transport"),
    Word(r"forward", "forward", "transport"),
    Word(r"pass(?:es)?(?:\s+[\w-]+){0,2}\s+to\b", "pass ... to", "transport"),
    Word(r"(?:allocate|assign)\w*(?:\s+[\w-]+){0,2}\s+to\b", "assign ... to", "transport"),
    Word(r"transfer(?:red)?\s+to\b", "transfer to", "transport"),
    Word(r"re-?\s?route", "re-route", "transport"),
    Word(r"hand[-\s]?(?:over|carr)", "hand over", "transport"),
    Word(r"escalat", "escalate", "transport"),
    Word(r"batch", "batch", "batching"),
    Word(r"(?:nightly|weekly|monthly|overnight)\s+(?:[\w-]+\s+)?(?:run|transfer|job)",
         "nightly/weekly/monthly/overnight run", "batching"),
    Word(r"wait", "wait", "waiting"),
    Word(r"queue", "queue", "waiting"),
    Word(r"chas(?:e|er|ing)", "chase", "chasing"),
    Word(r"follow[-\s]?up", "follow up", "chasing"),
    Word(r"remind", "remind", "chasing"),
    Word(r"second\s+(?:approval|sign)", "second approval", "over-processing"),
    Word(r"re-?\s?approv", "re-approve", "over-processing"),
    Word(r"countersign", "countersign", "over-processing"),
    Word(r"double[-\s]?check", "double-check", "over-processing"),
    Word(r"re-?\s?check", "re-check", "over-processing"),
    Word(r"(?:check|verify)\s+again", "check again", "over-processing"),
    Word(r"by\s+hand\b", "by hand", "over-processing"),
    Word(r"re-?\s?(?:send|submit)", "re-send", "rework"),
    Word(r"repeat", "repeat", "rework"),
    Word(r"again\b", "again", "rework"),
    Word(r"re-?\s?(?:do|work)\b", "redo", "rework"),
    Word(r"amend", "amend", "rework"),
    Word(r"re-?\s?bill", "re-bill", "rework"),
)

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

_COMPILED = tuple((re.compile(r"(?<![\w-])" + w.pattern, re.IGNORECASE), w) for w in WORDS)
# One pass that says whether any word occurs at all: most names hold none, and then the ordered
# search below (which decides *which* word counts) is skipped.
_ANY = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{w.pattern})" for w in WORDS) + ")",
                  re.IGNORECASE)


@dataclass(frozen=True)
class Inference:
    value: Value
    word: str  # what decided: the word of the name, "purpose: re-entry" or "kind: wait"
    waste: str
    source: str  # "purpose", "kind" or "name"


def infer(step: Step) -> Inference | None:
    """The waste a step's purpose, kind or name shows, or None when nothing does."""
    for purpose in step.purpose:
        if purpose in PURPOSES:
            return Inference(Value.none, f"purpose: {purpose.value}", PURPOSES[purpose], "purpose")
    if step.kind == StepKind.wait:
        return Inference(Value.none, "kind: wait", "waiting", "kind")
    return match_name(step.name or step.id)


def match_name(text: str) -> Inference | None:
    """The first lexicon word found in ``text``."""
    if _ANY.search(text) is None:
        return None
    for regex, word in _COMPILED:
        found = regex.search(text)
        if found:
            return Inference(Value.none, found.group(0).strip(), word.waste, "name")
    return None


def effective_value(step: Step) -> Value | None:
    """The declared value, or the inferred one (``none``), or None when unknown."""
    if step.value is not None:
        return step.value
    inferred = infer(step)
    return inferred.value if inferred else None


def table() -> str:
    """The lexicon as a Markdown table, for the rule pages."""
    rows = ["| word | waste |", "|---|---|"]
    rows += [f"| {w.word} | {w.waste} |" for w in WORDS]
    rows += [f"| purpose `{p.value}` | {waste} |" for p, waste in PURPOSES.items()]
    rows.append("| kind `wait` | waiting |")
    return "\n".join(rows)
