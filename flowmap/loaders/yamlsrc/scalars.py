"""The values of YAML scalars, read as YAML 1.1 reads them (``yes`` is true, ``1_000`` a number),
and the few standard tags flowmap accepts (``!!str``, ``!!int``...); any other tag is refused."""

from __future__ import annotations

import re
from typing import Any, cast

from flowmap.loaders.yamlsrc.values import Pos, YamlError, YamlProblem

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
PLAIN_CONSTANTS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "yes": True,
    "Yes": True,
    "YES": True,
    "no": False,
    "No": False,
    "NO": False,
    "on": True,
    "On": True,
    "ON": True,
    "off": False,
    "Off": False,
    "OFF": False,
    ".inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}
TAG_PREFIX = "tag:yaml.org,2002:"


def plain_scalar(value: str) -> Any:
    """The value of a plain (unquoted) scalar: null, a boolean, a number, or the text."""
    constant = PLAIN_CONSTANTS.get(value, PLAIN_CONSTANTS)
    if constant is not PLAIN_CONSTANTS:
        return constant
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(value):
            digits = value.replace("_", "")
            # Python refuses to convert more than 4300 digits (a guard against slow parsing):
            # such a number is read as a float, infinite, which the model then refuses.
            return int(digits) if len(digits) <= 4000 else float(digits)
        if _FLOAT.match(value):
            return float(value.replace("_", ""))
    return value


# The types a value of each standard tag may have once read as a plain scalar.
_TAGGED_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "null": (type(None),),
}


def tagged_scalar(tag: str, value: str, pos: Pos) -> Any:
    """The value of a scalar with a tag, or a YamlError for a tag flowmap does not read."""
    name = tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else None
    if name == "str":
        return value
    if name is not None and name in _TAGGED_TYPES:
        plain = plain_scalar(value)
        if not isinstance(plain, _TAGGED_TYPES[name]):
            raise YamlError(YamlProblem(*pos, f"{value!r} is not a valid !!{name}", fatal=True))
        return float(cast(float, plain)) if name == "float" else plain  # int or float here
    raise YamlError(
        YamlProblem(
            *pos,
            f"unsupported YAML tag {tag!r}",
            "flowmap files use plain YAML values; remove the tag",
            fatal=True,
        )
    )
