"""The measures, each one named SQL query over the tables of :mod:`flowmap.mining.tables`,
shared by DuckDB and Spark.

The SQL is the subset both engines read alike (window functions, ``USING`` joins, ``median``,
``min_by``/``max_by``); what they spell differently is written in one spelling and translated
by the engine (:mod:`flowmap.mining.engines`):

* ``BEFORE(x, k)``, ``AFTER(x, k)``: x of the row k before and after in the same case, in a
  table made with ``IN_CASE_ORDER`` (Spark: a window over the case; DuckDB: the row k before
  and after as the table is stored, so no sort is needed);
* ``SEQUENCE(x ORDER BY n)``: the ordered sequence of a case's steps, as text;
* ``VARIANT_KEY(step, n)``: a number that is the same for two cases exactly when their
  sequences of steps are (a sum of hashes of each step with its position);
* ``LAST_KNOWN(x)``: the last value of a window that is not null;
* ``BIT_SET_SIZE(x)``: how many distinct values a number ``x >= 0`` takes modulo 63 in a group
  (a bit set in a 64-bit integer): fewer than the group's rows means a value may repeat.

Timestamps are integers (milliseconds, UTC), so durations are exact and both engines give the
same numbers.

The tables the measures read are made first, once per run (:mod:`flowmap.mining.tables`);
:data:`MEASURES` are the results, each a query that only reads them.
"""

from __future__ import annotations


def again(column: str, where: str) -> str:
    """Per step and ``column`` (role, function), how many of the events that pass ``where`` came
    in a case that already had one with the same step and ``column``: a step's events minus
    these are the distinct cases it was done in. Only steps done twice in a case can repeat, so
    ``repeats`` (their events) answers it without grouping every event by case."""
    return f"""SELECT step, {column}, sum(k - 1) AS again
        FROM (SELECT case_id, step, {column}, count(*) AS k FROM repeats WHERE {where}
              GROUP BY case_id, step, {column}) x
        GROUP BY step, {column}"""


def summary(occurrences: str, groups: tuple[str, ...] = ()) -> str:
    """Per group of an occurrence table (case_id, gap_ms, groups...): occurrences, cases hit,
    the summed and the median duration of those cases, and the summed gap. With the totals of
    ``cases``, this gives the share of cases and how long they took against all cases (the
    median: case durations are skewed, a few cases open for years move a mean by months)."""
    g = ", ".join(groups)
    gs = g + ", " if groups else ""
    tail = f" GROUP BY {g} ORDER BY {g}" if groups else ""
    return f"""
WITH hit AS (SELECT {gs}case_id, count(*) AS k, sum(gap_ms) AS gap FROM {occurrences}
             GROUP BY {gs}case_id)
SELECT {gs}sum(k) AS occurrences, count(*) AS cases, sum(c.duration_ms) AS case_ms,
       median(c.duration_ms) AS median_case_ms, sum(gap) AS gap_ms
FROM hit JOIN cases c USING (case_id){tail}"""


MEASURES: dict[str, str] = {
    "totals": """
-- The log as a whole: cases, events, the summed and the median case duration.
SELECT count(*) AS cases, sum(events) AS events, sum(duration_ms) AS duration_ms,
       median(duration_ms) AS median_ms FROM cases""",
    "handoffs_by_kind": f"""
SELECT k.name AS kind, s.occurrences, s.cases, s.case_ms, s.median_case_ms, s.gap_ms
FROM ({summary("handoffs", ("kind",))}) s JOIN kinds k ON s.kind = k.kind ORDER BY k.name""",
    "handoffs_any": summary("(SELECT * FROM handoffs WHERE kind <> {customer_handoff}) x"),
    "chimneys_by_functions": """
-- Chimneys per pair of functions and per climb: occurrences, cases, and the levels.
WITH hit AS (SELECT from_func, to_func, start_level, cross_from_level, end_level,
                    case_id, count(*) AS k, sum(gap_ms) AS gap
             FROM chimneys
             GROUP BY from_func, to_func, start_level, cross_from_level, end_level, case_id),
     g AS (SELECT from_func, to_func, start_level, cross_from_level, end_level,
                  sum(k) AS occurrences, count(*) AS cases, sum(c.duration_ms) AS case_ms,
                  sum(gap) AS gap_ms
           FROM hit JOIN cases c USING (case_id)
           GROUP BY from_func, to_func, start_level, cross_from_level, end_level)
SELECT f.function AS from_function, t.function AS to_function, g.start_level,
       g.cross_from_level, g.end_level, g.occurrences, g.cases, g.case_ms, g.gap_ms
FROM g LEFT JOIN functions f ON g.from_func = f.func LEFT JOIN functions t ON g.to_func = t.func
ORDER BY from_function, to_function, start_level, cross_from_level, end_level""",
    "chimneys_any": summary("chimneys"),
    "chimneys_by_pair": f"""
SELECT f.function AS from_function, t.function AS to_function, s.occurrences, s.cases,
       s.case_ms, s.median_case_ms, s.gap_ms
FROM ({summary("chimneys", ("from_func", "to_func"))}) s
LEFT JOIN functions f ON s.from_func = f.func LEFT JOIN functions t ON s.to_func = t.func
ORDER BY from_function, to_function""",
    "chimney_roles": """
-- The roles on the chimneys' paths (where the climb started, the two that crossed, where the
-- descent ended), per pair of functions.
SELECT f.function AS from_function, t.function AS to_function, r.role_key FROM (
  SELECT DISTINCT from_func, to_func, role FROM (
    SELECT from_func, to_func, start_role AS role FROM chimneys
    UNION ALL SELECT from_func, to_func, cross_from_role FROM chimneys
    UNION ALL SELECT from_func, to_func, cross_to_role FROM chimneys
    UNION ALL SELECT from_func, to_func, end_role FROM chimneys) u) d
LEFT JOIN functions f ON d.from_func = f.func LEFT JOIN functions t ON d.to_func = t.func
LEFT JOIN roles r ON d.role = r.role
ORDER BY from_function, to_function, role_key""",
    "ping_pong_by_functions": f"""
SELECT f.function AS function_a, g.function AS function_b, s.occurrences, s.cases,
       s.case_ms, s.median_case_ms, s.gap_ms
FROM ({summary("ping_pongs", ("func_a", "func_b"))}) s
LEFT JOIN functions f ON s.func_a = f.func LEFT JOIN functions g ON s.func_b = g.func
ORDER BY function_a, function_b""",
    "ping_pong_any": summary("ping_pongs"),
    "rework_by_kind": summary("rework", ("kind",)),
    "rework_by_activity": summary("rework", ("activity", "kind")),
    "waiting_by_activity": """
-- Waiting before each step: the time since the event before it (from the previous completion
-- to the start, when the log has start events; else waiting and work together).
SELECT s.activity, w.events, w.wait_ms, w.median_ms
FROM (SELECT step, count(*) AS events, sum(ts - prev_ts) AS wait_ms,
             median(ts - prev_ts) AS median_ms
      FROM ev WHERE prev_ts IS NOT NULL AND (is_start OR NOT {has_starts}) GROUP BY step) w
JOIN steps s USING (step) ORDER BY s.activity""",
    "state_time": f"""
-- Time in each state: from an event to the next one in its case, per step and function
-- (BPI Challenge 2013's 'Wait - User' is such a state).
SELECT s.activity, f.function, t.events, CAST(t.events - coalesce(d.again, 0) AS BIGINT) AS cases,
       t.state_ms
FROM (SELECT step, func, count(*) AS events, sum(next_ts - ts) AS state_ms
      FROM ev WHERE next_ts IS NOT NULL GROUP BY step, func) t
LEFT JOIN ({again("func", "next_ts IS NOT NULL")}) d ON t.step = d.step AND coalesce(t.func, -1) = coalesce(d.func, -1)
JOIN steps s ON t.step = s.step LEFT JOIN functions f ON t.func = f.func
ORDER BY s.activity, f.function""",
    "work_by_activity": """
-- Work time of each step (start to completion), when the log has start events.
SELECT s.activity, w.instances, w.work_ms, w.median_ms
FROM (SELECT step, count(*) AS instances, sum(work_ms) AS work_ms, median(work_ms) AS median_ms
      FROM repeats WHERE work_ms IS NOT NULL GROUP BY step) w
JOIN steps s USING (step) ORDER BY s.activity""",
    "cycle_efficiency": """
-- Process cycle efficiency: work time over lead time, in all and as the median of the cases
-- that have start events.
WITH w AS (SELECT case_id, sum(work_ms) AS work_ms FROM repeats WHERE work_ms IS NOT NULL
           GROUP BY case_id)
SELECT count(*) AS cases, sum(w.work_ms) AS work_ms, sum(c.duration_ms) AS duration_ms,
       median(CASE WHEN c.duration_ms > 0 THEN w.work_ms / c.duration_ms END) AS median_share
FROM w JOIN cases c USING (case_id)""",
    "service_first": """
-- Where customer service is first involved: its first event's position among the case's
-- events (0 first, 1 last) and in the case's time.
SELECT count(*) AS cases,
       median((service_n - 1) / CASE WHEN events > 1 THEN events - 1 ELSE 1 END)
           AS median_position,
       median((service_ts - start_ts) / CASE WHEN duration_ms > 0 THEN duration_ms
                                             ELSE 1 END) AS median_time_position,
       sum(duration_ms) AS case_ms
FROM cases WHERE service_n IS NOT NULL""",
    "dumped_at_service": """
-- Upstream failures ending at customer service: a function other than service did a step
-- whose name says it failed, and the case's last known role belongs to customer service.
WITH up AS (SELECT DISTINCT e.case_id, e.func FROM ev e JOIN failures f
            ON e.step = f.step WHERE NOT e.service AND e.func IS NOT NULL)
SELECT f.function, count(*) AS cases, sum(c.duration_ms) AS case_ms,
       median(c.duration_ms) AS median_case_ms
FROM up JOIN cases c USING (case_id) JOIN functions f ON up.func = f.func
WHERE c.last_service GROUP BY f.function ORDER BY f.function""",
    "levels": """
-- Push to front: the level of the first role that worked on each case and the highest level
-- the case reached (cases handled at the first level were never escalated).
SELECT first_level, highest, count(*) AS cases, sum(duration_ms) AS case_ms
FROM cases WHERE first_level IS NOT NULL
GROUP BY first_level, highest ORDER BY first_level, highest""",
    "escalated": """
-- The cases escalated above the level that first took them, and how long they took.
SELECT count(*) AS cases, sum(duration_ms) AS case_ms, median(duration_ms) AS median_case_ms
FROM cases WHERE highest > first_level""",
    "variants": """
-- Variants: the sequence of steps of each case; per variant its cases, summed duration, and
-- handoffs, chimneys and ping-pongs. Variants are counted by their number; the sequence is
-- spelled, from one of its cases, only for those that may be shown (the first {variants}, and
-- those with as many cases as the last of them, which the sequence's text then orders).
WITH h AS (SELECT case_id, count(*) AS handoffs FROM handoffs WHERE kind <> {customer_handoff}
           GROUP BY case_id),
     ch AS (SELECT DISTINCT case_id FROM chimneys),
     pp AS (SELECT DISTINCT case_id FROM ping_pongs),
     g AS (SELECT c.variant, count(*) AS cases, sum(c.duration_ms) AS case_ms,
                  sum(coalesce(h.handoffs, 0)) AS handoffs,
                  sum(CASE WHEN ch.case_id IS NULL THEN 0 ELSE 1 END) AS chimney_cases,
                  sum(CASE WHEN pp.case_id IS NULL THEN 0 ELSE 1 END) AS ping_pong_cases,
                  min(c.case_id) AS example
           FROM cases c LEFT JOIN h USING (case_id)
           LEFT JOIN ch USING (case_id) LEFT JOIN pp USING (case_id) GROUP BY c.variant),
     top AS (SELECT * FROM g WHERE cases >= (SELECT min(cases) FROM (
               SELECT cases FROM g ORDER BY cases DESC LIMIT {variants}) t)),
     spelled AS (SELECT e.case_id, SEQUENCE(s.activity ORDER BY e.n) AS variant
                 FROM ev e JOIN steps s USING (step)
                 WHERE e.case_id IN (SELECT example FROM top) GROUP BY e.case_id)
SELECT spelled.variant, top.cases, top.case_ms, top.handoffs, top.chimney_cases,
       top.ping_pong_cases
FROM top JOIN spelled ON top.example = spelled.case_id
ORDER BY top.cases DESC, spelled.variant LIMIT {variants}""",
    "variant_count": """
-- How many distinct variants the log has.
SELECT count(DISTINCT variant) AS variants FROM cases""",
    "activities": f"""
-- Each step: how often it was done, in how many cases, and by which role how often.
SELECT s.activity, r.role_key, a.events, CAST(a.events - coalesce(d.again, 0) AS BIGINT) AS cases
FROM (SELECT step, role, count(*) AS events FROM ev WHERE NOT is_start GROUP BY step, role) a
LEFT JOIN ({again("role", "NOT is_start")}) d ON a.step = d.step AND coalesce(a.role, -1) = coalesce(d.role, -1)
JOIN steps s ON a.step = s.step LEFT JOIN roles r ON a.role = r.role
ORDER BY s.activity, r.role_key""",
    "follows": """
-- Directly-follows: how often each step came straight after another, and the median time
-- between them ('' as the source: the case started with it; '' as the target: it ended).
SELECT coalesce(p.activity, '') AS source, s.activity AS target, f.times, f.median_ms
FROM (SELECT step_prev, step, count(*) AS times, median(ts - step_prev_ts) AS median_ms
      FROM ev WHERE NOT is_start GROUP BY step_prev, step) f
JOIN steps s ON f.step = s.step LEFT JOIN steps p ON f.step_prev = p.step
UNION ALL
SELECT s.activity AS source, '' AS target, l.times, CAST(NULL AS DOUBLE) AS median_ms
FROM (SELECT step, count(*) AS times FROM ev WHERE last_step GROUP BY step) l
JOIN steps s USING (step)
ORDER BY source, target""",
}
