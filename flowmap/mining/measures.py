"""The measures, each one named SQL query over the canonical log, shared by DuckDB and Spark.

The SQL is the subset both engines read alike (window functions, ``USING`` joins, ``median``,
``min_by``/``max_by``); what they spell differently is written in one spelling and translated
by the engine (:mod:`flowmap.mining.engines`):

* ``PREV(x)``, ``NEXT(x)``: x of the event before and after in the same case (Spark: a window
  over the case; DuckDB: the row before and after in the file, which is stored in case order,
  so no sort is needed);
* ``SEQUENCE(x ORDER BY n)``: the ordered sequence of a case's steps, as text;
* ``VARIANT_KEY(step, n)``: a number that is the same for two cases exactly when their
  sequences of steps are (a sum of hashes of each step with its position);
* ``LAST_KNOWN(x)``: the last value of a window that is not null;
* ``BIT_SET_SIZE(x)``: how many distinct values a number ``x >= 0`` takes modulo 63 in a group
  (a bit set in a 64-bit integer): fewer than the group's rows means a value may repeat.

Timestamps are integers (milliseconds, UTC), so durations are exact and both engines give the
same numbers.

Speed: the events are ordered once, when the log is cached (:mod:`flowmap.loaders.logs`), and
named by integers (``act``, ``actor``). The table ``ev`` (:func:`event_table`) carries, beside
each event, what the measures need of the events around it; every other table and measure
reads it with filters and groupings on integers, and joins the names (of steps, roles,
functions) only to the few rows of its result. Three smaller sets are ordered once more: the
events of steps that appear twice in a case (rework, work time), the handoffs of the cases that
may hold a chimney (their climbs), and the handoffs across functions (ping-pong).

Tables the engine provides before the queries run (:func:`flowmap.mining.mine` fills them):

* ``log``: the canonical log (see :mod:`flowmap.loaders.logs`); from ``ev`` on, ``case_id``
  is the log's case number (``case_no``), which is faster to order and group by;
* ``acts(act, step, is_start)``: each activity/lifecycle pair of the log, the step it is
  (the activity, with the log's own sub-status when that is not an XES lifecycle transition)
  and whether it starts work; ``steps(step, activity)``: the steps' names;
* ``actors(actor, res, role, func, level, service)``: each resource/role/group triple of the
  log, its resource (``res``: one number per resource name), and the role it maps to
  (``flowmap.mining.actors``; null when unmapped, 0 for the customer) with that role's
  function, level, and whether the function is customer service;
* ``roles(role, role_key)``, ``functions(func, function)``: their names (functions numbered in
  the order of their names, so the least number is the first name);
* ``pair_kinds(from_role, to_role, kind, from_level, to_level, cross_function)``: the kind of
  handoff between two roles, computed by ``flowmap.graph`` (one definition of the kinds);
* ``failures(step)``: steps whose name says something failed.

Each entry of :data:`TABLES` is materialised in order; :data:`PAIRS` is asked between
``cases`` and ``handoffs`` (to fill ``pair_kinds``). :data:`MEASURES` are the results.
"""

from __future__ import annotations

from flowmap.model import Role

# XES lifecycle transitions (the standard's model). A log whose lifecycle column holds other
# words (BPI Challenge 2013's sub-statuses) has them appended to the activity: they are steps.
STANDARD_TRANSITIONS = (
    "schedule",
    "assign",
    "withdraw",
    "reassign",
    "start",
    "suspend",
    "resume",
    "pi_abort",
    "ate_abort",
    "complete",
    "autoskip",
    "manualskip",
    "unknown",
)
CUSTOMER_ROLE = 0  # the number of the customer's role in ``roles``


def step_name(activity: str, lifecycle: str | None) -> str:
    """The step an event is: its activity, with the log's own sub-status appended when the
    lifecycle is not one of the XES transitions."""
    if lifecycle is None or lifecycle.lower() in STANDARD_TRANSITIONS:
        return activity
    return f"{activity} / {lifecycle}"


# The one ordering of a case's events (its position n, by time, then by where they were
# written in the log: numbered when the log was cached).
_CASE = "PARTITION BY case_id ORDER BY n"
_BEFORE = f"({_CASE} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
_AFTER = f"({_CASE} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)"
_STEP = "PARTITION BY case_id, step ORDER BY n"
_STEP_BEFORE = f"({_STEP} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"


def event_table(has_starts: bool = True, all_mapped: bool = False) -> str:
    """The ordered event table ``ev``, computed once: every measure reads it without ordering
    the log again. Each event (``case_id``, position ``n``, ``ts``) with its step and whether it
    starts work, its resource (``res``), the role that did it (``role``, ``func``, ``level``,
    ``service``, through the organisation), and what the measures need of the events around it
    in the same case:

    * ``prev_ts``, ``next_ts``: the event before and after it (waiting; time in a state);
    * ``prev_role``, ``prev_func``, ``prev_role_ts``: the last event before it done by a
      known role (the work moves from there: unmapped events are stepped over, not counted as
      handoffs);
    * ``step_prev``, ``step_prev_ts``, ``last_step``: the piece of work (completion, or event
      without lifecycle) before it, and whether it is the case's last (directly-follows).

    ``has_starts`` (the log has start events) and ``all_mapped`` (every event maps to a role)
    only choose cheaper SQL for the same columns: without start events the last piece of work
    is the event before; when every event is mapped, the last mapped event is the event before.
    Then every neighbour is found by ``PREV``/``NEXT`` on the log as stored, without a sort.
    """
    columns = [
        "w.case_id, w.n, w.ts, s.step, s.is_start, a.res, a.role, a.func, a.level",
        "coalesce(a.service, false) AS service, w.prev_ts, w.next_ts",
    ]
    joins = ["JOIN acts s ON w.act = s.act", "LEFT JOIN actors a ON w.actor = a.actor"]
    windows = []
    if all_mapped:
        columns.append("p.role AS prev_role, p.func AS prev_func, w.prev_ts AS prev_role_ts")
        joins.append("LEFT JOIN actors p ON w.prev_actor = p.actor")
    else:
        windows.append(f"""LAST_KNOWN(role) OVER {_BEFORE} AS prev_role,
       nullif(LAST_KNOWN(CASE WHEN role IS NOT NULL THEN coalesce(func, -1) END)
              OVER {_BEFORE}, -1) AS prev_func,
       LAST_KNOWN(CASE WHEN role IS NOT NULL THEN ts END) OVER {_BEFORE} AS prev_role_ts""")
    if has_starts:
        windows.append(f"""LAST_KNOWN(CASE WHEN NOT is_start THEN step END) OVER {_BEFORE}
           AS step_prev,
       LAST_KNOWN(CASE WHEN NOT is_start THEN ts END) OVER {_BEFORE} AS step_prev_ts,
       NOT is_start AND COUNT(CASE WHEN NOT is_start THEN 1 END) OVER {_AFTER} = 0
           AS last_step""")
    else:
        columns.append(
            "ps.step AS step_prev, w.prev_ts AS step_prev_ts, w.next_ts IS NULL AS last_step"
        )
        joins.append("LEFT JOIN acts ps ON w.prev_act = ps.act")
    select = ",\n       ".join(["*", *windows])
    return f"""
-- The ordered event table (see flowmap.mining.measures.event_table).
WITH w AS (SELECT case_no AS case_id, n, ts, act, actor, PREV(ts) AS prev_ts,
                  NEXT(ts) AS next_ts, PREV(act) AS prev_act, PREV(actor) AS prev_actor
           FROM log),
     e AS (SELECT {", ".join(columns)}
           FROM w {" ".join(joins)})
SELECT {select}
FROM e
"""


# The levels a role may have (flowmap.model.Role): a climb or a descent passes at most
# MAX_CLIMB of them.
_LEVELS = tuple(
    getattr(bound, name)
    for bound, name in zip(Role.model_fields["level"].metadata, ("ge", "le"), strict=True)
)
MAX_CLIMB = _LEVELS[1] - _LEVELS[0]


def _around() -> str:
    """Whether each of the MAX_CLIMB handoffs before went up and each after went down."""
    return ", ".join(
        [f"LAG(up, {k}) OVER c AS up_before_{k}" for k in range(1, MAX_CLIMB + 1)]
        + [f"LEAD(down, {k}) OVER c AS down_after_{k}" for k in range(1, MAX_CLIMB + 1)]
    )


def _run(flag: str, side: str) -> str:
    """How many handoffs straight ``side`` (before, after) this one went ``flag`` (up, down)."""
    whens = " ".join(
        f"WHEN NOT coalesce({flag}_{side}_{k}, false) THEN {k - 1}" for k in range(1, MAX_CLIMB + 1)
    )
    return f"CASE {whens} ELSE {MAX_CLIMB} END"


# Tables made from ``ev``, in order (``ev`` itself is :func:`event_table`).
TABLES: list[tuple[str, str]] = [
    (
        "cases",
        """
-- One row per case, from one grouping of its events: how many, when it started and ended and
-- how long it took; its variant (a number standing for the sequence of its steps, the same
-- for the same sequence; spelled only for the variants shown); the level of the first role
-- that worked on it and the highest it reached; whether its last known role (not the
-- customer's) belongs to customer service, and service's first event (position, time);
-- whether a step may appear twice in it (fewer distinct steps, counted modulo 63, than
-- events: true for every case with a step done twice, and for a few others).
SELECT case_id, count(*) AS events, min(ts) AS start_ts, max(ts) AS end_ts,
       max(ts) - min(ts) AS duration_ms, VARIANT_KEY(step, n) AS variant,
       min_by(level, n) FILTER (WHERE level IS NOT NULL) AS first_level,
       max(level) AS highest,
       max_by(service, n) FILTER (WHERE role IS NOT NULL AND role <> {customer}) AS last_service,
       min(CASE WHEN service THEN n END) AS service_n,
       min(CASE WHEN service THEN ts END) AS service_ts,
       BIT_SET_SIZE(step) < count(*) AS may_repeat
FROM ev GROUP BY case_id
""",
    ),
    (
        "handoffs",
        """
-- Handoffs: the work passes from one role to another (kinds as in flowmap.graph:
-- horizontal, vertical, diagonal, customer); gap_ms is the time between the two events.
SELECT e.case_id, e.n, e.ts, e.ts - e.prev_role_ts AS gap_ms, e.prev_role AS from_role,
       e.role AS to_role, e.prev_func AS from_func, e.func AS to_func,
       k.kind, k.from_level, k.to_level, k.cross_function
FROM ev e JOIN pair_kinds k ON e.prev_role = k.from_role AND e.role = k.to_role
WHERE k.kind NOT IN ('none', 'unknown')
""",
    ),
    (
        "climbs",
        f"""
-- The handoffs of the cases where a chimney can be (a handoff across functions and one up or
-- down a chain of command), numbered h in order, each with how many handoffs straight before
-- it climbed its chain of command (same function, level up) and how many straight after it
-- descended one (same function, level down). A crossing with a climb or a descent is a
-- chimney. Each handoff starts from the role the one before it ended at, so a climb goes up
-- a level at each handoff and is at most {MAX_CLIMB} long (levels {_LEVELS[0]} to {_LEVELS[1]}): the
-- handoffs that many before and after tell it, in the one ordering that numbers them.
WITH maybe AS (SELECT case_id FROM handoffs GROUP BY case_id
               HAVING max(CASE WHEN cross_function THEN 1 ELSE 0 END) = 1
                  AND max(CASE WHEN kind = 'vertical' THEN 1 ELSE 0 END) = 1),
     marked AS (
  SELECT h.*, (h.kind = 'vertical' AND h.to_level > h.from_level) AS up,
         (h.kind = 'vertical' AND h.to_level < h.from_level) AS down
  FROM handoffs h JOIN maybe USING (case_id)),
     around AS (
  SELECT *, ROW_NUMBER() OVER c AS h, {_around()}
  FROM marked WINDOW c AS (PARTITION BY case_id ORDER BY n))
SELECT case_id, n, ts, gap_ms, from_role, to_role, from_func, to_func, kind, from_level,
       to_level, cross_function, h, {_run("up", "before")} AS climb,
       {_run("down", "after")} AS descent
FROM around
""",
    ),
    (
        "chimneys",
        """
-- Chimneys: work crossing from one function to another at the top of a climb up one chain of
-- command and/or followed by a descent down the other, instead of between the doers. Levels
-- are those where the climb started, where it crossed, and where the descent ended; gap_ms is
-- the time from the start of the climb to the end of the descent.
WITH c AS (
  SELECT c.case_id, c.n, c.from_func, c.to_func, c.climb, c.descent,
         c.climb + c.descent AS extra_hops,
         coalesce(s.from_level, c.from_level) AS start_level, c.from_level AS cross_from_level,
         c.to_level AS cross_to_level, coalesce(d.to_level, c.to_level) AS end_level,
         coalesce(d.ts, c.ts) - coalesce(s.ts - s.gap_ms, c.ts - c.gap_ms) AS gap_ms,
         coalesce(s.from_role, c.from_role) AS start_role, c.from_role AS cross_from_role,
         c.to_role AS cross_to_role, coalesce(d.to_role, c.to_role) AS end_role
  FROM climbs c
  LEFT JOIN climbs s ON s.case_id = c.case_id AND s.h = c.h - c.climb AND c.climb > 0
  LEFT JOIN climbs d ON d.case_id = c.case_id AND d.h = c.h + c.descent AND c.descent > 0
  WHERE c.cross_function AND c.climb + c.descent >= 1)
SELECT c.case_id, c.n, ff.function AS from_function, tf.function AS to_function, c.climb,
       c.descent, c.extra_hops, c.start_level, c.cross_from_level, c.cross_to_level,
       c.end_level, c.gap_ms, sr.role_key AS start_role, fr.role_key AS cross_from_role,
       tr.role_key AS cross_to_role, er.role_key AS end_role
FROM c LEFT JOIN functions ff ON c.from_func = ff.func
LEFT JOIN functions tf ON c.to_func = tf.func
LEFT JOIN roles sr ON c.start_role = sr.role LEFT JOIN roles fr ON c.cross_from_role = fr.role
LEFT JOIN roles tr ON c.cross_to_role = tr.role LEFT JOIN roles er ON c.end_role = er.role
""",
    ),
    (
        "ping_pongs",
        """
-- Ping-pong: the work comes back to the function it just left (A -> B -> A, the same
-- definition as the model metric); the pair of functions is named in alphabetical order and
-- gap_ms is the time the return took.
SELECT t.case_id, t.n, least(f.function, g.function) AS function_a,
       greatest(f.function, g.function) AS function_b, t.gap_ms
FROM (SELECT *, LAG(from_func) OVER (PARTITION BY case_id ORDER BY n) AS before_func
      FROM handoffs WHERE cross_function) t
LEFT JOIN functions f ON t.from_func = f.func LEFT JOIN functions g ON t.to_func = g.func
WHERE t.to_func = t.before_func
""",
    ),
    (
        "repeats",
        f"""
-- The events of steps that appear more than once in a case (a start and its completion, or a
-- step done again), ordered per case and step: for each, the last time the same step was
-- done before it (start events not counted), whether by the same resource and whether by
-- another role (rework), and for a completion straight after its step's start, the work time.
-- (Only these events need ordering by step: the others are done once. Only the cases that
-- may repeat a step are grouped by step to find them.) They also tell how many of a step's
-- events, per role or function, fall in a case that had one already (the distinct cases).
WITH twice AS (SELECT e.case_id, e.step FROM ev e JOIN cases c USING (case_id)
               WHERE c.may_repeat GROUP BY e.case_id, e.step HAVING count(*) > 1)
SELECT case_id, n, step, ts, is_start, role, func, next_ts,
       CASE WHEN NOT is_start THEN
            LAST_KNOWN(CASE WHEN NOT is_start THEN ts END) OVER {_STEP_BEFORE} END AS again_ts,
       res = LAST_KNOWN(CASE WHEN NOT is_start THEN res END) OVER {_STEP_BEFORE} AS again_same,
       role <> LAST_KNOWN(CASE WHEN NOT is_start THEN role END)
                OVER {_STEP_BEFORE} AS again_elsewhere,
       CASE WHEN NOT is_start AND LAG(is_start) OVER ({_STEP})
            THEN ts - LAG(ts) OVER ({_STEP}) END AS work_ms
FROM ev JOIN twice USING (case_id, step)
""",
    ),
    (
        "rework",
        """
-- Rework: a step done again in the same case, by the same resource (repeat) or by another
-- of the same role (redo); start events are not counted (a start and its completion are one
-- piece of work). The same step done next by someone of another role (another team, another
-- org line) is the work moving on after a transfer (kind 'handover': a support team taking
-- the incident over sets it 'In Progress' again), not rework. When the role of either is not
-- known, another resource is a redo. gap_ms is the time since the step was last done.
SELECT r.case_id, r.n, s.activity, r.ts - r.again_ts AS gap_ms,
       CASE WHEN r.again_same THEN 'repeat' WHEN r.again_elsewhere THEN 'handover'
            ELSE 'redo' END AS kind
FROM repeats r JOIN steps s USING (step) WHERE r.again_ts IS NOT NULL
""",
    ),
]

# The pairs of roles the work passes between: their kinds come from flowmap.graph.
PAIRS = """
SELECT DISTINCT prev_role, role FROM ev
WHERE role IS NOT NULL AND prev_role IS NOT NULL AND prev_role <> role
"""


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
    "chimneys_by_pair": summary("chimneys", ("from_function", "to_function")),
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
WITH h AS (SELECT case_id, count(*) AS handoffs FROM handoffs WHERE kind <> 'customer'
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
