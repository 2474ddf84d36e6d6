"""Models put together from data a loader wrote, without building pydantic's validators.

Building a model's validator is the largest single cost of a cold ``flowmap analyze`` of a small
BPMN file (the process's validator covers eleven models; pydantic also searches every installed
package for plugins the first time). The BPMN loader writes plain, already-checked data: strings,
whole numbers, lists. :func:`assemble` reads each model's own field declarations (type, bounds,
pattern, length, the field's before-validators, the model's before- and after-validators, the
configuration's stripping of strings) and builds the model with ``model_construct`` when every
value already is what validation would make of it.

It is deliberately narrow: anything it does not know how to check exactly (a type, a constraint
or a validator mode it was not written for, a value of another type, a value out of bounds) makes
it return None, and the caller validates as usual, with the usual error messages. A test holds it
equal to pydantic's validation on every corpus model.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import types
import typing
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

_REFUSED = object()  # a value this module will not vouch for: validate the whole instead
M = TypeVar("M", bound=BaseModel)
_DEFAULT, _MODEL, _FACTORY = "default", "model", "factory"  # how a field's default is made
_IMMUTABLE = (str, int, float, bool, type(None), tuple, frozenset, Enum)
_KNOWN_METADATA = {"MaxLen", "MinLen", "Ge", "Le", "AllowInfNan", "SkipJsonSchema"}


def assemble(model: type[M], data: Any) -> M | None:
    """``model`` made from ``data`` as validation would make it, or None when ``data`` holds
    anything this module does not check exactly (validate it then)."""
    built = _model(model, data)
    return None if built is _REFUSED else built


_PLAIN_FACTORIES = (list, dict, set, tuple, frozenset)


class _Plan:
    """How to check and convert the data of one model (read once from its declarations)."""

    def __init__(self, model: type[BaseModel]):
        decorators = model.__pydantic_decorators__
        config = model.model_config
        self.usable = not (
            decorators.validators
            or decorators.root_validators
            or decorators.computed_fields
            or config.get("extra") != "forbid"
            or config.get("strict")
            or any(
                d.info.mode not in ("before", "after") for d in decorators.model_validators.values()
            )
            or any(d.info.mode != "before" for d in decorators.field_validators.values())
        )
        validators = decorators.model_validators.values()
        self.before = [
            getattr(model, d.cls_var_name) for d in validators if d.info.mode == "before"
        ]
        self.after = [d.cls_var_name for d in validators if d.info.mode == "after"]
        checks: dict[str, list] = {}
        for decorator in decorators.field_validators.values():
            for name in decorator.info.fields:
                checks.setdefault(name, []).append(getattr(model, decorator.cls_var_name))
        strip = bool(config.get("str_strip_whitespace"))
        self.by_key: dict[str, str] = {}
        self.convert: dict[str, Any] = {}
        for name, field in model.model_fields.items():
            if field.alias:
                self.by_key[field.alias] = name
            if not field.alias or config.get("populate_by_name"):
                self.by_key[name] = name
            converter = _converter(field, strip, checks.get(name, []))
            if converter is None:
                self.usable = False
            self.convert[name] = converter
        self.required = {n for n, f in model.model_fields.items() if f.is_required()}
        # Each field's default, as model_construct would take it (without asking inspect how
        # to call the factory for every instance): a model is assembled, not validated.
        self.fields: list[tuple[str, Any, Any]] = []
        for name, field in model.model_fields.items():
            factory = field.default_factory
            # A built-in container or a model (``__init__(self, /, **data)``) never takes the
            # validated data; asking pydantic runs inspect.signature on it, which for a
            # built-in parses its signature text (tokenize's expressions, on a cold start).
            takes_data = (
                factory is not None
                and factory not in _PLAIN_FACTORIES
                and not (isinstance(factory, type) and issubclass(factory, BaseModel))
                and field.default_factory_takes_validated_data
            )
            if takes_data or (
                factory is None
                and not field.is_required()
                and not isinstance(field.default, _IMMUTABLE)
            ):
                self.usable = False
            if factory is None:
                self.fields.append((name, _DEFAULT, field.default))
            elif isinstance(factory, type) and issubclass(factory, BaseModel):
                self.fields.append((name, _MODEL, factory))  # assembled, not validated
            else:
                self.fields.append((name, _FACTORY, factory))
        self.post_init = bool(model.__pydantic_post_init__)
        if model.__pydantic_root_model__:
            self.usable = False


@functools.cache
def _plan(model: type[BaseModel]) -> _Plan:
    return _Plan(model)


def _model(model: type[BaseModel], data: Any) -> Any:
    plan = _plan(model)
    if not plan.usable:
        return _REFUSED
    try:
        for validator in plan.before:
            data = validator(data)
    except (ValueError, TypeError):
        return _REFUSED
    if type(data) is not dict:
        return _REFUSED
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = plan.by_key.get(key) if type(key) is str else None
        if name is None or name in values:
            return _REFUSED  # an unknown key, or a field given twice
        value = plan.convert[name](value)
        if value is _REFUSED:
            return _REFUSED
        values[name] = value
    if not plan.required <= values.keys():
        return _REFUSED
    built = _construct(model, plan, values)
    if built is _REFUSED:
        return _REFUSED
    for name in plan.after:
        built = getattr(built, name)()
    return built


def _construct(model: type[BaseModel], plan: _Plan, values: dict[str, Any]) -> Any:
    """What ``model.model_construct(**values)`` makes (pydantic's own steps, in its order)."""
    fields = {}
    for name, kind, default in plan.fields:
        if name in values:
            fields[name] = values[name]
        elif kind is _DEFAULT:
            fields[name] = default
        elif kind is _MODEL:
            fields[name] = made = _model(default, {})
            if made is _REFUSED:
                return _REFUSED
        else:
            fields[name] = default()
    built = model.__new__(model)
    object.__setattr__(built, "__dict__", fields)
    object.__setattr__(built, "__pydantic_fields_set__", set(values))
    object.__setattr__(built, "__pydantic_extra__", None)
    object.__setattr__(built, "__pydantic_private__", None)
    if plan.post_init:
        built.model_post_init(None)
    return built


def _converter(field, strip: bool, checks: list):
    """The function that makes a field's value of what was given (or _REFUSED); None when the
    field is declared with something this module does not know."""
    befores = [*checks]
    bounds: dict[str, Any] = {}
    for item in field.metadata:
        kind = type(item).__name__
        if kind == "BeforeValidator":
            befores.append(item.func)
        elif kind == "_PydanticGeneralMetadata" and set(vars(item)) <= {"pattern"}:
            bounds["pattern"] = re.compile(item.pattern)
        elif kind in _KNOWN_METADATA:
            bounds.update((f.name, getattr(item, f.name)) for f in dataclasses.fields(item))
        else:
            return None
    typed = _typer(field.annotation, strip)
    if typed is None:
        return None

    def convert(value: Any) -> Any:
        try:
            for before in befores:
                value = before(value)
        except (ValueError, TypeError):
            return _REFUSED
        value = typed(value)
        if value is _REFUSED or value is None or not bounds:
            return value
        return value if _within(value, bounds) else _REFUSED

    return convert


def _within(value: Any, bounds: dict[str, Any]) -> bool:
    if type(value) is float and not bounds.get("allow_inf_nan", True) and not math.isfinite(value):
        return False
    if "ge" in bounds and not value >= bounds["ge"]:
        return False
    if "le" in bounds and not value <= bounds["le"]:
        return False
    if "max_length" in bounds and len(value) > bounds["max_length"]:
        return False
    if "min_length" in bounds and len(value) < bounds["min_length"]:
        return False
    return "pattern" not in bounds or bounds["pattern"].search(value) is not None


def _typer(annotation: Any, strip: bool):
    """The function that makes a value of type ``annotation`` as validation does (or returns
    _REFUSED); None for a type this module does not handle."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        if len(args) != 2 or type(None) not in args:
            return None
        inner = _typer(next(a for a in args if a is not type(None)), strip)
        return None if inner is None else (lambda v: None if v is None else inner(v))
    if annotation is str:
        if strip:
            return lambda v: v.strip() if type(v) is str else _REFUSED
        return lambda v: v if type(v) is str else _REFUSED
    if annotation is bool:
        return lambda v: v if type(v) is bool else _REFUSED
    if annotation is int:
        return lambda v: v if type(v) is int else _REFUSED
    if annotation is float:
        return lambda v: float(v) if type(v) in (int, float) else _REFUSED
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = {m.value: m for m in annotation}
        return lambda v: v if isinstance(v, annotation) else members.get(v, _REFUSED)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lambda v: v if type(v) is annotation else _model(annotation, v)
    if origin in (list, tuple):
        if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
            return None
        item = _typer(args[0], strip) if args else None
        if item is None:
            return None
        kinds = (list,) if origin is list else (list, tuple)

        def sequence(v: Any) -> Any:
            if type(v) not in kinds:
                return _REFUSED
            items = [item(x) for x in v]
            if any(x is _REFUSED for x in items):
                return _REFUSED
            return items if origin is list else tuple(items)

        return sequence
    if origin is dict and args == (str, str):
        text = _typer(str, strip)

        def mapping(v: Any) -> Any:
            if type(v) is not dict or any(type(k) is not str for k in v):
                return _REFUSED
            out = {text(k): text(x) for k, x in v.items()}
            return _REFUSED if _REFUSED in out.values() else out

        return mapping
    return None
