"""What the *names* in a model say, in several languages, when the modeller did not say it outright.

The one place for words in names: the customer and customer service, role levels, jobs, function
kinds, step purposes, waste, failure labels, and the customer receiving something. Each question
has two forms: one returning a :class:`Match`, which says what decided (so callers can record
"level of lane 'Kierownik' = 3 (pl: kierownik)" in ``Process.inferred``), and a plain one for a
quick yes/no or value.

Languages: English, German, French, Spanish, Dutch, Polish, Portuguese and Italian, all read at
once (a model may mix them). The words live in ``flowmap/inference/words/<lang>.py``; matching
folds case and accents and knows German and Dutch compounds (see
:mod:`flowmap.inference.matcher`). Nothing is compiled at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flowmap.inference.matcher import LANGUAGES, Lexicon, Match, fold

if TYPE_CHECKING:
    from flowmap.model import FunctionKind, Purpose

__all__ = [
    "LANGUAGES",
    "Lexicon",
    "Match",
    "fold",
    "customer",
    "is_customer",
    "customer_service",
    "is_customer_service",
    "level",
    "role_level",
    "person",
    "names_person",
    "kind",
    "function_kind",
    "passed",
    "cancels",
    "sets_status",
    "not_the_check",
    "unit",
    "is_unit_word",
    "is_filler",
    "purposes",
    "has_purpose",
    "waste",
    "waste_words",
    "failure",
    "names_failure",
    "receives",
    "delivers",
    "WASTE_KINDS",
]


def _kind(value: str) -> FunctionKind:
    from flowmap.model import FunctionKind

    return FunctionKind(value)


def _purpose(value: str) -> Purpose:
    from flowmap.model import Purpose

    return Purpose(value)


# Kinds of function in priority order: a name with several kind words takes the first.
_KIND_ORDER = (
    "billing",
    "finance",
    "sales",
    "marketing",
    "logistics",
    "manufacturing",
    "procurement",
    "hr",
    "it",
    "legal",
    "compliance",
    "risk",
    "product",
    "field",
    "operations",
    "management",
)
# Kinds of waste in priority order ("Wait for the weekly run" is batching, not waiting).
WASTE_KINDS = (
    "re-keying",
    "transport",
    "batching",
    "waiting",
    "chasing",
    "over-processing",
    "rework",
)

_CUSTOMER = Lexicon("customer")
_SERVICE = Lexicon("service")
_LEVEL = Lexicon("level", pick="order", values=(5, 4, 3, 2, 1))
_PERSON = Lexicon("person")
_UNIT = Lexicon("unit")
_FILLER = Lexicon("filler")
_CANCEL = Lexicon("cancel")
_PASSED = Lexicon("passed")
_STATUS = Lexicon("status")
_KIND = Lexicon("kind", pick="order", values=_KIND_ORDER, convert=_kind)
_PURPOSE = Lexicon("purpose", pick="all", convert=_purpose)
_WASTE = Lexicon("waste", pick="order", values=WASTE_KINDS)
_FAILURE = Lexicon("failure")
_RECEIVE = Lexicon("receive")
_DELIVER = Lexicon("deliver")


# -- the customer -------------------------------------------------------------------------------


def customer_service(name: str) -> Match | None:
    """The word that makes ``name`` a customer-service function ('Kundendienst', 'obsługa
    klienta', 'Help desk'), or None."""
    return _SERVICE.find(name)


def is_customer_service(name: str) -> bool:
    return customer_service(name) is not None


def customer(name: str) -> Match | None:
    """The word that makes a pool or lane the customer ('Kunde', 'klient', 'Patient'), or None.
    Customer service is not the customer, and neither is a department or system named after
    the customer ('Customer Data Management and IT systems', 'Kundenbuchhaltung'): a name with
    a word for a kind of function names that function."""
    found = _CUSTOMER.find(name)
    if found is None or _SERVICE.find(name) is not None or _KIND.find(name) is not None:
        return None
    return found


def is_customer(name: str) -> bool:
    return customer(name) is not None


# -- roles and functions -----------------------------------------------------------------------


def level(name: str) -> Match | None:
    """The role level a name suggests (1 front line .. 5 executive); the highest when several
    words are found ('Assistant to the CEO' reads 5)."""
    return _LEVEL.find(name)


def role_level(name: str) -> int | None:
    found = level(name)
    return cast(int, found.value) if found else None


def person(name: str) -> Match | None:
    """The word that makes a lane a job held by people ('Pizza chef', 'Clerk', 'Kierownik')
    rather than a department: a level word or a job word."""
    return level(name) or _PERSON.find(name)


def names_person(name: str) -> bool:
    return person(name) is not None


def kind(name: str) -> Match | None:
    """The function kind a department's name says ('Buchhaltung' -> finance); customer service
    first."""
    service = customer_service(name)
    if service is not None:
        return Match("kind", _kind("service"), service.lang, service.word, service.text)
    return _KIND.find(name)


def function_kind(name: str) -> FunctionKind:
    """The :class:`~flowmap.model.FunctionKind` of a department's name (``other`` when none)."""
    found = kind(name)
    return cast("FunctionKind", found.value) if found else _kind("other")


def unit(name: str) -> Match | None:
    """The word in ``name`` that only says "a unit of people" ('team', 'Abteilung', 'équipe'),
    or None: it does not tell one department from another."""
    return _UNIT.find(name)


def _whole(lexicon: Lexicon, word: str) -> bool:
    found = lexicon.find(word)
    return found is not None and fold(found.text) == fold(word).strip()


def is_unit_word(word: str) -> bool:
    """Is ``word`` (one word) a unit word: 'Team', 'Abteilung', 'zespół'?"""
    return _whole(_UNIT, word)


def is_filler(word: str) -> bool:
    """Is ``word`` (one word) a small word a department's name holds around its own words
    ('of', 'und', 'de'), or one that qualifies a role rather than naming a department ('senior',
    'line')?"""
    return _whole(_FILLER, word)


# -- steps and flows ---------------------------------------------------------------------------


def purposes(name: str) -> list[Match]:
    """Every purpose a step's name names, one match per :class:`~flowmap.model.Purpose`, in the
    order they occur ('Rechnung prüfen und freigeben' -> inspection, approval)."""
    return _PURPOSE.matches(name)


def has_purpose(name: str, purpose: Purpose) -> Match | None:
    """The word that gives ``name`` the purpose ``purpose``, or None."""
    for found in purposes(name):
        if found.value == purpose:
            return found
    return None


def passed(name: str) -> Match | None:
    """The word saying a check has passed ('Approved', 'Genehmigt', 'goedgekeurd'), or None."""
    return _PASSED.find(name)


def cancels(name: str) -> Match | None:
    """The word saying the step cancels or withdraws something ('Cancel review', 'Antrag
    stornieren', 'Annuler la commande'), or None."""
    return _CANCEL.find(name)


def sets_status(name: str) -> Match | None:
    """The word saying the step records a status ('Set status: approved', 'Zet interne status:
    Goedkeuring'), or None."""
    return _STATUS.find(name)


def not_the_check(name: str) -> Match | None:
    """The word saying a step that names an approval or a check only tells someone about it,
    cancels it or records its status ('Notify about approval', 'Cancel SSI review', 'Zet status:
    goedkeuring'), or that the whole name is the state after a check ('Approved', 'Genehmigt':
    how Imixs names the states of a request): the step is not the check. None when nothing
    says so."""
    for found in purposes(name):
        if found.value == _purpose("notification"):
            return found
    state = passed(name)
    if state is not None and fold(state.text) == fold(name).strip(" .!"):
        return state
    return cancels(name) or sets_status(name)


def waste(name: str) -> Match | None:
    """The word that marks a step as waste (value is the kind of waste: re-keying, transport,
    batching, waiting, chasing, over-processing, rework), or None. Never value-adding."""
    return _WASTE.find(name)


def waste_words() -> list[tuple[object, str, str]]:
    """(kind of waste, languages, word) of every waste word, in the order the word files list
    them."""
    return _WASTE.rows()


def failure(label: str) -> Match | None:
    """The word that makes a flow's label name a failure ('rejected', 'fehlt', 'brak')."""
    return _FAILURE.find(label)


def names_failure(label: str) -> bool:
    return failure(label) is not None


def receives(name: str) -> Match | None:
    """The word saying that the step's owner receives something ('Receive offer', 'Ware
    erhalten', 'Otrzymanie faktury'): for the customer, an outcome, not a cost."""
    return _RECEIVE.find(name)


def delivers(name: str) -> Match | None:
    """The word saying that the step hands something over ('Ship goods', 'Angebot senden')."""
    return _DELIVER.find(name)
