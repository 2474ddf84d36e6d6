"""Safe, fast YAML reading that remembers where every value came from.

PyYAML's C parser (libyaml) produces events; this module builds plain dicts and lists from them
with its own loop, so that:

* every mapping and list remembers the line and column of each entry (for error messages);
* duplicate keys are reported instead of silently overwritten;
* hostile input is refused: alias bombs (an expansion budget), deep nesting (a depth limit, where
  PyYAML's recursive composer would crash the interpreter), unknown tags, binary junk and files
  beyond a size limit.

Only this module and the loaders read YAML text.
"""

from __future__ import annotations

from typing import Any

from flowmap.loaders.yamlsrc.scalars import PLAIN_CONSTANTS, TAG_PREFIX, plain_scalar, tagged_scalar
from flowmap.loaders.yamlsrc.text import DEFAULT_MAX_BYTES, check_text
from flowmap.loaders.yamlsrc.values import Pos, YamlError, YamlProblem, YList, YMap

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_DEPTH",
    "Pos",
    "YList",
    "YMap",
    "YamlError",
    "YamlProblem",
    "check_text",
    "parse",
    "plain_scalar",
    "position",
]

MAX_DEPTH = 64


class _NeedsFullParse(Exception):
    """Raised in light mode when a problem needs positions the light mode did not keep."""


def parse(
    text: str, *, alias_budget: int | None = None, full: bool = True
) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document into YMap/YList/scalars, with non-fatal problems.

    ``full=False`` keeps positions of mappings and list items only (what a valid file needs);
    when it meets a problem it starts again in full mode, so problems always have exact
    positions. Raises :class:`YamlError` for syntax errors and hostile input.
    """
    if not full:
        try:
            return _parse(text, alias_budget, full=False)
        except _NeedsFullParse:
            pass
    return _parse(text, alias_budget, full=True)


def _parse(text: str, alias_budget: int | None, full: bool) -> tuple[Any, list[YamlProblem]]:
    import yaml  # lazy: keep `flowmap --version` fast

    loader_class = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    problems: list[YamlProblem] = []
    budget = alias_budget if alias_budget is not None else len(text) + 10_000
    anchors: dict[str, Any] = {}
    # Each frame: [container, is_list, pending_key, pending_key_pos, anchor]
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    nodes = 0
    missing = _MISSING

    ScalarEvent = yaml.ScalarEvent
    MappingStartEvent, MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
    SequenceStartEvent, SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    AliasEvent, DocumentStartEvent = yaml.AliasEvent, yaml.DocumentStartEvent
    plain_constants = PLAIN_CONSTANTS
    numeric_start = frozenset("0123456789+-.")

    def attach(value: Any, pos: Pos | None) -> None:
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            return
        frame = stack[-1]
        container = frame[0]
        if frame[1]:
            container.append(value)
            container.item_pos.append(pos)
            return
        key = frame[2]
        if key is missing:
            if isinstance(value, YMap | YList):
                raise YamlError(
                    YamlProblem(*pos, "a mapping key must be a plain value", fatal=True)
                )
            frame[2], frame[3] = ("" if value is None else str(value)), pos
            return
        frame[2] = missing
        if key == "<<" and isinstance(value, YMap | YList):  # merge key
            if not full:
                raise _NeedsFullParse
            for merged in value if isinstance(value, YList) else [value]:
                if isinstance(merged, YMap):
                    for mkey, mval in merged.items():
                        if mkey not in container:
                            container[mkey] = mval
                            container.key_pos[mkey] = merged.key_pos[mkey]
                            container.value_pos[mkey] = merged.value_pos[mkey]
            return
        if key in container:
            if not full:
                raise _NeedsFullParse
            first = container.key_pos[key]
            problems.append(
                YamlProblem(
                    *frame[3],
                    f"duplicate key {key!r} (first at line {first[0]})",
                    "remove one of them: YAML keeps only the last, so the first would be lost",
                )
            )
        container[key] = value
        if full or len(stack) == 1:  # light mode keeps the top-level keys' positions too
            container.key_pos[key] = frame[3]
            container.value_pos[key] = pos

    loader = loader_class(text)
    try:
        documents = 0
        get_event = loader.get_event
        check_event = loader.check_event
        while check_event():
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                nodes += 1
                tag = event.tag
                raw = event.value
                if tag is not None and tag != "!":
                    mark = event.start_mark
                    value = tagged_scalar(tag, raw, (mark.line + 1, mark.column + 1))
                elif event.implicit[0]:
                    if raw:
                        value = plain_constants.get(raw, missing)
                        if value is missing:
                            value = plain_scalar(raw) if raw[0] in numeric_start else raw
                    else:
                        value = None
                else:
                    value = raw
                if event.anchor is not None:
                    anchors[event.anchor] = value
                if full or len(stack) <= 1 or stack[-1][1]:
                    mark = event.start_mark
                    attach(value, (mark.line + 1, mark.column + 1))
                else:
                    attach(value, None)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                nodes += 1
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if event.tag is not None and event.tag not in (
                    TAG_PREFIX + "map",
                    TAG_PREFIX + "seq",
                    "!",
                ):
                    tagged_scalar(event.tag, "", pos)
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(
                        YamlProblem(
                            *pos,
                            f"the document is nested deeper than {MAX_DEPTH} levels",
                            "flowmap files need only a few levels; check the indentation",
                            fatal=True,
                        )
                    )
                is_list = kind is SequenceStartEvent
                container = YList(pos) if is_list else YMap(pos)
                attach(container, pos)
                stack.append([container, is_list, missing, None, event.anchor])
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                if frame[4] is not None:
                    anchors[frame[4]] = frame[0]
            elif kind is AliasEvent:
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if event.anchor not in anchors:
                    raise YamlError(YamlProblem(*pos, f"unknown alias *{event.anchor}", fatal=True))
                value = anchors[event.anchor]
                nodes += _size(value, budget - nodes)
                if nodes > budget:
                    raise YamlError(
                        YamlProblem(
                            *pos,
                            "aliases expand this document far beyond its size (alias bomb?)",
                            "use fewer nested aliases; flowmap refuses documents that expand "
                            "exponentially",
                            fatal=True,
                        )
                    )
                attach(value, pos)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise YamlError(
                        YamlProblem(
                            mark.line + 1,
                            mark.column + 1,
                            "the file holds more than one YAML document",
                            "keep one process per file (remove the second '---')",
                            fatal=True,
                        )
                    )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{message} ({exc.context})"
        raise YamlError(
            YamlProblem(
                line,
                column,
                f"YAML syntax error: {message}",
                "check indentation, colons and quotes here",
                fatal=True,
            )
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        at = min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlError(
            YamlProblem(
                line,
                column,
                f"the character U+{ord(character):04X} (not printable) cannot appear in a YAML file",
                "remove it (in a quoted string, write it as an escape such as \\x07 if you mean it)",
                fatal=True,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(YamlProblem(1, 1, f"YAML error: {exc}", fatal=True)) from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose:
            dispose()
    return (root if have_root else None), problems


_MISSING = object()


def _size(value: Any, limit: int) -> int:
    """Number of nodes in an (aliased) value, counting shared parts each time; stops at limit."""
    if not isinstance(value, YMap | YList):
        return 1
    total = 1
    todo = [value]
    while todo and total <= limit:
        item = todo.pop()
        children = item.values() if isinstance(item, YMap) else item
        for child in children:
            total += 1
            if isinstance(child, YMap | YList):
                todo.append(child)
    return total


def position(data: Any, loc: tuple[Any, ...], *, key: bool = False) -> Pos:
    """The best known position for the path ``loc`` inside parsed data.

    Walks as deep as the data goes; for a missing key it answers with its parent mapping. With
    ``key=True`` the position of the last key itself (for unknown keys) is given.
    """
    best: Pos = getattr(data, "start", (1, 1))
    node = data
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, YMap) and part in node:
            child = node[part]
            found = node.key_pos.get(part) if (key and last) else node.value_pos.get(part)
            best = found or getattr(child, "start", None) or node.key_pos.get(part) or best
            node = child
        elif isinstance(node, YList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_pos[part] or best
            node = node[part]
        else:
            break
    return best
