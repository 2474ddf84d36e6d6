"""Every language's words: a table of names with what they must (and must not) be read as.

Each row is (question, name, expected). ``None`` means the name must not be read as anything for
that question: false friends and words hidden inside other words belong here.
"""

import pytest

from flowmap import inference
from flowmap.model import FunctionKind as K
from flowmap.model import Purpose as P


def ask(question: str, name: str):
    if question == "purpose":
        found = [m.value for m in inference.purposes(name)]
        return found or None
    match = {
        "customer": inference.customer, "service": inference.customer_service,
        "level": inference.level, "person": inference.person, "kind": inference.kind,
        "waste": inference.waste, "failure": inference.failure, "receive": inference.receives,
        "deliver": inference.delivers,
    }[question](name)
    return match.value if match else None


EN = [
    ("customer", "Customer", True), ("customer", "Patients", True),
    ("customer", "Policy holder", True), ("customer", "Customer service", None),
    ("customer", "Customer Support Team", None), ("customer", "Customs office", None),
    ("service", "Help desk", True), ("service", "Call centre", True), ("service", "Sales", None),
    ("level", "Clerk", 1), ("level", "Sales rep", 1), ("level", "Team lead", 2),
    ("level", "Supervisor", 2), ("level", "Sales manager", 3), ("level", "Head of claims", 4),
    ("level", "Director of operations", 4), ("level", "Vice president", 5), ("level", "CFO", 5),
    ("level", "Repair shop", None), ("level", "Agenda", None), ("level", "Staffing plan", None),
    ("person", "Pizza chef", True), ("person", "Delivery boy", True), ("person", "Warehouse", None),
    ("kind", "Billing", K.billing), ("kind", "Accounts receivable", K.billing),
    ("kind", "Accounting", K.finance), ("kind", "Customer service", K.service),
    ("kind", "IT department", K.it), ("kind", "HR", K.hr), ("kind", "Warehouse", K.logistics),
    ("kind", "Claims handling", K.operations), ("kind", "Three", None), ("kind", "Credit", K.finance),
    ("purpose", "Approve loan", [P.approval]), ("purpose", "Sign off budget", [P.approval]),
    ("purpose", "Check and approve invoice", [P.inspection, P.approval]),
    ("purpose", "Send satisfaction survey", [P.feedback]),
    ("purpose", "Escalate to manager", [P.escalation]),
    ("purpose", "Apologise to customer", [P.placation]),
    ("purpose", "Refund the fee", [P.compensation]),
    ("purpose", "Customer complains", [P.complaint]),
    ("purpose", "Approvisioning", None), ("purpose", "Checkout page", [P.inspection]),
    ("waste", "Re-key order into ERP", "re-keying"), ("waste", "Print PO", "transport"),
    ("waste", "Chase the garage", "chasing"), ("waste", "Repeat story", "rework"),
    ("waste", "Fingerprint the device", None), ("waste", "Keyboard repair", None),
    ("waste", "Passport check", None), ("waste", "Send order confirmation", None),
    ("failure", "rejected", True), ("failure", "not in stock", True), ("failure", "No-show", True),
    ("failure", "ok", None), ("failure", "Plate", None), ("failure", "approved", None),
    ("receive", "Receive offer", True), ("receive", "Get parcel", True), ("receive", "Send offer", None),
    ("deliver", "Ship goods", True), ("deliver", "Send offer", True), ("deliver", "Receive offer", None),
]

DE = [
    ("customer", "Kunde", True), ("customer", "Endkundin", True), ("customer", "Privatkunden", True),
    ("customer", "Antragsteller", True), ("customer", "Kundendienst", None),
    ("customer", "Urkunde prüfen", None), ("customer", "Kundenberater", None),
    ("service", "Kundenservice", True), ("service", "Kundendienst", True),
    ("service", "Service-Center", True), ("service", "Vertrieb", None),
    ("level", "Sachbearbeiter", 1), ("level", "Vertriebsmitarbeiterin", 1), ("level", "Teamleiter", 2),
    ("level", "Gruppenleitung", 2), ("level", "Abteilungsleitung", 3), ("level", "Abteilungsleiter", 3),
    ("level", "Leiter Einkauf", 4), ("level", "Prokurist", 4), ("level", "Geschäftsführung", 5),
    ("level", "Geschaeftsfuehrer", 5), ("level", "Vorstand", 5),
    ("level", "Begleiter", None), ("level", "Weiterleitung an Buchhaltung", None),
    ("level", "Anleitung lesen", None), ("level", "Leitern prüfen", None),
    ("person", "Koch", True), ("person", "Rechnungsprüfer", True), ("person", "Buchhaltung", None),
    ("kind", "Buchhaltung", K.finance), ("kind", "Finanzbuchhaltung", K.finance),
    ("kind", "Vertrieb", K.sales), ("kind", "Einkauf", K.procurement), ("kind", "Lager", K.logistics),
    ("kind", "Personalabteilung", K.hr), ("kind", "Rechtsabteilung", K.legal),
    ("kind", "Kundendienst", K.service), ("kind", "Geschäftsführung", K.management),
    ("kind", "rechtzeitig", None),
    ("purpose", "Rechnungsfreigabe", [P.approval]), ("purpose", "Antrag genehmigen", [P.approval]),
    ("purpose", "Freigabe erteilen", [P.approval]), ("purpose", "Rechnung prüfen", [P.inspection]),
    ("purpose", "Kundenumfrage versenden", [P.feedback, P.delivery]),
    ("purpose", "Reklamation aufnehmen", [P.complaint]),
    ("purpose", "Kundenbeschwerde bearbeiten", [P.complaint]),
    ("purpose", "An Abteilungsleiter eskalieren", [P.escalation]),
    ("purpose", "Kulanz gewähren", [P.placation]), ("purpose", "Wartung planen", None),
    ("purpose", "Lieferantenbewertung", None),
    ("waste", "Auftrag erneut erfassen", "re-keying"), ("waste", "Rechnung drucken", "transport"),
    ("waste", "Weiterleitung an Einkauf", "transport"), ("waste", "Auf Freigabe warten", "waiting"),
    ("waste", "Rechnungslauf abwarten", "batching"), ("waste", "Beim Lieferanten nachfassen", "chasing"),
    ("waste", "Auftrag erfassen", None), ("waste", "Wartung durchführen", None),
    ("waste", "Eindruck gewinnen", None), ("waste", "Ablauf beschreiben", None),
    ("failure", "fehlt", True), ("failure", "nicht lieferbar", True), ("failure", "Fehlerhaft", True),
    ("failure", "abgelehnt", True), ("failure", "fehlerfrei", None), ("failure", "genehmigt", None),
    ("receive", "Ware erhalten", True), ("receive", "Angebot empfangen", True),
    ("receive", "Angebot senden", None),
    ("deliver", "Ware liefern", True), ("deliver", "Angebot senden", True),
    ("deliver", "Lieferant auswählen", None),
]

TABLES = {"en": EN, "de": DE}


@pytest.mark.parametrize("lang, question, name, expected", [
    (lang, *row) for lang, rows in TABLES.items() for row in rows],
    ids=lambda v: v if isinstance(v, str) else None)
def test_words(lang, question, name, expected):
    assert ask(question, name) == expected


@pytest.mark.parametrize("lang", inference.LANGUAGES)
def test_every_language_has_a_table(lang):
    assert lang in TABLES and len(TABLES[lang]) >= 40


@pytest.mark.parametrize("lang", inference.LANGUAGES)
def test_every_language_answers_every_question(lang):
    import importlib

    module = importlib.import_module(f"flowmap.inference.words.{lang}")
    assert set(module.WORDS) == {"customer", "service", "level", "person", "kind", "purpose",
                                 "waste", "failure", "receive", "deliver"}
    questions = {row[0] for row in TABLES[lang]}
    assert questions == {"customer", "service", "level", "person", "kind", "purpose", "waste",
                         "failure", "receive", "deliver"}
