"""Read ``*.flow.yaml`` process files (and the ``*.org.yaml`` files they reference).

Every problem of a file is reported in one run, each with file, line, column and a hint. A file
with errors raises :class:`~flowmap.errors.LoadError`; a good one gives a
:class:`~flowmap.model.Process` that remembers where each element was written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flowmap import files
from flowmap.errors import LoadError, Location, Problem
from flowmap.loaders import yamlsrc
from flowmap.loaders.validation import explain, in_order
from flowmap.loaders.yamlsrc import YamlError, YList, YMap

# ---------------------------------------------------------------------------------------------
# Reading text
# ---------------------------------------------------------------------------------------------


Texts = Mapping[str, str]  # absolute path -> text to read instead of the file (editor buffers)


def text_key(path: str | os.PathLike) -> str:
    """How a path is named in a :data:`Texts` mapping: absolute and normalised."""
    return os.path.normpath(os.path.abspath(path))


# Organisation files already parsed, for a caller that loads the same processes again and again
# (the language server): (path, full) -> (data, problems, text); reused while the text is the
# same. The loader never changes parsed organisation data, so sharing it is safe.
Parsed = dict[tuple[str, bool], tuple[Any, list[Problem], str]]


def read_yaml(
    path: Path,
    max_bytes: int = yamlsrc.DEFAULT_MAX_BYTES,
    full: bool = True,
    texts: Texts | None = None,
    parsed: Parsed | None = None,
) -> tuple[Any, list[Problem]]:
    """Parse a YAML file; fatal problems raise LoadError, the others are returned."""
    data, problems, _ = _read(path, max_bytes, full, texts, parsed)
    return data, problems


def _read(
    path: Path, max_bytes: int, full: bool, texts: Texts | None = None, parsed: Parsed | None = None
) -> tuple[Any, list[Problem], str]:
    """The parsed data, the non-fatal problems and the text of a YAML file (or of its unsaved
    text in ``texts``, checked the same way; or the same text parsed before, in ``parsed``)."""
    name = str(path)
    try:
        given = texts.get(text_key(path)) if texts else None
        raw = files.read_bounded(path, max_bytes) if given is None else given.encode("utf-8")
        text = yamlsrc.check_text(raw, max_bytes)
        before = parsed.get((name, full)) if parsed is not None else None
        if before is not None and before[2] == text:
            return before[0], list(before[1]), text
        data, found = yamlsrc.parse(text, full=full)
    except YamlError as exc:
        raise LoadError(name, [_problem(name, exc.problem, "yaml")]) from None
    except files.ReadRefused as exc:
        raise LoadError(name, [Problem(Location(name), exc.message, exc.hint, exc.code)]) from None
    problems = [_problem(name, p, "duplicate-key") for p in found]
    if parsed is not None:
        parsed[(name, full)] = (data, problems, text)
    return data, list(problems), text


def _problem(path: str, p: yamlsrc.YamlProblem, code: str) -> Problem:
    return Problem(Location(path, p.line, p.column), p.message, p.hint, code)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


class _Sources:
    """Where each part of the merged document came from (process file or org file)."""

    def __init__(self, path: str, data: Any):
        self.path, self.data = path, data
        self.org_path: str | None = None
        self.org_data: Any = None

    def locate(self, loc: tuple, key: bool = False) -> Location:
        if self.org_path and loc[:1] == ("organisation",):
            line, col = yamlsrc.position(self.org_data, loc, key=key)
            return Location(self.org_path, line, col)
        line, col = yamlsrc.position(self.data, loc, key=key)
        return Location(self.path, line, col)


class _Retry(Exception):
    """The fast pass found a problem: read again keeping every position, for exact messages."""


def load_process(
    path: str | os.PathLike,
    *,
    max_bytes: int = yamlsrc.DEFAULT_MAX_BYTES,
    texts: Texts | None = None,
    parsed: Parsed | None = None,
):
    """Read and check one process file. Raises LoadError listing every problem found.

    A first pass keeps only the positions a valid file needs (fast); when it finds a problem,
    the file is read again with every position kept, so each message is exact. ``texts`` gives
    the text of files (the process file, its organisation file) to read instead of the disk:
    what an editor holds unsaved (``flowmap lsp``); ``parsed`` keeps the organisation file
    parsed between calls (see :data:`Parsed`).
    """
    try:
        return _load(Path(path), max_bytes, full=False, texts=texts, parsed=parsed)
    except _Retry:
        return _load(Path(path), max_bytes, full=True, texts=texts, parsed=parsed)


def _load(
    path: Path, max_bytes: int, full: bool, texts: Texts | None = None, parsed: Parsed | None = None
):
    from pydantic import ValidationError

    from flowmap import integrity
    from flowmap.loaders import suppressions
    from flowmap.model import Process

    name = str(path)
    data, problems, text = _read(path, max_bytes, full, texts)
    if not isinstance(data, YMap):
        problems.append(
            Problem(
                Location(name, *getattr(data, "start", (1, 1))),
                "a process file is a mapping with process:, organisation:, steps: and flows:",
                "start from `flowmap init NAME`",
                "not-a-process",
            )
        )
        raise LoadError(name, problems)
    sources = _Sources(name, data)
    _resolve_organisation(path, data, sources, problems, max_bytes, full, texts, parsed)
    if problems and not full:
        raise _Retry

    process: Process | None = None
    try:
        process = Process.model_validate(data)
        index = None
    except ValidationError as exc:
        if not full:
            raise _Retry from None
        for error in exc.errors(include_url=False):
            loc, message, hint, code, key = explain(error, data)
            problems.append(
                Problem(
                    sources.locate(loc, key), message, hint, code, element=_element_id(data, loc)
                )
            )
        process, index = _partial(data)

    if process is not None:
        for issue in integrity.check(process):
            if not full:
                raise _Retry
            loc = _translate(issue.loc, index) if index else issue.loc
            problems.append(
                Problem(
                    sources.locate(loc, issue.key),
                    issue.message,
                    issue.hint,
                    issue.code,
                    issue.element,
                )
            )
    if any(p.severity == "error" for p in problems):
        raise LoadError(name, in_order(problems))
    process.with_source(name, _locations(process, sources))
    process._comments = tuple(suppressions.scan(text))  # `# flowmap: ignore[...]` comments
    return process


def _element_id(data: Any, loc: tuple) -> str:
    node = data
    found = ""
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def _resolve_organisation(
    path: Path,
    data: YMap,
    sources: _Sources,
    problems: list[Problem],
    max_bytes: int,
    full: bool = True,
    texts: Texts | None = None,
    parsed: Parsed | None = None,
) -> None:
    """Replace ``organisation: some.org.yaml`` with the organisation that file holds."""
    ref = data.get("organisation")
    if not isinstance(ref, str):
        return
    org_path = path.parent / ref
    where = sources.locate(("organisation",))
    if not org_path.is_file() and not (texts and text_key(org_path) in texts):
        problems.append(
            Problem(
                where,
                f"organisation file {ref!r} not found (looked for {org_path})",
                "write the path relative to this process file",
                "missing-file",
            )
        )
        data["organisation"] = YMap((where.line, where.column))
        return
    try:
        org_data, found = read_yaml(org_path, max_bytes, full, texts, parsed)
    except LoadError as exc:
        problems.extend(exc.problems)
        data["organisation"] = YMap((where.line, where.column))
        return
    problems.extend(found)
    if not isinstance(org_data, YMap) or not isinstance(org_data.get("organisation"), YMap):
        problems.append(
            Problem(
                Location(str(org_path), 1, 1),
                "an organisation file is a mapping with an organisation: key",
                "see docs/format.md",
                "not-an-organisation",
            )
        )
        data["organisation"] = YMap((where.line, where.column))
        return
    for key in org_data:
        if key not in ("flowmap", "organisation", "lanes"):
            line, col = org_data.key_pos[key]
            problems.append(
                Problem(
                    Location(str(org_path), line, col),
                    f"unknown key {key!r} in organisation file",
                    "allowed keys: flowmap, organisation, lanes",
                    "unknown-key",
                )
            )
    sources.org_path, sources.org_data = str(org_path), org_data
    data["organisation"] = org_data["organisation"]


def _partial(data: YMap):
    """Build what can be built of an invalid document, so integrity checks can still run.

    Returns the partial process and, per list, the original index of each item kept.
    """
    from pydantic import ValidationError

    from flowmap.model import Flow, Function, Measure, Person, Process, Role, Step

    def keep(items: Any, model: type, placeholder) -> tuple[list, list[int]]:
        """Valid items, plus a placeholder for each invalid one that still has an id."""
        kept, index = [], []
        if isinstance(items, list):
            for i, item in enumerate(items):
                try:
                    kept.append(model.model_validate(item))
                except ValidationError:
                    try:
                        kept.append(placeholder(item))
                    except (ValidationError, TypeError, AttributeError, KeyError):
                        continue
                index.append(i)
        return kept, index

    def function_placeholder(item):
        roles = [r for r in (item.get("roles") or []) if isinstance(r, dict)]
        valid = []
        for role in roles:
            try:
                valid.append(Role.model_validate(role))
            except ValidationError:  # keep its place in the chain; its level is unknown
                reports_to = role.get("reports_to")
                valid.append(
                    Role.model_construct(
                        id=str(role["id"]),
                        name="",
                        level=None,
                        reports_to=reports_to if isinstance(reports_to, str) else None,
                    )
                )
        return Function(id=item["id"], roles=valid)

    org = data.get("organisation")
    functions, f_index = keep(
        org.get("functions") if isinstance(org, dict) else None, Function, function_placeholder
    )
    people, p_index = keep(
        org.get("people") if isinstance(org, dict) else None,
        Person,
        lambda item: Person(name=str(item["name"]), role=str(item["role"])),
    )
    steps, s_index = keep(data.get("steps"), Step, lambda item: Step(id=item["id"]))
    flows, fl_index = keep(
        data.get("flows"), Flow, lambda item: Flow(source=item["from"], target=item["to"])
    )
    measures, m_index = keep(
        data.get("measures"), Measure, lambda item: Measure(id=item["id"], kind="quality")
    )
    try:
        process = Process.model_validate(
            {
                "process": {"id": "partial"},
                "organisation": {"functions": functions, "people": people},
                "steps": steps,
                "flows": flows,
                "measures": measures,
            }
        )
    except ValidationError:  # pragma: no cover - the parts are valid by construction
        return None, None
    # Items that failed validation are kept as placeholders (their id alone), so that references
    # to them are not reported as missing on top of their own errors.
    return process, {
        "steps": s_index,
        "flows": fl_index,
        "measures": m_index,
        "functions": f_index,
        "people": p_index,
    }


def _translate(loc: tuple, index: dict) -> tuple | None:
    section = loc[0] if loc else None
    if section in ("steps", "flows", "measures") and len(loc) > 1 and isinstance(loc[1], int):
        return (section, index[section][loc[1]]) + loc[2:]
    if loc[:2] in (("organisation", "functions"), ("organisation", "people")) and len(loc) > 2:
        return loc[:2] + (index[loc[1]][loc[2]],) + loc[3:]
    return loc


def _locations(process, sources: _Sources) -> dict[str, Location]:
    """Where each element was written (list items' positions, read straight off the data)."""
    locs = {"process": sources.locate(("process",))}

    def items(data, key, path):
        section = data.get(key) if isinstance(data, dict) else None
        return section.item_pos if isinstance(section, YList) else []

    name = sources.path
    # A section that is not a YAML list has no item positions: its elements get none.
    for step, (line, col) in zip(process.steps, items(sources.data, "steps", name), strict=False):
        locs[f"step:{step.id}"] = Location(name, line, col)
    for flow, (line, col) in zip(process.flows, items(sources.data, "flows", name), strict=False):
        locs[f"flow:{flow.id}"] = Location(name, line, col)
    for measure, (line, col) in zip(
        process.measures, items(sources.data, "measures", name), strict=False
    ):
        locs[f"measure:{measure.id}"] = Location(name, line, col)
    for i, function in enumerate(process.organisation.functions):
        locs[f"function:{function.id}"] = sources.locate(("organisation", "functions", i))
        for j, role in enumerate(function.roles):
            locs[f"role:{function.id}.{role.id}"] = sources.locate(
                ("organisation", "functions", i, "roles", j)
            )
    for i, person in enumerate(process.organisation.people):
        locs[f"person:{person.id or person.name}"] = sources.locate(("organisation", "people", i))
    return locs


def load_organisation(
    path: str | os.PathLike,
    *,
    max_bytes: int = yamlsrc.DEFAULT_MAX_BYTES,
    texts: Texts | None = None,
):
    """Read an ``*.org.yaml`` file (or the organisation of a ``*.flow.yaml`` file) on its own,
    e.g. to map the resources of an event log to roles. Raises LoadError with every problem.
    ``texts``: as for :func:`load_process`."""
    from pydantic import ValidationError

    from flowmap.model import OrganisationFile

    path = Path(path)
    name = str(path)
    if not path.name.lower().endswith((".org.yaml", ".org.yml")):
        return load_process(path, max_bytes=max_bytes, texts=texts).organisation
    data, problems = read_yaml(path, max_bytes, texts=texts)
    if not isinstance(data, YMap) or not isinstance(data.get("organisation"), YMap):
        raise LoadError(
            name,
            [
                Problem(
                    Location(name, 1, 1),
                    "an organisation file is a mapping with an organisation: key",
                    "see docs/format.md",
                    "not-an-organisation",
                )
            ],
        )
    try:
        organisation = OrganisationFile.model_validate(data).organisation
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message, hint, code, key = explain(error, data)
            line, column = yamlsrc.position(data, loc, key=key)
            problems.append(Problem(Location(name, line, column), message, hint, code))
        raise LoadError(name, in_order(problems)) from None
    return organisation
