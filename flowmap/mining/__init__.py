"""Process mining with a chain of command: event logs -> measures -> findings and a model.

:func:`mine` runs every measure of :mod:`flowmap.mining.measures` on a log already read into
the canonical Parquet table (:func:`flowmap.loaders.logs.read_log`), with the roles of an
organisation, on DuckDB (default) or Spark. It returns a :class:`Mining`: the measures' rows,
who did the work, and then — through :mod:`flowmap.mining.findings` and
:mod:`flowmap.mining.discover` — findings in the same contract as the rules and the
discovered as-is process. Pure apart from the engine: nothing is printed or written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowmap.mining.actors import Actors, map_actors, pair_kinds
from flowmap.mining.measures import MEASURES, PAIRS, TABLES, event_table


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


def mine(log, organisation=None, *, engine: str = "duckdb", master: str | None = None,
         variants: int = 10, **engine_options) -> Mining:
    """Run all measures on a log (an :class:`~flowmap.loaders.logs.EventLog`)."""
    from flowmap.mining import engines

    runner = engines.make(engine, master, **engine_options)
    try:
        runner.load(log.parquet)
        triples = runner.rows("SELECT resource, role, grp, count(*) AS events FROM log "
                              "GROUP BY resource, role, grp")
        actors = map_actors([(t["resource"], t["role"], t["grp"], t["events"])
                             for t in triples], organisation)
        runner.register("actors", [("resource", "VARCHAR"), ("role", "VARCHAR"),
                                   ("grp", "VARCHAR"), ("role_key", "VARCHAR")],
                        [(a.resource, a.role, a.group, a.role_key) for a in actors.actors])
        runner.register("roles", [("role_key", "VARCHAR"), ("function", "VARCHAR"),
                                  ("level", "INTEGER"), ("service", "BOOLEAN")],
                        actors.role_rows())
        failures = _failures(runner)
        runner.register("failures", [("activity", "VARCHAR")], [(a,) for a in failures])
        has_starts = runner.rows("SELECT count(*) AS n FROM log WHERE lower(lifecycle) = "
                                 "'start'")[0]["n"] > 0
        runner.create("ev", event_table(has_starts, actors.unmapped_share == 0))
        for name, sql in TABLES:
            if name == "handoffs":
                pairs = [(r["prev_role"], r["role_key"]) for r in runner.rows(PAIRS)]
                runner.register("pair_kinds", [
                    ("from_role", "VARCHAR"), ("to_role", "VARCHAR"), ("kind", "VARCHAR"),
                    ("from_level", "INTEGER"), ("to_level", "INTEGER"),
                    ("cross_function", "BOOLEAN")], pair_kinds(actors, pairs))
            runner.create(name, sql)
        results = {}
        for name, sql in MEASURES.items():
            sql = sql.replace("{has_starts}", "true" if has_starts else "false")
            results[name] = runner.rows(sql.replace("{variants}", str(int(variants))))
    finally:
        runner.close()
    return Mining(log, actors, results, runner.name, has_starts, failures)


def _failures(runner) -> list[str]:
    """Steps whose name says something went wrong (rejected, error, complaint...)."""
    from flowmap.inference import names_failure
    from flowmap.mining.measures import STANDARD_TRANSITIONS

    names = runner.rows("SELECT DISTINCT activity, lifecycle FROM log")
    found = set()
    for row in names:
        activity, lifecycle = row["activity"], row["lifecycle"]
        if lifecycle and lifecycle.lower() not in STANDARD_TRANSITIONS:
            activity = f"{activity} / {lifecycle}"
        if names_failure(activity):
            found.add(activity)
    return sorted(found)


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
    metrics.update({
        "log_cases": totals["cases"], "log_events": totals["events"],
        "log_variants": mining.measures["variant_count"][0]["variants"],
        "log_median_case_minutes": round((totals["median_ms"] or 0) / 60_000, 2),
        "log_unmapped_event_share": round(mining.actors.unmapped_share, 4),
        "log_roles_from": mining.actors.source, "engine": mining.engine,
    })
    process.with_source(mining.log.source, {})
    return Analysis(process, found, metrics)
