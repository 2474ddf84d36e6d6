"""OCEL 2.0 logs (JSON and SQLite) read with one object type as the case notion, and their
errors naming the file and the place."""

from __future__ import annotations

import json
import sqlite3

import pytest

from flowmap.errors import LoadError
from flowmap.loaders.logs import Columns, read_log
from flowmap.mining import mine

# Two orders, three items: "place order" relates to an order and its items; "pick item" to one
# item; "pay order" to an order; "audit" to nothing of type order.
OCEL = {
    "objectTypes": [{"name": "order", "attributes": []}, {"name": "item", "attributes": []}],
    "eventTypes": [
        {"name": n, "attributes": []} for n in ("place order", "pick item", "pay order", "audit")
    ],
    "objects": [
        {"id": "o1", "type": "order"},
        {"id": "o2", "type": "order"},
        {"id": "i1", "type": "item"},
        {"id": "i2", "type": "item"},
        {"id": "i3", "type": "item"},
    ],
    "events": [
        {
            "id": "e1",
            "type": "place order",
            "time": "2024-03-01T08:00:00Z",
            "attributes": [{"name": "org:resource", "value": "Ann"}],
            "relationships": [
                {"objectId": "o1", "qualifier": "order"},
                {"objectId": "i1", "qualifier": "item"},
                {"objectId": "i2", "qualifier": "item"},
            ],
        },
        {
            "id": "e2",
            "type": "place order",
            "time": "2024-03-01T09:00:00Z",
            "attributes": [{"name": "org:resource", "value": "Ann"}],
            "relationships": [
                {"objectId": "o2", "qualifier": "order"},
                {"objectId": "i3", "qualifier": "item"},
            ],
        },
        {
            "id": "e3",
            "type": "pick item",
            "time": "2024-03-01T10:00:00Z",
            "attributes": [{"name": "org:resource", "value": "Bo"}],
            "relationships": [{"objectId": "i1", "qualifier": "item"}],
        },
        {
            "id": "e4",
            "type": "pick item",
            "time": "2024-03-01T11:00:00Z",
            "attributes": [{"name": "org:resource", "value": "Bo"}],
            "relationships": [
                {"objectId": "i2", "qualifier": "item"},
                {"objectId": "i3", "qualifier": "item"},
            ],
        },
        {
            "id": "e5",
            "type": "pay order",
            "time": "2024-03-02T08:00:00Z",
            "attributes": [{"name": "org:resource", "value": "Cai"}],
            "relationships": [
                {"objectId": "o1", "qualifier": "order"},
                {"objectId": "o1", "qualifier": "paid"},
            ],
        },
        {
            "id": "e6",
            "type": "audit",
            "time": "2024-03-03T08:00:00Z",
            "attributes": [],
            "relationships": [],
        },
    ],
}


def write_json(tmp_path, data=OCEL, name="orders.jsonocel"):
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def write_sqlite(tmp_path, data=OCEL, name="orders.sqlite", drop=None):
    """The same log in OCEL 2.0's SQLite layout (event/object/event_object tables, one event
    table per type named through event_map_type)."""
    path = tmp_path / name
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE event (ocel_id TEXT, ocel_type TEXT)")
    con.execute("CREATE TABLE object (ocel_id TEXT, ocel_type TEXT)")
    con.execute(
        "CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT)"
    )
    con.execute("CREATE TABLE event_map_type (ocel_type TEXT, ocel_type_map TEXT)")
    con.execute("CREATE TABLE object_map_type (ocel_type TEXT, ocel_type_map TEXT)")
    for kind in data["eventTypes"]:
        suffix = kind["name"].replace(" ", "")
        con.execute("INSERT INTO event_map_type VALUES (?, ?)", (kind["name"], suffix))
        con.execute(
            f'CREATE TABLE "event_{suffix}" (ocel_id TEXT, ocel_time TEXT, "org:resource" TEXT)'
        )
    for item in data["objects"]:
        con.execute("INSERT INTO object VALUES (?, ?)", (item["id"], item["type"]))
    for event in data["events"]:
        con.execute("INSERT INTO event VALUES (?, ?)", (event["id"], event["type"]))
        resource = next((a["value"] for a in event["attributes"]), None)
        suffix = event["type"].replace(" ", "")
        con.execute(
            f'INSERT INTO "event_{suffix}" VALUES (?, ?, ?)',
            (event["id"], event["time"].replace("T", " ").rstrip("Z"), resource),
        )
        for rel in event["relationships"]:
            con.execute(
                "INSERT INTO event_object VALUES (?, ?, ?)",
                (event["id"], rel["objectId"], rel["qualifier"]),
            )
    if drop:
        con.execute(f"DROP TABLE {drop}")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("writer", [write_json, write_sqlite], ids=["json", "sqlite"])
def test_flattened_on_the_object_type_named(tmp_path, writer):
    path = writer(tmp_path)
    orders = read_log(path, Columns(object_type="order"))
    assert (orders.events, orders.cases) == (3, 2)  # e1 (o1), e2 (o2), e5 (o1 once)
    assert "event" in orders.warnings[0].message and "left out" in orders.warnings[0].message
    items = read_log(path, Columns(object_type="item"))
    # e1 counts for i1 and i2, e2 for i3, e3 for i1, e4 for i2 and i3: 6 events
    assert (items.events, items.cases) == (6, 3)
    result = mine(items)
    follows = {(r["source"], r["target"]): r["times"] for r in result.measures["follows"]}
    assert follows[("place order", "pick item")] == 3
    assert result.totals["cases"] == 3
    who = {a.resource for a in result.actors.actors}
    assert who == {"Ann", "Bo"}


def test_the_case_notion_must_be_named_when_there_are_several(tmp_path):
    with pytest.raises(LoadError) as raised:
        read_log(write_json(tmp_path))
    text = str(raised.value.problems[0].message) + raised.value.problems[0].hint
    assert "--object-type" in text and "'item' (3 objects)" in text and "'order' (2" in text
    with pytest.raises(LoadError) as raised:
        read_log(write_sqlite(tmp_path), Columns(object_type="invoice"))
    assert "no such object type" in raised.value.problems[0].message
    flat = tmp_path / "flat.csv"
    flat.write_text("case,activity,time\nc1,A,2024-03-01T08:00:00Z\n", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_log(flat, Columns(object_type="order"))
    assert "--object-type is for OCEL 2.0 logs" in raised.value.problems[0].message


def test_json_errors_name_the_line_or_the_event(tmp_path):
    broken = tmp_path / "broken.jsonocel"
    broken.write_text('{"objects": [],\n  "events": [\n    {"id": "e1",, }]}', encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_log(broken)
    found = raised.value.problems[0]
    assert (found.location.line, found.location.column) == (3, 17)
    assert found.message.startswith("not valid JSON")
    data = json.loads(json.dumps(OCEL))
    data["events"][3]["time"] = "yesterday"
    with pytest.raises(LoadError) as raised:
        read_log(write_json(tmp_path, data, "badtime.json"), Columns(object_type="item"))
    assert (
        raised.value.problems[0].message
        == "events[3] (id 'e4'): time 'yesterday' is not a date and time"
    )
    with pytest.raises(LoadError) as raised:
        read_log(write_json(tmp_path, {"events": 3}, "other.json"))
    assert "not an OCEL 2.0 log" in raised.value.problems[0].message


def test_sqlite_errors_name_the_table(tmp_path):
    with pytest.raises(LoadError) as raised:
        read_log(write_sqlite(tmp_path, drop="event_object"), Columns(object_type="order"))
    assert raised.value.problems[0].message == "not an OCEL 2.0 log: no table event_object"
    with pytest.raises(LoadError) as raised:
        read_log(
            write_sqlite(tmp_path, name="t.sqlite", drop='"event_payorder"'),
            Columns(object_type="order"),
        )
    assert "table 'event_payorder'" in raised.value.problems[0].message
    fake = tmp_path / "fake.sqlite"
    fake.write_text("not a database", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_log(fake, Columns(object_type="order"))
    assert raised.value.problems[0].message == "not an SQLite database"


def test_cli_reads_ocel_with_object_type(tmp_path):
    import os
    import subprocess
    import sys

    path = write_sqlite(tmp_path)
    env = {**os.environ, "FLOWMAP_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flowmap",
            "mine",
            str(path),
            "--object-type",
            "item",
            "--exit-zero",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "6 events, 3 cases" in done.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "flowmap", "mine", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert missing.returncode == 2 and "--object-type" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_json_is_read_one_event_at_a_time(tmp_path, monkeypatch):
    """Memory follows the window read, not the file: a log of many events read through a small
    window holds far less than the file's size (the standard library's json.load would hold
    several times it), and gives the same events wherever the objects are in the file."""
    import tracemalloc

    from flowmap.loaders.logs import json_stream, ocel

    objects = [{"id": f"o{k}", "type": "order"} for k in range(200)]
    events = [
        {
            "id": f"e{k}",
            "type": ("place order", "pay")[k % 2],
            "time": f"2024-03-{1 + k % 28:02d}T{k % 24:02d}:00:00Z",
            "attributes": [{"name": "org:resource", "value": f"clerk {k % 9}"}],
            "relationships": [{"objectId": f"o{k % 200}", "qualifier": "order"}],
        }
        for k in range(20_000)
    ]
    first = tmp_path / "objects-first.jsonocel"
    first.write_text(
        json.dumps(
            {
                "objectTypes": [{"name": "order", "attributes": []}],
                "objects": objects,
                "events": events,
            }
        ),
        encoding="utf-8",
    )
    last = tmp_path / "objects-last.jsonocel"
    last.write_text(json.dumps({"events": events, "objects": objects}), encoding="utf-8")
    monkeypatch.setattr(json_stream, "CHUNK", 1 << 16)
    monkeypatch.setattr(ocel, "BATCH", 1000)  # rows waiting to be written to Parquet
    size = first.stat().st_size
    assert size > 3 << 20
    ocel.convert(first, tmp_path / "warm.parquet", Columns(), "ocel-json")  # imports done
    tracemalloc.start()
    try:
        read = ocel.convert(first, tmp_path / "first.parquet", Columns(), "ocel-json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 4, (peak, size)
    assert (read.events, read.cases) == (20_000, 200)
    log, again = read_log(first), read_log(last)
    assert (again.events, again.cases) == (20_000, 200)
    assert mine(log).measures["follows"] == mine(again).measures["follows"]
