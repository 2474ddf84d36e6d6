"""Organisation.people: who holds which role, checked like the rest of the organisation."""

from __future__ import annotations

import pytest

from flowmap.errors import LoadError
from flowmap.loaders.flow_yaml import load_process
from flowmap.writers.flow_yaml import dump_organisation

ORG = """
flowmap: 1
organisation:
  functions:
    - id: sales
      roles:
        - {id: rep, level: 1, reports_to: manager}
        - {id: manager, level: 3}
  people:
{people}
"""

PROCESS = """
flowmap: 1
process: {id: p}
organisation: acme.org.yaml
steps:
  - {id: a, owner: sales.rep}
flows: []
"""


def load(write, people: str):
    write("acme.org.yaml", ORG.replace("{people}", people))
    return load_process(write("p.flow.yaml", PROCESS))


def problems(write, people: str):
    with pytest.raises(LoadError) as info:
        load(write, people)
    return info.value.problems


def test_people_load_with_their_roles_and_positions(write):
    process = load(
        write,
        "    - {name: Anna Nowak, role: sales.manager, id: anowak}\n"
        "    - {name: Jan Kowalski, role: sales.rep}\n",
    )
    people = process.organisation.people
    assert [(p.name, p.role, p.id) for p in people] == [
        ("Anna Nowak", "sales.manager", "anowak"),
        ("Jan Kowalski", "sales.rep", ""),
    ]
    where = process.locate("person", "anowak")
    assert where.path.endswith("acme.org.yaml") and where.line == 9


def test_unknown_role_is_an_error_at_its_place(write):
    found = problems(write, "    - {name: Jan, role: sales.repp}\n")
    assert len(found) == 1
    p = found[0]
    assert p.message == "person 'Jan' holds role 'sales.repp', which is not a role"
    assert p.hint == "did you mean 'sales.rep'?"
    assert p.location.path.endswith("acme.org.yaml")
    assert (p.location.line, p.location.column) == (9, 25)


def test_role_without_its_function_is_named(write):
    (p,) = problems(write, "    - {name: Eve, role: rep}\n")
    assert p.hint == "did you mean 'sales.rep'?"


def test_duplicate_person_id_is_an_error(write):
    found = problems(
        write,
        "    - {name: Anna, role: sales.rep, id: a1}\n    - {name: Ben, role: sales.rep, id: a1}\n",
    )
    assert [p.code for p in found] == ["duplicate-id"]
    assert found[0].message == "duplicate person id 'a1' (also person 'Anna')"
    assert found[0].location.line == 10


def test_person_needs_a_name_and_a_role(write):
    found = problems(write, "    - {role: sales.rep}\n    - {name: Ben}\n")
    assert sorted(p.message for p in found) == [
        "person 'Ben' is missing 'role'",
        "person is missing 'name'",
    ]


def test_unknown_key_in_a_person(write):
    (p,) = problems(write, "    - {name: Ben, role: sales.rep, login: ben}\n")
    assert p.message == "unknown key 'login' in person 'Ben'"
    assert "allowed keys: name, role, id" in p.hint


def test_people_are_written_back(write):
    process = load(write, "    - {name: 'Anna: Nowak', role: sales.manager, id: anowak}\n")
    text = dump_organisation(process.organisation)
    assert '  people:\n    - {name: "Anna: Nowak", role: sales.manager, id: anowak}\n' in text
    write("acme.org.yaml", text)
    again = load_process(write("p.flow.yaml", PROCESS))
    assert again.organisation == process.organisation
