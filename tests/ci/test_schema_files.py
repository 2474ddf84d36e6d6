"""The committed JSON Schemas match the model; the library validates against them."""

from __future__ import annotations

import json

import jsonschema
import pytest

from flowmap.loaders import yamlsrc
from flowmap.schema import organisation_schema, process_schema, to_json
from tests.ci.helpers import ROOT, library

COMMITTED = {"flowmap.schema.json": process_schema, "flowmap-org.schema.json": organisation_schema}


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_schema_is_up_to_date(name):
    path = ROOT / "schema" / name
    assert path.read_text(encoding="utf-8") == to_json(COMMITTED[name]()), (
        f"schema/{name} is out of date with the model: regenerate it with "
        f"`flowmap schema{' --org' if 'org' in name else ''} > schema/{name}`"
    )


@pytest.mark.parametrize("path", library(), ids=lambda p: p.parent.name + "/" + p.name)
def test_library_files_validate_against_the_committed_schema(path):
    name = "flowmap-org.schema.json" if path.name.endswith(".org.yaml") else "flowmap.schema.json"
    schema = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
    data, _ = yamlsrc.parse(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(data)))


def test_schema_rejects_an_unknown_key():
    schema = json.loads((ROOT / "schema" / "flowmap.schema.json").read_text(encoding="utf-8"))
    bad = {"flowmap": 1, "process": {"id": "x"}, "steps": [{"id": "a", "onwer": "customer"}]}
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)
