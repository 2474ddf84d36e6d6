"""flowmap org import: an organisation file from an HR export (CSV and XLSX)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flowmap.errors import LoadError
from flowmap.loaders.flow_yaml import load_process
from flowmap.loaders.hr import load_hr
from flowmap.writers.flow_yaml import dump_organisation

CSV = """\
Name;Job title;Department;Manager;Login
Anna Nowak;Kierownik;Sprzedaż;Jan Duda;anowak
Piotr Lis;Specjalista ds. sprzedaży;Sprzedaż;Anna Nowak;plis
Ewa Kot;Specjalista ds. sprzedaży;Sprzedaż;Anna Nowak;ekot
Jan Duda;Prezes;Zarząd;;jduda
Maria Wolf;Księgowa;Księgowość;Tomasz Bąk;mwolf
Tomasz Bąk;Główny księgowy;Księgowość;Jan Duda;tbak
"""


def write(tmp_path, text, name="hr.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path, **options):
    with pytest.raises(LoadError) as info:
        load_hr(path, **options)
    return info.value.problems


def test_departments_titles_managers_and_people(tmp_path):
    result = load_hr(write(tmp_path, CSV))
    org = result.organisation
    assert [(f.id, f.kind.value) for f in org.functions] == [
        ("sprzedaz", "sales"),
        ("zarzad", "management"),
        ("ksiegowosc", "finance"),
    ]
    sales = org.functions[0]
    assert [(r.id, r.level, r.reports_to) for r in sales.roles] == [
        ("kierownik", 3, "zarzad.prezes"),
        ("specjalista-ds-sprzedazy", 1, "kierownik"),
    ]
    assert (org.people[1].name, org.people[1].role, org.people[1].id) == (
        "Piotr Lis",
        "sprzedaz.specjalista-ds-sprzedazy",
        "plis",
    )
    assert result.inferred["role:sprzedaz.kierownik"] == "level of 'Kierownik' = 3 (pl: kierownik)"
    assert result.inferred["function:zarzad"] == "kind of 'Zarząd' = management (pl: zarząd)"
    # no level in the title: the default, said as a guess
    assert result.inferred["role:ksiegowosc.ksiegowa"] == "level 1: its title says no level"


def test_the_written_file_loads_and_marks_what_was_inferred(tmp_path):
    result = load_hr(write(tmp_path, CSV))
    text = dump_organisation(result.organisation, result.inferred, "read from hr.csv")
    assert "level: 3, reports_to: zarzad.prezes}  # inferred: level of 'Kierownik' = 3" in text
    assert "kind: finance  # inferred: kind of 'Księgowość' = finance" in text
    (tmp_path / "acme.org.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "p.flow.yaml").write_text(
        "flowmap: 1\nprocess: {id: p}\norganisation: acme.org.yaml\n"
        "steps:\n  - {id: a, owner: sprzedaz.kierownik}\nflows: []\n",
        encoding="utf-8",
    )
    process = load_process(tmp_path / "p.flow.yaml")
    assert process.organisation == result.organisation


def test_levels_rise_above_the_roles_that_report_to_them(tmp_path):
    text = "name,title,department,manager\nA,Clerk,Ops,B\nB,Coordinator,Ops,C\nC,Analyst,Ops,\n"
    result = load_hr(write(tmp_path, text))
    levels = {r.id: r.level for r in result.organisation.functions[0].roles}
    assert levels == {"clerk": 1, "coordinator": 2, "analyst": 3}
    assert result.inferred["role:ops.analyst"] == (
        "level 3: above the roles that report to it (its title says 1)"
    )


def test_columns_in_german_and_first_and_last_names(tmp_path):
    text = (
        "Vorname,Nachname,Funktion,Abteilung,Vorgesetzter\n"
        "Eva,Roth,Sachbearbeiterin,Einkauf,Max Weber\n"
        "Max,Weber,Abteilungsleiter,Einkauf,\n"
    )
    org = load_hr(write(tmp_path, text)).organisation
    assert [p.name for p in org.people] == ["Eva Roth", "Max Weber"]
    roles = {r.id: (r.level, r.reports_to) for r in org.functions[0].roles}
    assert roles == {"sachbearbeiterin": (1, "abteilungsleiter"), "abteilungsleiter": (3, None)}
    assert org.functions[0].kind.value == "procurement"


def test_columns_named_by_the_user(tmp_path):
    text = "Who,What,Where,Boss\nA,Clerk,Ops,B\nB,Manager,Ops,\n"
    org = load_hr(
        write(tmp_path, text),
        columns={"name": "Who", "title": "What", "department": "Where", "manager": "boss"},
    ).organisation
    assert [r.reports_to for r in org.functions[0].roles] == ["manager", None]


def test_missing_columns_are_named_with_the_option_to_use(tmp_path):
    found = problems(write(tmp_path, "Who,Job title\nA,Clerk\n"))
    messages = [p.message for p in found]
    assert messages == ["no column for the person's name", "no column for the department"]
    assert "--name-column" in found[0].hint and found[0].location.line == 1
    (p,) = problems(write(tmp_path, "name,title,department\nA,B,C\n"), columns={"manager": "Bos"})
    assert p.message == "no column 'Bos' for the manager"


def test_unknown_manager_names_the_line(tmp_path):
    text = "name,title,department,manager\nAnna,Clerk,Ops,Bernd\nBernt,Manager,Ops,\n"
    (p,) = problems(write(tmp_path, text))
    assert p.message == "line 2: manager 'Bernd' of 'Anna' is not a person in the table"
    assert p.hint == "did you mean 'Bernt'?"
    assert (p.location.line, p.location.column) == (2, 4)


def test_manager_cycle_is_an_error(tmp_path):
    text = "name,title,department,manager\nA,Clerk,Ops,B\nB,Clerk,Ops,C\nC,Clerk,Ops,A\nD,X,Ops,D\n"
    found = problems(write(tmp_path, text))
    assert [p.code for p in found] == ["manager-cycle"]  # D is its own manager
    assert "'D' is their own manager" in found[0].message
    text = "name,title,department,manager\nA,Clerk,Ops,B\nB,Clerk,Ops,C\nC,Clerk,Ops,A\n"
    (p,) = problems(write(tmp_path, text))
    assert p.message == (
        "the chain of command has a cycle: A -> B -> C -> A (line 2, line 3, line 4)"
    )


def test_duplicates_and_empty_cells(tmp_path):
    text = "name,title,department\nA,Clerk,Ops\nA,Clerk,Ops\nB,,Ops\n"
    found = problems(write(tmp_path, text))
    assert [p.message for p in found] == [
        "line 3: name 'A' is already on line 2",
        "line 4: the job title is empty",
    ]
    text = "name,title,department,login\nA,Clerk,Ops,x1\nB,Clerk,Ops,x1\n"
    (p,) = problems(write(tmp_path, text))
    assert p.message == "line 3: login 'x1' is already on line 2"


def test_xlsx_problems_name_the_sheet_and_cell(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Staff")
    for row in [
        ("Name", "Title", "Department", "Manager", "Employee ID"),
        ("Ann Lee", "Team lead", "Support", "Bo Chen", 1001),
        ("Bo Chen", "Head of support", "Support", None, 1002),
        ("Cy Diaz", "Agent", "Support", "Ann Leee", 1003),
    ]:
        sheet.append(row)
    path = tmp_path / "hr.xlsx"
    book.save(path)
    (p,) = problems(path, sheet="Staff")
    assert p.message == "cell D4: manager 'Ann Leee' of 'Cy Diaz' is not a person in the table"
    assert str(p.location) == f"{path} [Staff]:4:4"
    sheet["D4"] = "Ann Lee"
    book.save(path)
    org = load_hr(path, sheet="Staff").organisation
    assert org.functions[0].kind.value == "service"
    assert [(r.id, r.level) for r in org.functions[0].roles] == [
        ("team-lead", 2),
        ("head-of-support", 4),
        ("agent", 1),
    ]
    assert org.people[2].id == "1003"
    (p,) = problems(path, sheet="Nope")
    assert p.message == "no sheet 'Nope' in the workbook"


def test_not_a_workbook(tmp_path):
    (p,) = problems(write(tmp_path, "not a zip", "hr.xlsx"))
    assert p.message.startswith("cannot read the workbook")


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "flowmap", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_writes_once_and_never_over_a_file_without_force(tmp_path):
    write(tmp_path, CSV)
    done = run("org", "import", "hr.csv", "-o", "acme.org.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote acme.org.yaml: 3 functions, 5 roles, 6 people" in done.stderr
    assert (tmp_path / "acme.org.yaml").read_text(encoding="utf-8").startswith("# Organisation")
    (tmp_path / "acme.org.yaml").write_text("mine\n")
    again = run("org", "import", "hr.csv", "-o", "acme.org.yaml", cwd=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr
    assert (tmp_path / "acme.org.yaml").read_text() == "mine\n"
    forced = run("org", "import", "hr.csv", "-o", "acme.org.yaml", "--force", cwd=tmp_path)
    assert forced.returncode == 0


def test_cli_errors_are_one_line_each_without_traceback(tmp_path):
    write(tmp_path, "name,title,department,manager\nA,Clerk,Ops,Zed\n")
    done = run("org", "import", "hr.csv", cwd=tmp_path)
    assert done.returncode == 2
    assert "hr.csv:2:4: error: line 2: manager 'Zed' of 'A' is not a person" in done.stderr
    assert "Traceback" not in done.stderr
    missing = run("org", "import", "nope.csv", cwd=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
