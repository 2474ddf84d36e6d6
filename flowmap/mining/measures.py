"""The measures, each one named SQL query over the canonical log, shared by DuckDB and Spark.

The SQL is the subset both engines read alike (window functions, ``WINDOW`` clauses, ``USING``
joins, ``median``); the one aggregate they spell differently, the ordered sequence of a case's
activities, is written ``SEQUENCE(x ORDER BY n)`` and translated by the engine. Timestamps are
integers (milliseconds, UTC), so durations are exact and both engines give the same numbers.

Tables the engine provides before the queries run:

* ``log``: the canonical log (see :mod:`flowmap.loaders.logs`);
* ``actors(resource, role, grp, role_key)``: each distinct resource/role/group of the log and the
  role key it maps to (``flowmap.mining.actors``);
* ``roles(role_key, function, level, service)``: the organisation's roles;
* ``pair_kinds(from_role, to_role, kind, from_level, to_level, cross_function)``: the kind of
  handoff between two roles, computed by ``flowmap.graph`` (one definition of the kinds);
* ``failures(activity)``: activities whose name says something failed.

Each entry of :data:`TABLES` is materialised in order; :data:`PAIRS` is asked between
``moves`` and ``handoffs`` (to fill ``pair_kinds``). :data:`MEASURES` are the results.
"""

from __future__ import annotations

# XES lifecycle transitions (the standard's model). A log whose lifecycle column holds other
# words (BPI Challenge 2013's sub-statuses) has them appended to the activity: they are steps.
STANDARD_TRANSITIONS = ("schedule", "assign", "withdraw", "reassign", "start", "suspend",
                        "resume", "pi_abort", "ate_abort", "complete", "autoskip",
                        "manualskip", "unknown")
_STANDARD = ", ".join(f"'{t}'" for t in STANDARD_TRANSITIONS)

TABLES: list[tuple[str, str]] = [
    ("ev", f"""
-- Each event with the role that did it (through the organisation), its step name (the
-- activity, with the log's own sub-status when that is not an XES lifecycle transition),
-- whether it starts work (lifecycle 'start') and its position n in its case (by time, then by
-- where it was written in the log).
SELECT l.case_id,
       CASE WHEN l.lifecycle IS NULL OR lower(l.lifecycle) IN ({_STANDARD}) THEN l.activity
            ELSE concat(l.activity, ' / ', l.lifecycle) END AS activity,
       coalesce(lower(l.lifecycle) = 'start', false) AS is_start,
       l.lifecycle, l.ts, l.resource, a.role_key, r.function, r.level,
       coalesce(r.service, false) AS service,
       ROW_NUMBER() OVER (PARTITION BY l.case_id ORDER BY l.ts, l.line) AS n
FROM log l
LEFT JOIN actors a ON coalesce(l.resource, '') = a.resource AND coalesce(l.role, '') = a.role
                  AND coalesce(l.grp, '') = a.grp
LEFT JOIN roles r ON a.role_key = r.role_key
"""),
    ("cases", """
-- One row per case: its events, when it started and ended, and how long it took.
SELECT case_id, count(*) AS events, min(ts) AS start_ts, max(ts) AS end_ts,
       max(ts) - min(ts) AS duration_ms
FROM ev GROUP BY case_id
"""),
    ("moves", """
-- Each event done by a known role, with the known event before it in its case: the work moves
-- from prev_role to role_key (unmapped events are stepped over, not counted as handoffs).
SELECT case_id, n, ts, activity, role_key, function, level, service,
       LAG(role_key) OVER w AS prev_role, LAG(function) OVER w AS prev_function,
       LAG(ts) OVER w AS prev_ts
FROM ev WHERE role_key IS NOT NULL
WINDOW w AS (PARTITION BY case_id ORDER BY n)
"""),
    ("handoffs", """
-- Handoffs: the work passes from one role to another (kinds as in flowmap.graph:
-- horizontal, vertical, diagonal, customer); h numbers a case's handoffs in order and gap_ms
-- is the time between the two events.
SELECT m.case_id, m.n, m.ts, m.ts - m.prev_ts AS gap_ms, m.prev_role AS from_role,
       m.role_key AS to_role, m.prev_function AS from_function, m.function AS to_function,
       k.kind, k.from_level, k.to_level, k.cross_function,
       ROW_NUMBER() OVER (PARTITION BY m.case_id ORDER BY m.n) AS h
FROM moves m JOIN pair_kinds k ON m.prev_role = k.from_role AND m.role_key = k.to_role
WHERE k.kind NOT IN ('none', 'unknown')
"""),
    ("climbs", """
-- For each handoff: how many handoffs straight before it climbed its chain of command (same
-- function, level up) and how many straight after it descended one (same function, level
-- down). A crossing between functions with a climb or a descent is a chimney.
SELECT *,
       h - 1 - coalesce(MAX(CASE WHEN NOT up THEN h END) OVER (PARTITION BY case_id ORDER BY h
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS climb,
       coalesce(MIN(CASE WHEN NOT down THEN h END) OVER (PARTITION BY case_id ORDER BY h
                ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING),
                COUNT(*) OVER (PARTITION BY case_id) + 1) - h - 1 AS descent
FROM (SELECT *, (kind = 'vertical' AND to_level > from_level) AS up,
             (kind = 'vertical' AND to_level < from_level) AS down FROM handoffs) t
"""),
    ("chimneys", """
-- Chimneys: work crossing from one function to another at the top of a climb up one chain of
-- command and/or followed by a descent down the other, instead of between the doers. Levels
-- are those where the climb started, where it crossed, and where the descent ended; gap_ms is
-- the time from the start of the climb to the end of the descent.
SELECT c.case_id, c.n, c.from_function, c.to_function, c.climb, c.descent,
       c.climb + c.descent AS extra_hops,
       coalesce(s.from_level, c.from_level) AS start_level, c.from_level AS cross_from_level,
       c.to_level AS cross_to_level, coalesce(d.to_level, c.to_level) AS end_level,
       coalesce(d.ts, c.ts) - coalesce(s.ts - s.gap_ms, c.ts - c.gap_ms) AS gap_ms,
       coalesce(s.from_role, c.from_role) AS start_role, c.from_role AS cross_from_role,
       c.to_role AS cross_to_role, coalesce(d.to_role, c.to_role) AS end_role
FROM climbs c
LEFT JOIN climbs s ON s.case_id = c.case_id AND s.h = c.h - c.climb AND c.climb > 0
LEFT JOIN climbs d ON d.case_id = c.case_id AND d.h = c.h + c.descent AND c.descent > 0
WHERE c.cross_function AND c.climb + c.descent >= 1
"""),
    ("ping_pongs", """
-- Ping-pong: the work comes back to the function it just left (A -> B -> A, the same
-- definition as the model metric); the pair of functions is named in alphabetical order and
-- gap_ms is the time the return took.
SELECT case_id, n, least(from_function, to_function) AS function_a,
       greatest(from_function, to_function) AS function_b, gap_ms
FROM (SELECT *, LAG(from_function) OVER (PARTITION BY case_id ORDER BY n) AS before_function
      FROM handoffs WHERE cross_function) t
WHERE to_function = before_function
"""),
    ("rework", """
-- Rework: a step done again in the same case, by the same resource (repeat) or by another
-- (redo); start events are not counted (a start and its completion are one piece of work).
-- gap_ms is the time since the step was last done.
SELECT case_id, n, activity, ts - before_ts AS gap_ms,
       CASE WHEN coalesce(resource, '') = coalesce(before_resource, '') THEN 'repeat'
            ELSE 'redo' END AS kind
FROM (SELECT case_id, n, ts, activity, resource,
             LAG(resource) OVER w AS before_resource, LAG(ts) OVER w AS before_ts
      FROM ev WHERE NOT is_start
      WINDOW w AS (PARTITION BY case_id, activity ORDER BY n)) t
WHERE before_ts IS NOT NULL
"""),
    ("gaps", """
-- The time before each event since the one before it in its case (wait_ms), and until the next
-- one (state_ms: how long the case stayed in the state this event put it in).
SELECT case_id, n, activity, is_start, function, role_key,
       ts - (LAG(ts) OVER w) AS wait_ms, (LEAD(ts) OVER w) - ts AS state_ms
FROM ev WINDOW w AS (PARTITION BY case_id ORDER BY n)
"""),
    ("work", """
-- Work: from a step's start event to its completion (the next event of the same step in the
-- case, when the one before it is a start).
SELECT case_id, activity, ts - start_ts AS work_ms
FROM (SELECT case_id, activity, ts, is_start, LAG(ts) OVER w AS start_ts,
             LAG(is_start) OVER w AS prev_is_start
      FROM ev WINDOW w AS (PARTITION BY case_id, activity ORDER BY n)) t
WHERE NOT is_start AND prev_is_start
"""),
    ("case_variants", """
-- The variant of each case: the sequence of its steps.
SELECT case_id, SEQUENCE(activity ORDER BY n) AS variant FROM ev GROUP BY case_id
"""),
    ("steps", """
-- Each piece of work once (completions, and events without a lifecycle) with the step done
-- just before it in its case: the directly-follows relation the discovered model is built from.
SELECT case_id, activity, role_key, ts,
       LAG(activity) OVER w AS prev_activity, LAG(ts) OVER w AS prev_ts,
       ROW_NUMBER() OVER w AS k, COUNT(*) OVER (PARTITION BY case_id) AS last_k
FROM ev WHERE NOT is_start
WINDOW w AS (PARTITION BY case_id ORDER BY n)
"""),
]

# The pairs of roles the work passes between: their kinds come from flowmap.graph.
PAIRS = """
SELECT DISTINCT prev_role, role_key FROM moves
WHERE prev_role IS NOT NULL AND prev_role <> role_key
"""


def summary(occurrences: str, groups: tuple[str, ...] = ()) -> str:
    """Per group of an occurrence table (case_id, gap_ms, groups...): occurrences, cases hit,
    the summed duration of those cases and the summed gap. With the totals of ``cases``, this
    gives the share of cases and how much longer they took than the others."""
    g = ", ".join(groups)
    gs = g + ", " if groups else ""
    tail = f" GROUP BY {g} ORDER BY {g}" if groups else ""
    return f"""
WITH hit AS (SELECT {gs}case_id, count(*) AS k, sum(gap_ms) AS gap FROM {occurrences}
             GROUP BY {gs}case_id)
SELECT {gs}sum(k) AS occurrences, count(*) AS cases, sum(c.duration_ms) AS case_ms,
       sum(gap) AS gap_ms
FROM hit JOIN cases c USING (case_id){tail}"""


MEASURES: dict[str, str] = {
    "totals": """
-- The log as a whole: cases, events, the summed and the median case duration.
SELECT count(*) AS cases, sum(events) AS events, sum(duration_ms) AS duration_ms,
       median(duration_ms) AS median_ms FROM cases""",
    "handoffs_by_kind": summary("handoffs", ("kind",)),
    "handoffs_any": summary("(SELECT * FROM handoffs WHERE kind <> 'customer') x"),
    "chimneys_by_functions": """
-- Chimneys per pair of functions and per climb: occurrences, cases, and the levels.
WITH hit AS (SELECT from_function, to_function, start_level, cross_from_level, end_level,
                    case_id, count(*) AS k, sum(gap_ms) AS gap
             FROM chimneys
             GROUP BY from_function, to_function, start_level, cross_from_level, end_level,
                      case_id)
SELECT from_function, to_function, start_level, cross_from_level, end_level,
       sum(k) AS occurrences, count(*) AS cases, sum(c.duration_ms) AS case_ms,
       sum(gap) AS gap_ms
FROM hit JOIN cases c USING (case_id)
GROUP BY from_function, to_function, start_level, cross_from_level, end_level
ORDER BY from_function, to_function, start_level, cross_from_level, end_level""",
    "chimneys_any": summary("chimneys"),
    "chimney_roles": """
-- The roles on the chimneys' paths (where the climb started, the two that crossed, where the
-- descent ended), per pair of functions.
SELECT DISTINCT from_function, to_function, role_key FROM (
  SELECT from_function, to_function, start_role AS role_key FROM chimneys
  UNION ALL SELECT from_function, to_function, cross_from_role FROM chimneys
  UNION ALL SELECT from_function, to_function, cross_to_role FROM chimneys
  UNION ALL SELECT from_function, to_function, end_role FROM chimneys) t
ORDER BY from_function, to_function, role_key""",
    "ping_pong_by_functions": summary("ping_pongs", ("function_a", "function_b")),
    "ping_pong_any": summary("ping_pongs"),
    "rework_by_kind": summary("rework", ("kind",)),
    "rework_by_activity": summary("rework", ("activity", "kind")),
    "waiting_by_activity": """
-- Waiting before each step: the time since the event before it (from the previous completion
-- to the start, when the log has start events; else waiting and work together).
SELECT activity, count(*) AS events, sum(wait_ms) AS wait_ms, median(wait_ms) AS median_ms
FROM gaps WHERE wait_ms IS NOT NULL AND (is_start OR NOT {has_starts})
GROUP BY activity ORDER BY activity""",
    "state_time": """
-- Time in each state: from an event to the next one in its case, per step and function
-- (BPI Challenge 2013's 'Wait - User' is such a state).
SELECT activity, function, count(*) AS events, count(DISTINCT case_id) AS cases,
       sum(state_ms) AS state_ms
FROM gaps WHERE state_ms IS NOT NULL GROUP BY activity, function
ORDER BY activity, function""",
    "work_by_activity": """
-- Work time of each step (start to completion), when the log has start events.
SELECT activity, count(*) AS instances, sum(work_ms) AS work_ms, median(work_ms) AS median_ms
FROM work GROUP BY activity ORDER BY activity""",
    "cycle_efficiency": """
-- Process cycle efficiency: work time over lead time, in all and as the median of the cases
-- that have start events.
WITH w AS (SELECT case_id, sum(work_ms) AS work_ms FROM work GROUP BY case_id)
SELECT count(*) AS cases, sum(w.work_ms) AS work_ms, sum(c.duration_ms) AS duration_ms,
       median(CASE WHEN c.duration_ms > 0 THEN w.work_ms / c.duration_ms END) AS median_share
FROM w JOIN cases c USING (case_id)""",
    "service_first": """
-- Where customer service is first involved: its first event's position among the case's
-- events (0 first, 1 last) and in the case's time.
WITH s AS (SELECT case_id, min(n) AS first_n, min(ts) AS first_ts FROM ev WHERE service
           GROUP BY case_id)
SELECT count(*) AS cases,
       median((s.first_n - 1) / CASE WHEN c.events > 1 THEN c.events - 1 ELSE 1 END)
           AS median_position,
       median((s.first_ts - c.start_ts) / CASE WHEN c.duration_ms > 0 THEN c.duration_ms
                                               ELSE 1 END) AS median_time_position,
       sum(c.duration_ms) AS case_ms
FROM s JOIN cases c USING (case_id)""",
    "dumped_at_service": """
-- Upstream failures ending at customer service: a function other than service did a step
-- whose name says it failed, and the case's last known role belongs to customer service.
WITH last AS (SELECT case_id, service FROM (
                SELECT case_id, service, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY n DESC)
                       AS back FROM ev WHERE role_key IS NOT NULL AND role_key <> 'customer') t
              WHERE back = 1),
     up AS (SELECT DISTINCT e.case_id, e.function FROM ev e JOIN failures f
            ON e.activity = f.activity WHERE NOT e.service AND e.function IS NOT NULL)
SELECT up.function, count(*) AS cases, sum(c.duration_ms) AS case_ms
FROM up JOIN last USING (case_id) JOIN cases c USING (case_id)
WHERE last.service GROUP BY up.function ORDER BY up.function""",
    "levels": """
-- Push to front: the level of the first role that worked on each case and the highest level
-- the case reached (cases handled at the first level were never escalated).
WITH f AS (SELECT case_id, level FROM (
             SELECT case_id, level, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY n) AS k
             FROM ev WHERE level IS NOT NULL) t WHERE k = 1),
     top AS (SELECT case_id, max(level) AS highest FROM ev WHERE level IS NOT NULL
             GROUP BY case_id)
SELECT f.level AS first_level, top.highest, count(*) AS cases, sum(c.duration_ms) AS case_ms
FROM f JOIN top USING (case_id) JOIN cases c USING (case_id)
GROUP BY f.level, top.highest ORDER BY f.level, top.highest""",
    "variants": """
-- Variants: the sequence of steps of each case; per variant its cases, summed duration, and
-- handoffs, chimneys and ping-pongs.
WITH v AS (SELECT case_id, variant FROM case_variants),
     h AS (SELECT case_id, count(*) AS handoffs FROM handoffs WHERE kind <> 'customer'
           GROUP BY case_id),
     ch AS (SELECT DISTINCT case_id FROM chimneys),
     pp AS (SELECT DISTINCT case_id FROM ping_pongs)
SELECT v.variant, count(*) AS cases, sum(c.duration_ms) AS case_ms,
       sum(coalesce(h.handoffs, 0)) AS handoffs,
       sum(CASE WHEN ch.case_id IS NULL THEN 0 ELSE 1 END) AS chimney_cases,
       sum(CASE WHEN pp.case_id IS NULL THEN 0 ELSE 1 END) AS ping_pong_cases
FROM v JOIN cases c USING (case_id) LEFT JOIN h USING (case_id)
LEFT JOIN ch USING (case_id) LEFT JOIN pp USING (case_id)
GROUP BY v.variant ORDER BY count(*) DESC, v.variant LIMIT {variants}""",
    "variant_count": """
-- How many distinct variants the log has.
SELECT count(DISTINCT variant) AS variants FROM case_variants""",
    "activities": """
-- Each step: how often it was done, in how many cases, and by which role how often.
SELECT activity, role_key, count(*) AS events, count(DISTINCT case_id) AS cases
FROM steps GROUP BY activity, role_key ORDER BY activity, role_key""",
    "follows": """
-- Directly-follows: how often each step came straight after another, and the median time
-- between them ('' as the source: the case started with it; '' as the target: it ended).
SELECT coalesce(prev_activity, '') AS source, activity AS target, count(*) AS times,
       median(ts - prev_ts) AS median_ms
FROM steps GROUP BY coalesce(prev_activity, ''), activity
UNION ALL
SELECT activity AS source, '' AS target, count(*) AS times, CAST(NULL AS DOUBLE) AS median_ms
FROM steps WHERE k = last_k GROUP BY activity""",
}
