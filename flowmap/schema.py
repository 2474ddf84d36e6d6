"""JSON Schema of the file formats, generated from the pydantic models.

The committed copies in ``schema/`` are checked against these by a test; regenerate them with
``flowmap schema > schema/flowmap.schema.json`` and
``flowmap schema --org > schema/flowmap-org.schema.json``.
"""

from __future__ import annotations

import json

SCHEMA_ID = "https://flowmap.dev/schema/1/"


def _finish(schema: dict, name: str, title: str) -> dict:
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID + name,
        "title": title,
    }
    out.update(schema)
    return out


def process_schema() -> dict:
    from flowmap.model import Organisation, Process

    schema = Process.model_json_schema(by_alias=True, mode="validation")
    # `organisation:` may also be the path of a *.org.yaml file.
    properties = schema["properties"]
    org = properties["organisation"]
    properties["organisation"] = {
        "description": org.get("description", ""),
        "anyOf": [
            {"$ref": "#/$defs/Organisation"},
            {"type": "string", "description": "path of a *.org.yaml file"},
        ],
    }
    # Flows may be written as 'from -> to'.
    flows = properties["flows"]
    flows["items"] = {
        "anyOf": [flows["items"], {"type": "string", "pattern": r"^\s*\S+\s*->\s*\S+\s*$"}]
    }
    # Durations may be written with a unit.
    for name in ("work", "wait"):
        step = schema["$defs"]["Step"]["properties"][name]
        step.pop("type", None)
        step["anyOf"] = [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(s|sec|m|min|h|d|w)?\s*$"},
        ]
        step.pop("minimum", None)
    customer = properties["customer"]
    properties["customer"] = {
        "anyOf": [{"$ref": "#/$defs/Customer"}, {"type": "string"}],
        "description": customer.get("description", ""),
    }
    _ = Organisation
    return _finish(schema, "flowmap.schema.json", "flowmap process file (*.flow.yaml)")


def organisation_schema() -> dict:
    from flowmap.model import OrganisationFile

    schema = OrganisationFile.model_json_schema(by_alias=True, mode="validation")
    return _finish(schema, "flowmap-org.schema.json", "flowmap organisation file (*.org.yaml)")


def to_json(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
