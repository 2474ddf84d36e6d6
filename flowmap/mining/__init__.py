"""Process mining with a chain of command: event logs -> measures -> findings and a model.

:func:`mine` makes the tables of :mod:`flowmap.mining.tables` and runs every measure of
:mod:`flowmap.mining.measures` on them, for a log already read into
the canonical Parquet table (:func:`flowmap.loaders.logs.read_log`), with the roles of an
organisation, on DuckDB (default) or Spark. It returns a :class:`Mining`: the measures' rows,
who did the work, and then — through :mod:`flowmap.mining.findings` and
:mod:`flowmap.mining.discover` — findings in the same contract as the rules and the
discovered as-is process. Pure apart from the engine: nothing is printed or written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flowmap.mining.actors import Actors, map_actors, pair_kinds
from flowmap.mining.measures import MEASURES
from flowmap.mining.tables import (
    CUSTOMER_ROLE,
    HANDOFF_KINDS,
    PAIRS,
    TABLES,
    event_table,
    event_view,
    step_name,
)


@dataclass
class Mining:
    log: Any  # flowmap.loaders.logs.EventLog
    actors: Actors
    measures: dict[str, list[dict[str, Any]]]
    engine: str
    has_starts: bool
    failures: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Any]:
        return self.measures["totals"][0]


def mine(
    log,
    organisation=None,
    *,
    engine: str = "duckdb",
    master: str | None = None,
    variants: int = 10,
    **engine_options,
) -> Mining:
    """Run all measures on a log (an :class:`~flowmap.loaders.logs.EventLog`)."""
    from flowmap.mining import engines

    runner = engines.make(engine, master, **engine_options)
    try:
        runner.load(log.parquet)
        pairs = log.acts or [
            tuple(r.values())
            for r in runner.rows("SELECT DISTINCT act, activity, lifecycle FROM log")
        ]
        steps, acts, failures = _steps(pairs)
        runner.register(
            "acts", [("act", "INTEGER"), ("step", "INTEGER"), ("is_start", "BOOLEAN")], acts
        )
        runner.register(
            "steps", [("step", "INTEGER"), ("activity", "VARCHAR")], list(enumerate(steps))
        )
        runner.register(
            "failures", [("step", "INTEGER")], [(steps.index(name),) for name in failures]
        )
        triples = log.actors or [
            tuple(r.values())
            for r in runner.rows(
                "SELECT actor, resource, role, grp, count(*) AS events FROM log "
                "GROUP BY actor, resource, role, grp"
            )
        ]
        actors = map_actors([t[1:] for t in triples], organisation)
        roles = actors.role_rows()  # the customer first: its number is CUSTOMER_ROLE
        role_no = {row[0]: k for k, row in enumerate(roles)}
        function_no = {f: k for k, f in enumerate(sorted({r[1] for r in roles if r[1]}))}
        resource_no: dict[str, int] = {}
        rows = []
        for triple, actor in zip(triples, actors.actors, strict=True):
            role = role_no.get(actor.role_key) if actor.role_key else None
            _, function, level, service = roles[role] if role is not None else (None,) * 4
            rows.append(
                (
                    triple[0],
                    resource_no.setdefault(actor.resource, len(resource_no)),
                    role,
                    function_no.get(function),
                    level,
                    service,
                )
            )
        runner.register(
            "actors",
            [
                ("actor", "INTEGER"),
                ("res", "INTEGER"),
                ("role", "INTEGER"),
                ("func", "INTEGER"),
                ("level", "INTEGER"),
                ("service", "BOOLEAN"),
            ],
            rows,
        )
        runner.register(
            "roles",
            [("role", "INTEGER"), ("role_key", "VARCHAR"), ("level", "INTEGER")],
            [(k, row[0], row[2]) for k, row in enumerate(roles)],
        )
        runner.register(
            "kinds", [("kind", "INTEGER"), ("name", "VARCHAR")], list(enumerate(HANDOFF_KINDS))
        )
        runner.register(
            "functions",
            [("func", "INTEGER"), ("function", "VARCHAR")],
            [(k, f) for f, k in function_no.items()],
        )
        has_starts = any(is_start for _, _, is_start in acts)
        all_mapped = actors.unmapped_share == 0
        done = runner.run(_jobs(actors, roles, has_starts, all_mapped, variants))
        results = {name: done[name] for name in MEASURES}
    finally:
        runner.close()
    return Mining(log, actors, results, runner.name, has_starts, failures)


def _jobs(actors: Actors, roles: list[tuple], has_starts: bool, all_mapped: bool, variants: int):
    """The run's jobs for the engine (:func:`flowmap.mining.engines.schedule`): the tables,
    in the order of :data:`TABLES` (``pair_kinds`` once ``ev`` is made), then the measures,
    each needing the tables its SQL names."""
    jobs: dict = {
        "ev": (set(), lambda e: _events(e, has_starts, all_mapped)),
        "pair_kinds": ({"ev"}, lambda e: _pair_kinds(e, actors, roles)),
    }
    tables = {"ev", "pair_kinds", *(name for name, _ in TABLES)}
    for name, sql in [*TABLES, *MEASURES.items()]:
        sql = _fill(sql, has_starts, variants)
        # What the SQL reads (its comments left out: they may name any table).
        code = re.sub(r"--[^\n]*", "", sql)
        needs = {table for table in tables if re.search(rf"\b{table}\b", code)}
        if name in MEASURES:
            jobs[name] = (needs, lambda e, sql=sql: e.rows(sql))
        else:
            jobs[name] = (needs, lambda e, name=name, sql=sql: e.create(name, sql))
    return jobs


def _events(runner, has_starts: bool, all_mapped: bool) -> None:
    runner.create("ev_rows", event_table(has_starts, all_mapped))
    runner.view("ev", event_view(has_starts, all_mapped))


def _pair_kinds(runner, actors: Actors, roles: list[tuple]) -> None:
    """The table ``pair_kinds``: the handoff between each pair of roles the work passes between
    (:data:`PAIRS`), from ``flowmap.graph`` (one definition of the kinds): its kind's number,
    whether it goes up or down a level (``dir``), whether it crosses functions. Pairs that are
    no handoff (the kinds none and unknown) are left out."""
    keys = [row[0] for row in roles]
    pairs = [(r["prev_role"], r["role"]) for r in runner.rows(PAIRS)]
    rows = []
    for (a, b), (_, _, kind, la, lb, cross) in zip(
        pairs, pair_kinds(actors, [(keys[x], keys[y]) for x, y in pairs]), strict=True
    ):
        if kind in HANDOFF_KINDS:
            up = kind == "vertical" and lb > la
            down = kind == "vertical" and lb < la
            rows.append((a, b, HANDOFF_KINDS.index(kind), 1 if up else -1 if down else 0, cross))
    runner.register(
        "pair_kinds",
        [
            ("from_role", "INTEGER"),
            ("to_role", "INTEGER"),
            ("kind", "INTEGER"),
            ("dir", "INTEGER"),
            ("cross_function", "BOOLEAN"),
        ],
        rows,
    )


def _fill(sql: str, has_starts: bool, variants: int) -> str:
    """The SQL with the run's values in place of its ``{has_starts}``, ``{customer}`` (the
    customer's role), ``{customer_handoff}`` (the kind of a handoff with the customer) and
    ``{variants}``."""
    sql = sql.replace("{has_starts}", "true" if has_starts else "false")
    sql = sql.replace("{customer}", str(CUSTOMER_ROLE))
    sql = sql.replace("{customer_handoff}", str(HANDOFF_KINDS.index("customer")))
    return sql.replace("{variants}", str(int(variants)))


def _steps(pairs: list[tuple]) -> tuple[list[str], list[tuple[int, int, bool]], list[str]]:
    """The steps of the log's (act, activity, lifecycle) pairs (sorted names), each pair's
    (act, step number, is_start), and the steps whose name says something went wrong
    (rejected, error, complaint...)."""
    from flowmap.inference import names_failure

    named = [
        (act, step_name(activity, lifecycle), (lifecycle or "").lower() == "start")
        for act, activity, lifecycle in pairs
    ]
    steps = sorted({name for _, name, _ in named})
    number = {name: k for k, name in enumerate(steps)}
    acts = [(act, number[name], is_start) for act, name, is_start in named]
    return steps, acts, [name for name in steps if names_failure(name)]


def analysis(mining: Mining, *, min_share: float = 0.05, threshold: float = 0.05):
    """The mining run as an :class:`~flowmap.analysis.Analysis` (what every reporter prints):
    the discovered process, the measured findings, the discovered model's metrics with the
    log's figures added (``log_cases``, ``log_events``, ``log_variants``...)."""
    from flowmap.analysis import Analysis
    from flowmap.graph import ProcessGraph
    from flowmap.metrics import compute
    from flowmap.mining.discover import discover
    from flowmap.mining.findings import findings

    process = discover(mining, min_share)
    ids = {step.name: step.id for step in process.steps if step.kind.value == "task"}
    found = findings(mining, ids, threshold)
    metrics = compute(ProcessGraph(process))
    totals = mining.totals
    # The discovered model's lead time adds the median waits along its main path; what the
    # cases really took is the log's median case duration: that is the lead time printed.
    metrics["model_lead_time_minutes"] = metrics.get("lead_time_minutes")
    metrics["lead_time_minutes"] = round((totals["median_ms"] or 0) / 60_000, 2)
    metrics.update(
        {
            "log_cases": totals["cases"],
            "log_events": totals["events"],
            "log_variants": mining.measures["variant_count"][0]["variants"],
            "log_median_case_minutes": round((totals["median_ms"] or 0) / 60_000, 2),
            "log_unmapped_event_share": round(mining.actors.unmapped_share, 4),
            "log_roles_from": mining.actors.source,
            "engine": mining.engine,
        }
    )
    process.with_source(mining.log.source, {})
    return Analysis(process, found, metrics)
