"""Plain records: classes that hold named values, written out by hand instead of with
:func:`dataclasses.dataclass`.

A dataclass writes the source of its ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` (and,
frozen, ``__setattr__`` and ``__delattr__``) when its module is imported, and compiles each: on
Python 3.11 about 4 million instructions a class, 2-3 % of a cold ``flowmap analyze`` for every
eight of them. A record here declares its fields in ``__slots__`` and its own ``__init__``; a
value record (compared, hashed, kept in sets) takes equality, hashing and its ``repr`` from
:class:`Record`, which reads ``__slots__`` at call time and generates nothing.

Records are not frozen (nothing refuses an assignment) and have no :func:`dataclasses.replace`:
a record that is copied with changes stays a dataclass.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Record"]


class Record:
    """Base of a value record: equal to a record of the same class with equal fields (in the
    order of ``__slots__``), hashed on them, shown as ``Name(field=value, ...)``."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({shown})"
