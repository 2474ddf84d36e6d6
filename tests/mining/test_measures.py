"""The measures on small logs whose answers are known by hand: handoff kinds (the graph's
definition), chimneys, ping-pong, rework, waiting, cycle efficiency, customer service, levels,
unmapped resources; and the findings and discovered model built from them."""

from __future__ import annotations

import pytest

from flowmap.graph import HandoffKind
from flowmap.loaders.flow_yaml import load_organisation
from flowmap.loaders.logs import read_log
from flowmap.mining import analysis, mine
from tests.mining.conftest import ORG, event, write_csv, write_text


@pytest.fixture
def org(tmp_path):
    return load_organisation(write_text(tmp_path / "company.org.yaml", ORG))


def credit_log(tmp_path):
    """c1 climbs: rep -> sales manager -> finance manager -> analyst -> rep (4 h);
    c2 goes direct: rep -> analyst -> rep (2 h); c3 stays with the rep (1 h)."""
    return write_csv(
        tmp_path / "credit.csv",
        [
            event("c1", "Take order", 0, "sales.rep", "Ann"),
            event("c1", "Escalate", 1, "sales.manager", "Mark"),
            event("c1", "Forward", 2, "finance.manager", "Fiona"),
            event("c1", "Check credit", 3, "finance.analyst", "Alan"),
            event("c1", "Confirm", 4, "sales.rep", "Ann"),
            event("c2", "Take order", 0, "sales.rep", "Ann"),
            event("c2", "Check credit", 1, "finance.analyst", "Alan"),
            event("c2", "Confirm", 2, "sales.rep", "Ann"),
            event("c3", "Take order", 0, "sales.rep", "Ann"),
            event("c3", "Confirm", 1, "sales.rep", "Ann"),
        ],
    )


def by(rows, key):
    return {row[key]: row for row in rows}


def test_handoff_kinds_are_the_graphs(tmp_path, org):
    result = mine(read_log(credit_log(tmp_path)), org)
    kinds = by(result.measures["handoffs_by_kind"], "kind")
    # c1: rep->manager vertical, manager->manager across horizontal, manager->analyst vertical,
    # analyst->rep horizontal; c2: rep->analyst and analyst->rep horizontal.
    assert kinds["vertical"]["occurrences"] == 2 and kinds["vertical"]["cases"] == 1
    assert kinds["horizontal"]["occurrences"] == 4 and kinds["horizontal"]["cases"] == 2
    assert "diagonal" not in kinds
    graph = result.actors.graph()
    assert graph.handoff_between("sales.rep", "finance.manager")[0] == HandoffKind.diagonal


def test_chimney_climb_cross_descend(tmp_path, org):
    result = mine(read_log(credit_log(tmp_path)), org)
    [row] = result.measures["chimneys_by_functions"]
    assert (row["from_function"], row["to_function"]) == ("sales", "finance")
    assert (row["start_level"], row["cross_from_level"], row["end_level"]) == (1, 3, 1)
    assert row["cases"] == 1 and row["gap_ms"] == 3 * 3_600_000  # 08:00 -> 11:00
    found = [f for f in analysis(result).findings if f.code == "MNG001"]
    assert len(found) == 1
    # 1 of 3 cases; it took 4 h; the cases took 4 h, 2 h and 1 h: a median of 2 h (the mean
    # of the others, 1.5 h, is in the evidence)
    assert found[0].message.startswith(
        "in 33% of 3 cases the work climbed 2 levels to cross from sales to finance"
    )
    assert found[0].message.endswith("those cases took a median of 4h (all cases: 2h)")
    assert found[0].evidence["longer_ms"] == 2 * 3_600_000
    assert found[0].evidence["mean_longer_than_others_ms"] == 2.5 * 3_600_000
    assert found[0].severity.value == "warning"


TALL = """
flowmap: 1
organisation:
  functions:
    - id: sales
      roles: [{id: rep, level: 1}, {id: lead, level: 2}, {id: head, level: 3},
              {id: director, level: 4}, {id: chief, level: 5}]
    - id: finance
      roles: [{id: clerk, level: 1}, {id: lead, level: 2}, {id: head, level: 3},
              {id: director, level: 4}, {id: chief, level: 5}]
"""


def test_the_longest_climb_and_descent_are_counted_whole(tmp_path):
    """A climb through every level (1 to 5), a crossing at the top and a descent to the bottom:
    the climb and the descent are each as long as a chain of command can be, and a crossing
    after a climb broken by a handoff across is counted from the break."""
    org = load_organisation(write_text(tmp_path / "tall.org.yaml", TALL))
    sales = ["sales.rep", "sales.lead", "sales.head", "sales.director", "sales.chief"]
    finance = ["finance.chief", "finance.director", "finance.head", "finance.lead", "finance.clerk"]
    rows = [event("c1", f"Step {k}", k, role) for k, role in enumerate(sales + finance)]
    # c2: up 1 -> 2, across to finance at 2, up 2 -> 3 there, across back at 3: one climb each.
    roles = ["sales.rep", "sales.lead", "finance.lead", "finance.head", "sales.head"]
    rows += [event("c2", f"Step {k}", k, role) for k, role in enumerate(roles)]
    result = mine(read_log(write_csv(tmp_path / "tall.csv", rows)), org)
    climbs = {
        (r["from_function"], r["start_level"], r["cross_from_level"], r["end_level"])
        for r in result.measures["chimneys_by_functions"]
    }
    assert climbs == {("sales", 1, 5, 1), ("sales", 1, 2, 2), ("finance", 2, 3, 3)}
    [row] = [r for r in result.measures["chimneys_by_functions"] if r["cross_from_level"] == 5]
    assert row["gap_ms"] == 9 * 3_600_000  # from the first step to the last


def test_ping_pong_between_functions(tmp_path, org):
    result = mine(read_log(credit_log(tmp_path)), org)
    [row] = result.measures["ping_pong_by_functions"]
    assert (row["function_a"], row["function_b"], row["cases"], row["occurrences"]) == (
        "finance",
        "sales",
        2,
        2,
    )


def test_rework_repeat_and_redo_and_waiting(tmp_path):
    path = write_csv(
        tmp_path / "rework.csv",
        [
            event("c1", "Enter", 0, resource="Ann"),
            event("c1", "Enter", 1, resource="Ann"),  # repeat: same resource
            event("c1", "Enter", 3, resource="Bo"),  # redo: another
            event("c1", "Send", 6, resource="Bo"),
        ],
    )
    result = mine(read_log(path))
    kinds = by(result.measures["rework_by_kind"], "kind")
    assert kinds["repeat"]["occurrences"] == 1 and kinds["redo"]["occurrences"] == 1
    waits = by(result.measures["waiting_by_activity"], "activity")
    assert (
        waits["Enter"]["wait_ms"] == 3 * 3_600_000 and waits["Send"]["median_ms"] == 3 * 3_600_000
    )
    assert not result.has_starts
    # nobody in this log has a role: all events are unmapped, and said so
    assert result.actors.unmapped_share == 1.0
    unmapped = [f for f in analysis(result).findings if f.code == "MNG011"]
    assert "2 resources covering 100% of the events" in unmapped[0].message


def test_the_same_step_by_another_role_after_a_transfer_is_a_handover_not_rework(tmp_path, org):
    """BPI Challenge 2013: each support team sets the incident 'In Progress' when it takes it
    over. The same step by someone of another role (another function, or another role of the
    same function), after the work moved there, is the work moving on; by another person of
    the same role it is a redo; by the same person a repeat."""
    path = write_csv(
        tmp_path / "lines.csv",
        [
            event("c1", "In Progress", 0, "sales.rep", "Ann"),
            event("c1", "In Progress", 1, "finance.analyst", "Alan"),  # another function: handover
            event("c1", "In Progress", 2, "finance.manager", "Fiona"),  # another role: handover
            event("c1", "In Progress", 3, "finance.manager", "Fred"),  # same role: redo
            event("c1", "In Progress", 4, "finance.manager", "Fred"),  # same person: repeat
            event("c1", "Closed", 5, "finance.analyst", "Alan"),
            event("c2", "In Progress", 0, "sales.rep", "Ann"),
            event("c2", "Closed", 1, "sales.rep", "Ann"),
        ],
    )
    result = mine(read_log(path), org)
    kinds = by(result.measures["rework_by_kind"], "kind")
    assert {k: r["occurrences"] for k, r in kinds.items()} == {
        "handover": 2,
        "redo": 1,
        "repeat": 1,
    }
    rework = [f for f in analysis(result).findings if f.code == "MNG005"]
    assert sorted(f.evidence["kind"] for f in rework) == ["redo", "repeat"]


def test_cycle_efficiency_from_start_and_complete(tmp_path):
    path = write_csv(
        tmp_path / "life.csv",
        [
            event("c1", "A", 0, resource="Ann", lifecycle="start"),
            event("c1", "A", 1, resource="Ann", lifecycle="complete"),
            event("c1", "B", 5, resource="Ann", lifecycle="start"),
            event("c1", "B", 8, resource="Ann", lifecycle="complete"),
        ],
    )
    result = mine(read_log(path))
    [row] = result.measures["cycle_efficiency"]
    assert row["work_ms"] == 4 * 3_600_000 and row["duration_ms"] == 8 * 3_600_000
    waits = by(result.measures["waiting_by_activity"], "activity")
    assert waits["B"]["wait_ms"] == 4 * 3_600_000 and set(waits) == {"B"}  # before B's start
    [finding] = [f for f in analysis(result).findings if f.code == "MNG008"]
    assert finding.message.startswith("process cycle efficiency 50.0%")
    process = analysis(result).process
    b = next(s for s in process.steps if s.name == "B")
    assert (b.work, b.wait) == (180, 240)


def test_customer_service_first_and_dumping(tmp_path, org):
    path = write_csv(
        tmp_path / "service.csv",
        [
            event("c1", "Take order", 0, "sales.rep", "Ann"),
            event("c1", "Wrong invoice sent", 1, "finance.analyst", "Alan"),
            event("c1", "Handle complaint", 2, "care.agent", "Cai"),
            event("c2", "Take order", 0, "sales.rep", "Ann"),
            event("c2", "Invoice", 1, "finance.analyst", "Alan"),
        ],
    )
    result = mine(read_log(path), org)
    assert "Wrong invoice sent" in result.failures and "Invoice" not in result.failures
    [row] = result.measures["dumped_at_service"]
    assert (row["function"], row["cases"]) == ("finance", 1)
    [first] = result.measures["service_first"]
    assert first["cases"] == 1 and first["median_position"] == 1.0
    codes = {f.code for f in analysis(result).findings}
    assert {"MNG009", "MNG010"} <= codes


def test_escalation_levels(tmp_path, org):
    path = write_csv(
        tmp_path / "levels.csv",
        [
            event("c1", "Ask", 0, "sales.rep", "Ann"),
            event("c1", "Decide", 5, "sales.manager", "Mark"),
            event("c2", "Ask", 0, "sales.rep", "Ann"),
            event("c2", "Answer", 1, "sales.rep", "Ann"),
        ],
    )
    result = mine(read_log(path), org)
    levels = {(r["first_level"], r["highest"]): r["cases"] for r in result.measures["levels"]}
    assert levels == {(1, 3): 1, (1, 1): 1}
    [finding] = [f for f in analysis(result).findings if f.code == "MNG004"]
    assert "in 50% of 2 cases the work was escalated" in finding.message
    assert "50% were finished at that level" in finding.message


def test_roles_from_the_log_groups_and_line_levels(tmp_path):
    path = write_csv(
        tmp_path / "teams.csv",
        [
            {**event("c1", "Log", 0, resource="Ann"), "org:role": "G1 1st", "org:group": "Desk"},
            {**event("c1", "Fix", 1, resource="Bo"), "org:role": "G2 2nd", "org:group": "Desk"},
        ],
    )
    result = mine(read_log(path))
    assert result.actors.source == "log roles"
    [desk] = result.actors.organisation.functions
    assert {r.name: r.level for r in desk.roles} == {"G1 1st": 1, "G2 2nd": 2}
    assert by(result.measures["handoffs_by_kind"], "kind")["vertical"]["occurrences"] == 1


def test_discovered_model_probabilities_and_owners(tmp_path, org):
    result = mine(read_log(credit_log(tmp_path)), org)
    process = analysis(result, min_share=0).process
    steps = {s.name: s for s in process.steps}
    assert steps["Check credit"].owner == "finance.analyst"
    take = steps["Take order"].id
    shares = {f.target: f.probability for f in process.flows if f.source == take}
    # after 'Take order': Escalate 1, Check credit 1, Confirm 1 of 3 cases
    assert sorted(shares.values()) == [0.333, 0.333, 0.334]
    assert {f.source for f in process.flows if f.target == "end"} == {steps["Confirm"].id}


def test_people_table_maps_resources_and_lists_the_unmapped(tmp_path):
    org = load_organisation(
        write_text(
            tmp_path / "people.org.yaml",
            ORG
            + """
  people:
    - {name: Ann Smith, id: ann, role: sales.rep}
    - {name: Mark Jones, role: sales.manager}
""",
        )
    )
    path = write_csv(
        tmp_path / "people.csv",
        [
            event("c1", "Ask", 0, resource="ann"),
            event("c1", "Decide", 1, resource="Mark Jones"),
            event("c1", "Note", 2, resource="zed"),
            event("c1", "Close", 3, resource="ann"),
        ],
    )
    result = mine(read_log(path), org)
    assert result.actors.source == "people table"
    keys = {a.resource: a.role_key for a in result.actors.actors}
    assert keys == {"ann": "sales.rep", "Mark Jones": "sales.manager", "zed": None}
    assert result.actors.unmapped == [("zed", 1)] and result.actors.unmapped_share == 0.25
    # the unmapped event is stepped over: manager -> rep is one vertical handoff
    kinds = by(result.measures["handoffs_by_kind"], "kind")
    assert kinds["vertical"]["occurrences"] == 2


def test_guessed_levels_are_attached_to_findings(tmp_path):
    rows = []
    for i in range(4):
        rows += [
            {**event(f"c{i}", "Log", 0, resource="Ann"), "org:role": "Agent", "org:group": "Sales"},
            {
                **event(f"c{i}", "Approve", 5, resource="Max"),
                "org:role": "Manager",
                "org:group": "Sales",
            },
            {
                **event(f"c{i}", "Book", 6, resource="Bo"),
                "org:role": "Clerk",
                "org:group": "Finance",
            },
        ]
    rows += [
        {**event("d", "Log", 0, resource="Ann"), "org:role": "Agent", "org:group": "Sales"},
        {**event("d", "Book", 1, resource="Bo"), "org:role": "Clerk", "org:group": "Finance"},
    ]
    result = mine(read_log(write_csv(tmp_path / "guess.csv", rows)))
    [chimney] = [f for f in analysis(result).findings if f.code == "MNG001"]
    assert chimney.message.startswith(
        "in 80% of 5 cases the work climbed 2 levels to cross from Sales to Finance"
    )
    assert "level of role 'Manager' = 3 (en: manager)" in chimney.inferred
    assert any(r.startswith("kind of function 'Finance' = finance (") for r in chimney.inferred)


def _many_cases(tmp_path):
    """A log of 300,000 events in 40,000 cases, shuffled, over several row groups."""
    import duckdb

    source = tmp_path / "many.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""COPY (SELECT 'c' || (i * 7919 % 40000) AS "case:concept:name",
                                 'step ' || (i % 13) AS "concept:name",
                                 CAST(epoch_ms(1700000000000 + (i * 104729 % 1000003) * 1000)
                                      AS TIMESTAMPTZ) AS "time:timestamp",
                                 'r' || (i % 17) AS "org:resource"
                          FROM range(300000) t(i))
                    TO '{source}' (FORMAT parquet)""")
    return read_log(source)


def test_the_cached_log_carries_each_events_neighbours_in_its_case(tmp_path):
    """prev_ts, next_ts, prev_act and prev_actor, computed once at conversion, are what a
    window over each case gives; and the rows are stored in case order."""
    from flowmap.mining.engines import DuckDBEngine

    log = _many_cases(tmp_path)
    engine = DuckDBEngine(threads=2)
    try:
        engine.load(log.parquet)
        groups = engine.rows(
            f"SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('{log.parquet}')"
        )[0]["n"]
        assert groups > 1
        differ = engine.rows("""
            WITH w AS (SELECT case_no, n, ts, LAG(ts) OVER c AS p, LEAD(ts) OVER c AS q,
                              LAG(act) OVER c AS a, LAG(actor) OVER c AS r FROM log
                       WINDOW c AS (PARTITION BY case_no ORDER BY ts, line))
            SELECT count(*) AS rows,
                   sum(CASE WHEN l.prev_ts IS DISTINCT FROM w.p OR l.next_ts IS DISTINCT FROM w.q
                              OR l.prev_act IS DISTINCT FROM w.a
                              OR l.prev_actor IS DISTINCT FROM w.r THEN 1 ELSE 0 END) AS differ
            FROM log l JOIN w USING (case_no, n)""")[0]
        stored = engine.rows("""
            SELECT count(*) AS out_of_order FROM (
                SELECT case_no, n, LAG(case_no) OVER () AS pc, LAG(n) OVER () AS pn FROM log)
            WHERE pc > case_no OR (pc = case_no AND pn + 1 <> n)""")[0]
    finally:
        engine.close()
    assert differ == {"rows": 300_000, "differ": 0}
    assert stored == {"out_of_order": 0}


def test_duckdb_reads_neighbours_in_a_table_stored_in_case_order(tmp_path):
    """BEFORE/AFTER on DuckDB read the rows before and after as a table made with
    IN_CASE_ORDER stores them, with no sort: made from a join by several threads, and read
    after a filter, they give what a window over each case gives."""
    from flowmap.mining.engines import DuckDBEngine

    log = _many_cases(tmp_path)
    engine = DuckDBEngine(threads=2)
    try:
        engine.load(log.parquet)
        engine.register("odd", [("act", "INTEGER")], [(k,) for k in range(0, 13, 2)])
        engine.create(
            "t",
            """SELECT l.case_no AS case_id, l.n, l.ts, l.act FROM log l
               JOIN odd o ON l.act = o.act WHERE l.n % 3 <> 0 IN_CASE_ORDER""",
        )
        differ = engine.rows("""
            WITH s AS (SELECT case_id, n, BEFORE(ts, 1) AS p, BEFORE(act, 3) AS p3,
                              AFTER(ts, 2) AS q FROM t WHERE act <> 4),
                 w AS (SELECT case_id, n, LAG(ts) OVER c AS p, LAG(act, 3) OVER c AS p3,
                              LEAD(ts, 2) OVER c AS q FROM t WHERE act <> 4
                       WINDOW c AS (PARTITION BY case_id ORDER BY n))
            SELECT count(*) AS rows, count(s.p3) AS known,
                   sum(CASE WHEN s.p IS DISTINCT FROM w.p OR s.p3 IS DISTINCT FROM w.p3
                              OR s.q IS DISTINCT FROM w.q THEN 1 ELSE 0 END) AS differ
            FROM s JOIN w USING (case_id, n)""")[0]
        rows = engine.rows("SELECT count(*) AS rows FROM t WHERE act <> 4")[0]["rows"]
    finally:
        engine.close()
    assert rows > 100_000 and differ["known"] > 1_000
    assert differ == {"rows": rows, "known": differ["known"], "differ": 0}
