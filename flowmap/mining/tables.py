"""The tables every measure reads, made once per run from the canonical log: the ordered event
table ``ev`` and, from it, one row per case, the handoffs, the chimneys, the ping-pongs,
the repeated steps and the rework (SQL in the spelling of
:mod:`flowmap.mining.measures`, which reads them).

Speed: the events are ordered once, when the log is cached (:mod:`flowmap.loaders.logs`),
named by integers (``act``, ``actor``), each with the time, act and actor of its neighbours
in the case. The table ``ev`` (:func:`event_table`) carries, beside each event, what the
measures need of the events around it; every other table and measure reads it with filters
and groupings on integers, and joins the names (of steps, roles, functions) only to the few
rows of its result. The handoffs are stored in case order (``IN_CASE_ORDER``), so that the
chimneys and the ping-pongs read the handoffs around each one in one streaming pass
(``BEFORE``/``AFTER``), without ordering them again; the events of steps that appear twice in
a case (rework, work time) are ordered by case and step.

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
* ``roles(role, role_key, level)``, ``functions(func, function)``: their names (functions
  numbered in the order of their names, so the least number is the first name);
* ``pair_kinds(from_role, to_role, kind, dir, cross_function)``: the handoff between two roles,
  computed by ``flowmap.graph`` (one definition of the kinds), for the pairs that are one (not
  the same role, both known): its kind (numbered: :data:`HANDOFF_KINDS`), whether it goes up
  (``dir`` 1) or down (-1) a level in its function, whether it crosses functions;
  ``kinds(kind, name)``: the kinds' names;
* ``failures(step)``: steps whose name says something failed.

Each entry of :data:`TABLES` is materialised in order; :data:`PAIRS` is asked between
``cases`` and ``handoffs`` (to fill ``pair_kinds``).
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
# The kinds of handoff (flowmap.graph.HandoffKind) between two known roles, numbered in the
# order of their names: the tables carry the numbers, the measures order and name them.
HANDOFF_KINDS = ("customer", "diagonal", "horizontal", "vertical")


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
    Then every neighbour is read from the log's ``prev_``/``next_`` columns, without a sort.

    The table made is ``ev_rows``; ``ev`` is the view :func:`event_view` over it, which adds
    the columns that repeat others (then writing them would cost a third of the table's time).
    """
    columns = [
        "w.case_id, w.n, w.ts, s.step, a.res, a.role, a.func, a.level",
        "coalesce(a.service, false) AS service, w.prev_ts, w.next_ts",
    ]
    joins = ["JOIN acts s ON w.act = s.act", "LEFT JOIN actors a ON w.actor = a.actor"]
    windows = []
    if all_mapped:
        columns.append("p.role AS prev_role, p.func AS prev_func")
        joins.append("LEFT JOIN actors p ON w.prev_actor = p.actor")
    else:
        windows.append(f"""LAST_KNOWN(role) OVER {_BEFORE} AS prev_role,
       nullif(LAST_KNOWN(CASE WHEN role IS NOT NULL THEN coalesce(func, -1) END)
              OVER {_BEFORE}, -1) AS prev_func,
       LAST_KNOWN(CASE WHEN role IS NOT NULL THEN ts END) OVER {_BEFORE} AS prev_role_ts""")
    if has_starts:
        columns.append("s.is_start")
        windows.append(f"""LAST_KNOWN(CASE WHEN NOT is_start THEN step END) OVER {_BEFORE}
           AS step_prev,
       LAST_KNOWN(CASE WHEN NOT is_start THEN ts END) OVER {_BEFORE} AS step_prev_ts,
       NOT is_start AND COUNT(CASE WHEN NOT is_start THEN 1 END) OVER {_AFTER} = 0
           AS last_step""")
    else:
        columns.append("ps.step AS step_prev")
        joins.append("LEFT JOIN acts ps ON w.prev_act = ps.act")
    select = ",\n       ".join(["*", *windows])
    return f"""
-- The ordered event table (see flowmap.mining.tables.event_table).
WITH w AS (SELECT case_no AS case_id, n, ts, act, actor, prev_ts, next_ts, prev_act,
                  prev_actor FROM log),
     e AS (SELECT {", ".join(columns)}
           FROM w {" ".join(joins)})
SELECT {select}
FROM e
"""


def event_view(has_starts: bool = True, all_mapped: bool = False) -> str:
    """The view ``ev`` over ``ev_rows`` (:func:`event_table`): its columns, and those that
    repeat others when the log has no start events or every event is mapped."""
    same = []
    if all_mapped:
        same.append("prev_ts AS prev_role_ts")
    if not has_starts:
        same += ["false AS is_start", "prev_ts AS step_prev_ts", "next_ts IS NULL AS last_step"]
    return f"SELECT {', '.join(['*', *same])} FROM ev_rows"


# The levels a role may have (flowmap.model.Role): a climb or a descent passes at most
# MAX_CLIMB of them.
_LEVELS = tuple(
    getattr(bound, name)
    for bound, name in zip(Role.model_fields["level"].metadata, ("ge", "le"), strict=True)
)
MAX_CLIMB = _LEVELS[1] - _LEVELS[0]


def _run(flags: str, pick: str) -> str:
    """How many handoffs straight before (``BEFORE``) or after (``AFTER``) this one in its case
    went up (``flags`` = ``up``) or down (``down``): the first k that did not, less one."""
    whens = " ".join(
        f"WHEN NOT coalesce({pick}({flags}, {k}), false) THEN {k - 1}"
        for k in range(1, MAX_CLIMB + 1)
    )
    return f"CASE {whens} ELSE {MAX_CLIMB} END"


def _at(column: str, hops: str) -> str:
    """``column`` of the handoff ``hops`` (0 to MAX_CLIMB) before or after this one, from the
    columns ``column_1``... read beside it (its own value when ``hops`` is 0)."""
    whens = " ".join(f"WHEN {k} THEN {column}_{k}" for k in range(1, MAX_CLIMB + 1))
    return f"CASE {hops} {whens} ELSE {column} END"


def _around(pick: str, columns: tuple[str, ...]) -> str:
    """Each of ``columns`` of the MAX_CLIMB handoffs before (``BEFORE``) or after (``AFTER``)."""
    return ", ".join(
        f"{pick}({c}, {k}) AS {c}_{k}" for c in columns for k in range(1, MAX_CLIMB + 1)
    )


def _chimneys() -> str:
    return f"""
-- Chimneys: work crossing from one function to another at the top of a climb up one chain of
-- command and/or followed by a descent down the other, instead of between the doers. A climb
-- is the handoffs straight before the crossing that went up a level in their function; a
-- descent, those straight after it that went down. Each handoff starts from the role the one
-- before it ended at, so a climb goes up a level at each handoff and is at most {MAX_CLIMB}
-- long (levels {_LEVELS[0]} to {_LEVELS[1]}): the {MAX_CLIMB} handoffs before and after each
-- one tell it, read in one pass over the handoffs in case order. Levels are those of the roles
-- where the climb started, where it crossed, and where the descent ended; gap_ms is the time
-- from the start of the climb to the end of the descent. Functions and roles are numbers
-- here: the measures name them in their few rows.
WITH marked AS (
  SELECT case_id, n, ts, ts - gap_ms AS from_ts, from_role, to_role, from_func, to_func,
         cross_function, dir > 0 AS up, dir < 0 AS down
  FROM handoffs),
     around AS (
  SELECT *, {_run("up", "BEFORE")} AS climb, {_run("down", "AFTER")} AS descent,
         {_around("BEFORE", ("from_role", "from_ts"))}, {_around("AFTER", ("to_role", "ts"))}
  FROM marked),
     c AS (
  SELECT case_id, n, from_func, to_func, climb, descent, climb + descent AS extra_hops,
         {_at("ts", "descent")} - {_at("from_ts", "climb")} AS gap_ms,
         {_at("from_role", "climb")} AS start_role,
         from_role AS cross_from_role, to_role AS cross_to_role,
         {_at("to_role", "descent")} AS end_role
  FROM around WHERE cross_function AND climb + descent >= 1)
SELECT c.case_id, c.n, c.from_func, c.to_func, c.climb, c.descent, c.extra_hops,
       sr.level AS start_level, fr.level AS cross_from_level, tr.level AS cross_to_level,
       er.level AS end_level, c.gap_ms, c.start_role, c.cross_from_role, c.cross_to_role,
       c.end_role
FROM c LEFT JOIN roles sr ON c.start_role = sr.role LEFT JOIN roles fr ON c.cross_from_role = fr.role
LEFT JOIN roles tr ON c.cross_to_role = tr.role LEFT JOIN roles er ON c.end_role = er.role
"""


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
-- events: true for every case with a step done twice, and for a few others). The first
-- level and the last role's service are read with the position n packed beside them in one
-- number ({levels} exceeds every level): a minimum or maximum of it costs less than min_by.
SELECT case_id, count(*) AS events, min(ts) AS start_ts, max(ts) AS end_ts,
       max(ts) - min(ts) AS duration_ms, VARIANT_KEY(step, n) AS variant,
       min(n * {levels} + level) % {levels} AS first_level, max(level) AS highest,
       max(CASE WHEN role <> {customer} THEN n * 2 + CAST(service AS INTEGER) END) % 2 = 1
           AS last_service,
       min(CASE WHEN service THEN n END) AS service_n,
       min(CASE WHEN service THEN ts END) AS service_ts,
       BIT_SET_SIZE(step) < count(*) AS may_repeat
FROM ev GROUP BY case_id
""".replace("{levels}", str(_LEVELS[1] + 1)),
    ),
    (
        "handoffs",
        """
-- Handoffs: the work passes from one role to another (kinds as in flowmap.graph:
-- horizontal, vertical, diagonal, customer; numbered, see HANDOFF_KINDS); dir is 1 when it
-- goes up a level in its function, -1 down; gap_ms is the time between the two events.
SELECT e.case_id, e.n, e.ts, e.ts - e.prev_role_ts AS gap_ms, e.prev_role AS from_role,
       e.role AS to_role, e.prev_func AS from_func, e.func AS to_func,
       k.kind, k.dir, k.cross_function
FROM ev e JOIN pair_kinds k ON e.prev_role = k.from_role AND e.role = k.to_role IN_CASE_ORDER
""",
    ),
    ("chimneys", _chimneys()),
    (
        "ping_pongs",
        """
-- Ping-pong: the work comes back to the function it just left (A -> B -> A, the same
-- definition as the model metric); the pair of functions in alphabetical order (func_a,
-- func_b: functions are numbered in the order of their names), and gap_ms is the time the
-- return took.
SELECT t.case_id, t.n, least(t.from_func, t.to_func) AS func_a,
       greatest(t.from_func, t.to_func) AS func_b, t.gap_ms
FROM (SELECT *, BEFORE(from_func, 1) AS before_func FROM handoffs WHERE cross_function) t
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
