"""What flowmap reads from the *names* in a BPMN model, when the modeller did not say it outright.

Each guess here has an explicit override in the ``flowmap:`` namespace (see ``docs/bpmn.md``):

* a pool or lane whose name says *customer* (client, patient, citizen...) is the customer;
* a lane's role level comes from words such as clerk (1), supervisor (2), manager (3), head (4),
  chief (5);
* a function's kind comes from words such as *customer service*, *billing*, *warehouse*;
* a flow out of a gateway whose label names a failure (*rejected*, *missing*...) is an exception.
"""

from __future__ import annotations

import re
import unicodedata

from flowmap.model import FunctionKind

_WORD = r"(?<![a-z0-9]){}(?![a-z0-9])"


def _matcher(words: list[str]) -> re.Pattern:
    return re.compile("|".join(_WORD.format(w) for w in words))


CUSTOMER = _matcher([
    "customers?", "clients?", "patients?", "citizens?", "applicants?", "passengers?",
    "guests?", "members?", "buyers?", "consumers?", "subscribers?", "policy ?holders?",
    "claimants?", "students?", "tenants?", "travell?ers?", "shoppers?",
    # German models are common in the wild
    "kunden?", "kundin", "antragsteller(?:in)?", "bewerber(?:in)?", "patient(?:in)?",
])
# "customer service" is a function that serves the customer, not the customer.
_SERVICE = _matcher([
    r"customer (?:service|support|care|desk|relations|success)", "support", "service ?desk",
    "help ?desk", r"call ?cent(?:er|re)s?", r"contact ?cent(?:er|re)s?", "customer care",
    "kundendienst", "kundenservice",
])

# Highest level first: "vice president" must win over "president"-less words below it.
_LEVELS: list[tuple[int, re.Pattern]] = [
    (5, _matcher(["vice ?presidents?", "vp", "chief", "executives?", "ceo", "cfo", "coo", "cio",
                  "cto", "presidents?", "board", "owner", "vorstand", "gesch[aä]ftsf[uü]hr\\w*"])),
    (4, _matcher(["heads?", "directors?", "director of", "leiter\\w*"])),
    (3, _matcher(["managers?", "manager of", "abteilungsleiter\\w*"])),
    (2, _matcher(["team ?leads?", "team ?leaders?", "supervisors?", "coordinators?",
                  "foreman", "forewoman", "shift ?leads?", "teamleiter\\w*"])),
    (1, _matcher(["clerks?", "agents?", "representatives?", "reps?", "specialists?", "analysts?",
                  "officers?", "assistants?", "operators?", "workers?", "employees?", "staff",
                  "technicians?", "advisors?", "advisers?", "sachbearbeiter\\w*",
                  "mitarbeiter\\w*"])),
]

# Words that name a person's job: a pool whose lanes all carry one is a function split into roles.
_PERSON = _matcher([
    "chef", "cooks?", "drivers?", "couriers?", "boy", "girl", "nurses?", "doctors?",
    "physicians?", "tellers?", "cashiers?", "receptionists?", "engineers?", "accountants?",
    "approvers?", "reviewers?", "dispatchers?", "pickers?", "planners?", "secretary",
    "administrators?", "admins?", "consultants?", "experts?", "lawyers?", "auditors?",
    "inspectors?", "adjusters?", "handlers?", "underwriters?", "recruiters?", "owners?",
    "sachbearbeiter\\w*", "f[uü]hrungskraft",
])

_KINDS: list[tuple[FunctionKind, re.Pattern]] = [
    (FunctionKind.service, _SERVICE),
    (FunctionKind.billing, _matcher(["billing", "invoic\\w*"])),
    (FunctionKind.finance, _matcher(["finance", "financial", "accounting", "accounts",
                                     "treasury", "credit", "controlling", "buchhaltung"])),
    (FunctionKind.sales, _matcher(["sales", "selling", "account management", "vertrieb"])),
    (FunctionKind.marketing, _matcher(["marketing"])),
    (FunctionKind.logistics, _matcher(["logistics", "warehouse", "shipping", "dispatch",
                                       "transport", "delivery", "fulfil+ment", "lager"])),
    (FunctionKind.manufacturing, _matcher(["production", "manufactur\\w*", "plant",
                                           "assembly", "kitchen", "fertigung"])),
    (FunctionKind.procurement, _matcher(["procurement", "purchasing", "sourcing", "einkauf"])),
    (FunctionKind.hr, _matcher(["hr", "human resources", "personnel", "recruiting",
                                "personal\\w*"])),
    (FunctionKind.it, _matcher(["it", "information technology", "it department",
                                "it operations"])),
    (FunctionKind.legal, _matcher(["legal", "law", "recht\\w*"])),
    (FunctionKind.compliance, _matcher(["compliance", "audit"])),
    (FunctionKind.risk, _matcher(["risk", "underwriting", "fraud"])),
    (FunctionKind.product, _matcher(["product", "engineering", "development", "r&d"])),
    (FunctionKind.field, _matcher(["field", "installation", "repair", "maintenance"])),
    (FunctionKind.operations, _matcher(["operations", "processing", "back ?office",
                                        "claims"])),
    (FunctionKind.management, _matcher(["management", "executive", "board", "leadership"])),
]

FAILURE = _matcher([
    "errors?", "erroneous", "wrong", "missing", "reject(?:ed|ion)?", "defects?", "defective",
    "complaints?", "disputes?", "disputed", "late", "fail(?:s|ed|ure)?", "incorrect",
    "incomplete", "invalid", "damaged", "denied", "declined", "not ok", "nok",
])


def words(name: str) -> str:
    """Lower-case name with line breaks and punctuation folded to spaces."""
    return re.sub(r"[\s_/\-]+", " ", (name or "").lower()).strip()


def is_customer(name: str) -> bool:
    text = words(name)
    return bool(CUSTOMER.search(text)) and not _SERVICE.search(text)


def role_level(name: str) -> int | None:
    """The level a role's name suggests (1 front line .. 5 executive), None when it says none."""
    text = words(name)
    for level, pattern in _LEVELS:
        if pattern.search(text):
            return level
    return None


def names_person(name: str) -> bool:
    """Whether a lane's name reads as a job ('Pizza chef', 'Clerk') rather than a department."""
    return role_level(name) is not None or bool(_PERSON.search(words(name)))


def function_kind(name: str) -> FunctionKind:
    text = words(name)
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return FunctionKind.other


def names_failure(label: str) -> bool:
    return bool(FAILURE.search(words(label)))


_ID_BAD = re.compile(r"[^A-Za-z0-9_-]+")


def slug(text: str, limit: int = 60) -> str:
    """A readable flowmap id from a name: 'Head of Sales' -> 'head-of-sales'."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    if out and not out[0].isalpha():
        out = f"n{out}"
    return out


def sanitise_id(raw: str, limit: int = 200) -> str:
    """``raw`` made to fit flowmap's id pattern (letters, digits, '-', '_'; no leading digit)."""
    out = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    out = _ID_BAD.sub("_", out) or "id"
    if not (out[0].isalpha() or out[0] == "_"):
        out = f"_{out}"
    return out[:limit]
