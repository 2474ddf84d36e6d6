"""Read an ``*.org.yaml`` file for imported models (``--org``, or ``org`` in the configuration).

An imported BPMN model names lanes, not the organisation behind them. The organisation file
states the functions, roles, levels and chains of command, and its ``lanes:`` table says which
lane (or pool) is whose::

    flowmap: 1
    organisation:
      functions:
        - id: personal
          roles:
            - {id: sachbearbeitung, level: 1, reports_to: leitung}
            - {id: leitung, name: Abteilungsleitung, level: 4}
    lanes:
      Sachbearbeitung: personal.sachbearbeitung   # a lane, by its name ...
      Lane_0x1: personal.leitung                  # ... or by its BPMN id
      Antragsteller: customer

A value is ``function.role``, a whole ``function`` (its nested lanes are matched to its roles by
name, other steps go to its front-line role) or ``customer``. Lanes the table does not name are
matched by name to a role (or function) of the organisation whose name or id is the lane's name,
folded for case and accents, when exactly one has it. What the file does not cover is read from
the model as before (:mod:`flowmap.loaders.bpmn.organisation`). An ``*.org.yaml`` written by
``flowmap org import`` is such a file (without ``lanes:``, its role names are matched).

Errors name the organisation file's line and column; the file is read once per run.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from flowmap.errors import LoadError, Location, Problem
from flowmap.loaders import yamlsrc
from flowmap.loaders.yamlsrc import YMap
from flowmap.model import CUSTOMER, Organisation

__all__ = ["LaneEntry", "OrgFile", "load_org_file"]


@dataclass(frozen=True)
class LaneEntry:
    """One row of the ``lanes:`` table."""

    key: str  # the lane or pool: its id or its name, as written
    function: str  # '' for the customer
    role: str  # '' when the lane is the whole function (or the customer)
    location: Location  # the row in the organisation file

    @property
    def owner(self) -> str:
        if not self.function:
            return CUSTOMER
        return f"{self.function}.{self.role}" if self.role else self.function


@dataclass(frozen=True)
class OrgFile:
    """An organisation file: the organisation, the lane table, where each part was written."""

    path: str
    organisation: Organisation
    lanes: tuple[LaneEntry, ...] = ()
    locations: tuple[tuple[str, Location], ...] = ()  # "function:id", "role:f.r" -> place

    def locate(self, key: str) -> Location:
        return dict(self.locations).get(key, Location(self.path))


_CACHE: dict[tuple[str, int, int, int], OrgFile] = {}


def load_org_file(
    path: str | os.PathLike, *, max_bytes: int = yamlsrc.DEFAULT_MAX_BYTES, texts=None
) -> OrgFile:
    """Read and check an organisation file (kept for the run: a folder of models reads it
    once). Raises :class:`~flowmap.errors.LoadError` naming every problem's line. ``texts``:
    unsaved text to read instead of the file (see :func:`flowmap.loaders.flow_yaml.load_process`);
    what is read from it is not kept."""
    path = Path(path)
    if texts:
        from flowmap.loaders.flow_yaml import text_key

        if text_key(path) in texts:
            return _load(path, max_bytes, texts)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, max_bytes)
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    found = _load(path, max_bytes)
    if key is not None:
        _CACHE.clear()  # one organisation per run: keep the last
        _CACHE[key] = found
    return found


def _load(path: Path, max_bytes: int, texts=None) -> OrgFile:
    from pydantic import ValidationError

    from flowmap import integrity
    from flowmap.loaders.flow_yaml import read_yaml
    from flowmap.loaders.validation import explain, in_order
    from flowmap.model import OrganisationFile, Process

    name = str(path)
    if not path.name.lower().endswith((".org.yaml", ".org.yml")):
        raise LoadError(
            name,
            [
                Problem(
                    Location(name),
                    "an organisation file is named *.org.yaml",
                    "e.g. company.org.yaml (see docs/org-import.md)",
                    "not-an-organisation",
                )
            ],
        )
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

    def where(loc: tuple, key: bool = False) -> Location:
        line, column = yamlsrc.position(data, loc, key=key)
        return Location(name, line, column)

    try:
        parsed = OrganisationFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message, hint, code, key = explain(dict(error), data)
            problems.append(Problem(where(loc, key), message, hint, code))
        raise LoadError(name, in_order(problems)) from None
    organisation = parsed.organisation
    shell = Process.model_validate(
        {"process": {"id": "organisation"}, "organisation": organisation}
    )
    for issue in integrity.check(shell):
        problems.append(
            Problem(
                where(issue.loc, issue.key), issue.message, issue.hint, issue.code, issue.element
            )
        )
    lanes = []
    roles = {f"{f.id}.{r.id}" for f in organisation.functions for r in f.roles}
    functions = {f.id for f in organisation.functions}
    empty = {f.id for f in organisation.functions if not f.roles}
    for lane, target in parsed.lanes.items():
        at = where(("lanes", lane), key=True)
        target = target.strip()
        if target == CUSTOMER:
            lanes.append(LaneEntry(lane, "", "", at))
        elif target in roles or target in functions - empty:
            fid, _, rid = target.partition(".")
            lanes.append(LaneEntry(lane, fid, rid, at))
        elif target in empty:
            problems.append(
                Problem(
                    at,
                    f"lane {lane!r} is given to function {target!r}, which has no roles",
                    "give the lane a role of another function, or give the function roles",
                    "no-roles",
                )
            )
        else:
            close = difflib.get_close_matches(target, sorted(roles | functions), n=1)
            problems.append(
                Problem(
                    at,
                    f"lane {lane!r} is given to {target!r}, which is not a role or function of "
                    "this organisation",
                    f"did you mean {close[0]!r}?"
                    if close
                    else "write 'function.role', 'function' or 'customer'",
                    "unknown-reference",
                )
            )
    if any(p.severity == "error" for p in problems):
        raise LoadError(name, in_order(problems))
    locations = []
    for fi, function in enumerate(organisation.functions):
        locations.append((f"function:{function.id}", where(("organisation", "functions", fi))))
        for ri, role in enumerate(function.roles):
            locations.append(
                (
                    f"role:{function.id}.{role.id}",
                    where(("organisation", "functions", fi, "roles", ri)),
                )
            )
    return OrgFile(name, organisation, tuple(lanes), tuple(locations))
