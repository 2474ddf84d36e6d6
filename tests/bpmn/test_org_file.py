"""``--org company.org.yaml``: an organisation file says whose the lanes of an imported model are.

Declared facts replace the guesses from lane names (no ``assumed:`` for them); lanes the file
does not cover keep the inference; a ``lanes:`` row naming no lane is a warning at its line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmap.analysis import analyze
from flowmap.cli import run as main
from flowmap.errors import LoadError
from flowmap.loaders import load_any
from flowmap.loaders.bpmn import load_bpmn
from flowmap.loaders.org_file import load_org_file

from .helpers import write
from .test_organisation import _org, _pool

LEIHARBEIT = next(
    (
        folder
        / "shared"
        / "corpus"
        / "bpmn-business"
        / "openbpmn__bedarfsmeldung-leiharbeit-de-1.2.0.bpmn"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "corpus" / "bpmn-business").is_dir()
    ),
    None,
)
needs_corpus = pytest.mark.skipif(
    LEIHARBEIT is None or not LEIHARBEIT.is_file(),
    reason="shared corpus (../shared/corpus/bpmn-business) not found",
)

ORG = """\
flowmap: 1
organisation:
  functions:
    - id: personal
      name: Personalabteilung
      kind: hr
      roles:
        - {id: sb, name: Sachbearbeiter, level: 1, reports_to: al}
        - {id: al, name: Abteilungsleiter, level: 4, reports_to: gf.chef}
    - id: gf
      name: Geschäftsführung
      kind: management
      roles:
        - {id: chef, name: Geschäftsführer, level: 5}
lanes:
  Bearbeitung: personal.sb      # by name
  l_boss: personal.al           # by id
  Antragsteller: customer
  Einkauf: personal.sb          # in no model here
"""


def _files(tmp_path: Path, org: str = ORG, lanes=None):
    model = write(
        tmp_path,
        _pool(
            lanes
            or [
                ("c", "ANTRAGSTELLER", ""),
                ("w", "Bearbeitung", ""),
                ("l_boss", "Chef der Abteilung", ""),
                ("x", "Geschäftsführer", ""),
                ("e", "Empfang", ""),
            ]
        ),
    )
    org_path = tmp_path / "company.org.yaml"
    org_path.write_text(org, encoding="utf-8")
    return model, org_path


def test_declared_lanes_take_the_roles_levels_and_chain_of_the_organisation_file(tmp_path):
    model, org_path = _files(tmp_path)
    warnings: list = []
    process = load_bpmn(model, org=load_org_file(org_path), warnings=warnings)
    owners = {s.id: s.owner for s in process.steps}
    assert owners["t_c"] == "customer"  # a row, the name folded for case
    assert owners["t_w"] == "personal.sb"  # by name
    assert owners["t_l_boss"] == "personal.al"  # by id
    assert owners["t_x"] == "gf.chef"  # no row: the one role of that name
    org = _org(process)
    assert org["personal"] == [("sb", 1, "al"), ("al", 4, "gf.chef")]
    assert org["gf"] == [("chef", 5, None)]
    # the lane the file does not cover is read from its name, as without --org
    assert owners["t_e"].split(".")[0] not in ("personal", "gf")
    declared = {"personal", "gf", "personal.sb", "personal.al", "gf.chef", "customer"}
    assert not [i for i in process.inferred if i.element in declared]
    assert any(i.field == "level" for i in process.inferred)  # the uncovered lane's guess
    # the row that names no lane: a warning at its line in the organisation file
    found = [w for w in warnings if w.code == "org-lane-not-found"]
    assert [(Path(w.location.path).name, w.location.line) for w in found] == [
        ("company.org.yaml", 19)
    ]
    assert "'Einkauf'" in found[0].message
    # where a declared role is written: the organisation file
    assert process.locate("role", "personal.al").path == str(org_path)


def test_a_lane_given_a_whole_function_is_matched_to_its_roles_else_its_front_line(tmp_path):
    org = ORG.split("lanes:")[0] + "lanes:\n  Personal: personal\n"
    model = write(
        tmp_path,
        (
            '<bpmn:collaboration id="c"><bpmn:participant id="pool" name="Firma" processRef="p"/>'
            '</bpmn:collaboration><bpmn:process id="p"><bpmn:laneSet id="ls">'
            '<bpmn:lane id="dept" name="Personal"><bpmn:childLaneSet id="cs">'
            '<bpmn:lane id="a" name="Abteilungsleiter"><bpmn:flowNodeRef>t_a</bpmn:flowNodeRef>'
            '</bpmn:lane><bpmn:lane id="b" name="Praktikant"><bpmn:flowNodeRef>t_b</bpmn:flowNodeRef>'
            "</bpmn:lane></bpmn:childLaneSet></bpmn:lane></bpmn:laneSet>"
            '<bpmn:task id="t_a" name="Prüfen"/><bpmn:task id="t_b" name="Erfassen"/>'
            '<bpmn:sequenceFlow id="f" sourceRef="t_b" targetRef="t_a"/></bpmn:process>'
        ),
    )
    org_path = tmp_path / "company.org.yaml"
    org_path.write_text(org, encoding="utf-8")
    process = load_bpmn(model, org=load_org_file(org_path))
    assert process.step("t_a").owner == "personal.al"
    assert process.step("t_b").owner == "personal.sb"
    # the front line is a guess about the lane 'Praktikant', and says so
    expected = (
        "steps in 'Praktikant' belong to 'Sachbearbeiter' (the front line of "
        f"'Personalabteilung', which {org_path} gives the lane or pool)"
    )
    assert [i.reason for i in process.inferred if i.element == "t_b" and i.field == "owner"] == [
        expected
    ]


def test_an_hr_import_without_a_lanes_table_matches_lanes_by_role_name(tmp_path):
    org = ORG.split("lanes:")[0]
    model, org_path = _files(
        tmp_path, org, [("w", "sachbearbeiter", ""), ("b", "Abteilungsleiter", "")]
    )
    process = load_bpmn(model, org=load_org_file(org_path))
    assert [s.owner for s in process.steps] == ["personal.sb", "personal.al"]
    # the chain reaches the management function, so it is part of the process
    assert [f.id for f in process.organisation.functions] == ["personal", "gf"]


def test_organisation_file_errors_name_their_line(tmp_path):
    bad = ORG.replace("Bearbeitung: personal.sb", "Bearbeitung: personal.sbb")
    _, org_path = _files(tmp_path, bad)
    with pytest.raises(LoadError) as caught:
        load_org_file(org_path)
    problem = caught.value.problems[0]
    assert (problem.location.line, problem.hint) == (16, "did you mean 'personal.sb'?")
    broken = ORG.replace("reports_to: gf.chef", "reports_to: gf.boss")
    org_path.write_text(broken, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_org_file(org_path)
    assert caught.value.problems[0].location.line == 9


def test_yaml_processes_keep_their_own_organisation(tmp_path):
    _, org_path = _files(tmp_path)
    library = Path(__file__).resolve().parents[2] / "processes"
    path = next(library.rglob("as-is.flow.yaml"))
    assert load_any(path, org=str(org_path)) == load_any(path)


def test_the_org_option_and_the_org_setting_on_the_commands(tmp_path, capsys):
    model, org_path = _files(tmp_path)
    for command, exit_code in (
        (["analyze", "--all", "--exit-zero"], 0),
        (["validate"], 0),
        (["render", "-o", str(tmp_path / "m.svg")], 0),
    ):
        code = main([*command, str(model), "--org", str(org_path)])
        err = capsys.readouterr().err
        assert code == exit_code, err
        assert "company.org.yaml:19:3: warning: lanes: 'Einkauf'" in err
    report = tmp_path / "r.html"
    assert main(["report", str(model), "--org", str(org_path), "-o", str(report)]) == 0
    # the same from the configuration, the path relative to the configuration file
    (tmp_path / "flowmap.toml").write_text('org = "company.org.yaml"\n', encoding="utf-8")
    main(["analyze", "--format", "json", str(model)])
    out, err = capsys.readouterr()
    assert "'Einkauf'" in err and "personal" in out
    (tmp_path / "flowmap.toml").write_text('\n\norg = "missing.org.yaml"\n', encoding="utf-8")
    assert main(["analyze", str(model)]) == 2
    assert "flowmap.toml:3: org: 'missing.org.yaml' not found" in capsys.readouterr().err


@needs_corpus
def test_leiharbeit_with_an_organisation_file_is_one_chain_of_command(tmp_path):
    """The staffing request of an Open-BPMN model: four lanes whose names say little
    ('RGF (Space Manager)'). With the organisation file the facility lead reports to the
    regional managing director, who reports to the management: the request climbs it, and the
    management's approval is an escalated approval (SMK003)."""
    org_path = tmp_path / "leiharbeit.org.yaml"
    org_path.write_text(
        """\
flowmap: 1
organisation:
  functions:
    - id: einrichtungen
      name: Einrichtungen
      roles:
        - {id: leitung, name: Einrichtungsleitung, level: 2, reports_to: rgf}
        - {id: rgf, name: Regionalgeschäftsführung, level: 4, reports_to: gf.gf}
    - id: controlling
      kind: finance
      roles: [{id: team, name: Controlling, level: 1, reports_to: gf.gf}]
    - id: gf
      name: Geschäftsführung
      kind: management
      roles: [{id: gf, name: Geschäftsführer, level: 5}]
lanes:
  Lane_1: einrichtungen.leitung
  RGF (Space Manager): einrichtungen.rgf
  Controllling (Prozess Team): controlling
  lane_vMzgDA: gf.gf
""",
        encoding="utf-8",
    )
    bare = analyze(load_any(LEIHARBEIT))
    # from names alone every level and chain is a guess ('(Space Manager)' = 3)
    assert any(i.field == "level" for i in bare.process.inferred)
    process = load_any(LEIHARBEIT, org=str(org_path))
    assert process.step("task_2a0Z1w").owner == "einrichtungen.rgf"  # Freigabe RGF
    assert process.step("Task_5000").owner == "gf.gf"  # Genehmigung Geschäftsleitung
    assert not [i for i in process.inferred if i.field in ("level", "reports_to", "roles")]
    result = analyze(process)
    assert "levels" not in {s.need for s in result.skipped}
    chimney = [f for f in result.findings if f.code == "SMK001"]
    assert chimney and "task_2a0Z1w" in chimney[0].elements
    # the escalation the detection key expects: management approves the facility's request,
    # three levels above the facility lead who did the work
    escalation = [f for f in result.findings if f.code == "SMK003"]
    assert escalation and "Task_5000" in escalation[0].elements
    assert escalation[0].evidence["approver"] == "gf.gf"
    assert not [f for f in bare.findings if f.code == "SMK003"]  # not seen from names alone
    assert all("level of" not in reason for f in result.findings for reason in f.inferred)
