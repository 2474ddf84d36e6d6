"""`flowmap conform` on BPMN models (through the BPMN loader) and on the corpus logs.

The BPMN models are the running example of the process-mining literature (the corpus log
``pm4py__running-example``: register, examine casually or thoroughly while the ticket is
checked, decide, then pay, reject or reinitiate), drawn with a parallel gateway and a loop: one
complete, one that lacks the thorough examination and the reinitiation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmap.loaders import load_any
from flowmap.loaders.logs import read_log
from flowmap.mining import analysis, mine
from flowmap.mining.conform import calibrate, conform
from tests.mining.conftest import CORPUS, needs_corpus

MODELS = Path(__file__).parent / "models"
LOG = CORPUS / "pm4py__running-example.xes"
LOGS = (
    sorted(p for p in CORPUS.glob("*") if p.name.endswith((".xes", ".xes.gz", ".csv")))
    if CORPUS.is_dir()
    else []
)


@needs_corpus
def test_a_bpmn_model_with_a_parallel_gateway_and_a_loop_fits_the_log():
    process = load_any(MODELS / "running-example.bpmn")
    found, figures = conform(process, mine(read_log(LOG)))
    # examine and check run in parallel (either order), reinitiate loops back: all fits
    assert figures["fitness"] == 1.0
    assert (figures["matched_steps"], figures["unmatched_activities"]) == (8, 0)
    assert not [f for f in found if f.code in ("CNF001", "CNF003")]


@needs_corpus
def test_deviations_from_a_bpmn_model_name_its_elements():
    path = MODELS / "running-example-partial.bpmn"
    process = load_any(path)
    found, figures = conform(process, mine(read_log(LOG)))
    missing = {f.evidence["activity"] for f in found if f.code == "CNF001"}
    assert missing == {"examine thoroughly", "reinitiate request"}
    assert 0.5 < figures["fitness"] < 1.0
    # 'check ticket' after 'examine casually' is the parallel gateway, not a deviation; the
    # parallel gateway's branches are not choices with shares to compare
    assert not [f for f in found if f.code == "CNF003"]
    shares = [f for f in found if f.code == "CNF006"]
    assert shares and {f.elements[0] for f in shares} <= {"f9", "f10"}
    text = path.read_text(encoding="utf-8").splitlines()
    for finding in shares:  # located at the sequenceFlow element of the BPMN file
        assert finding.location.path == str(path)
        assert f'id="{finding.elements[0]}"' in text[finding.location.line - 1]


@needs_corpus
@pytest.mark.parametrize("path", LOGS, ids=[p.name for p in LOGS])
def test_every_corpus_log_conforms_to_its_discovered_model_as_yaml_and_bpmn(tmp_path, path):
    from flowmap.writers import bpmn, flow_yaml

    mined = mine(read_log(path))
    discovered = analysis(mined).process
    as_yaml = tmp_path / "discovered.flow.yaml"
    as_yaml.write_text(flow_yaml.dump(discovered), encoding="utf-8")
    as_bpmn = tmp_path / "discovered.bpmn"
    as_bpmn.write_text(bpmn.dump(discovered), encoding="utf-8")
    results = {}
    for model in (as_yaml, as_bpmn):
        process = load_any(model)
        found, figures = conform(process, mined)
        results[model.suffix] = figures
        # every step of the log is a step of the model discovered from it
        assert figures["unmatched_activities"] == 0, [f.message for f in found]
        # the flows left out below 5% are the only misfits
        assert figures["fitness"] >= 0.85, (model.name, figures)
        out = calibrate(process, mined, path.name)
        assert path.name in out.info.sources
    # the BPMN round trip keeps the replay: the same fitness
    assert results[".yaml"]["fitness"] == results[".bpmn"]["fitness"]
