"""Typed values as JSON and back, driven by their type hints: the cache stores no pickles.

A NamedTuple or dataclass is a JSON array of its fields in order, a tuple or list an array, an enum its
value; a union of several structured types is [member index, value]. Decoding follows the declared types,
so nothing in a cache file can choose what gets built: only the model's own classes, from plain data.
A new field in the model flows through without a change here; a type this cannot express raises TypeError
when its codec is made, and a value that does not fit its type raises ValueError when it is decoded.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]
_PLAIN = (str, int, float, bool)


def _is_namedtuple(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


def _hints(kind: type) -> list[tuple[str, Any]]:
    hints = typing.get_type_hints(kind)
    names = kind._fields if _is_namedtuple(kind) else [field.name for field in dataclasses.fields(kind)]
    return [(name, hints[name]) for name in names]


def _members(kind: Any) -> tuple[Any, ...] | None:
    """The members of a union type, or None when it is not one."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return typing.get_args(kind)
    return None


def _is_plain(kind: Any) -> bool:
    return kind in _PLAIN or kind is Any or kind is type(None)


@functools.cache
def encoder(kind: Any) -> Encoder:
    """The function turning a value of `kind` into plain JSON data."""
    if _is_plain(kind):
        return _identity
    members = _members(kind)
    if members is not None:
        structured = [member for member in members if not _is_plain(member)]
        if not structured:
            return _identity
        if len(structured) == 1:
            inner = encoder(structured[0])
            return lambda value: value if value is None or isinstance(value, _PLAIN) else inner(value)
        checks = [(index, typing.get_origin(member) or member, encoder(member)) for index, member in enumerate(members)]

        def tagged(value: Any) -> Any:
            if value is None or isinstance(value, _PLAIN):
                return value
            for index, origin, inner in checks:
                if isinstance(origin, type) and isinstance(value, origin):
                    return [index, inner(value)]
            raise ValueError(f"{value!r} is none of {kind}")

        return tagged
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return lambda value: value.value
    if _is_namedtuple(kind) or dataclasses.is_dataclass(kind):
        fields = [(name, encoder(hint)) for name, hint in _hints(kind)]
        if all(inner is _identity for _, inner in fields):
            return list if _is_namedtuple(kind) else lambda value: [getattr(value, name) for name, _ in fields]
        return lambda value: [inner(getattr(value, name)) for name, inner in fields]
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (tuple, list):
        if origin is tuple and arguments and arguments[-1] is not Ellipsis:
            inners = [encoder(argument) for argument in arguments]
            return lambda value: [inner(item) for inner, item in zip(inners, value, strict=True)]
        inner = encoder(arguments[0]) if arguments else _identity
        return list if inner is _identity else lambda value: [inner(item) for item in value]
    if origin is dict and arguments and arguments[0] is str:
        inner = encoder(arguments[1])
        return lambda value: {key: inner(item) for key, item in value.items()}
    raise TypeError(f"no JSON codec for {kind!r}")


def _identity(value: Any) -> Any:
    return value


def _expect(value: Any, kinds: type | tuple[type, ...], kind: Any) -> Any:
    if not isinstance(value, kinds):
        raise ValueError(f"expected {kind}, found {type(value).__name__}")
    return value


@functools.cache
def decoder(kind: Any) -> Decoder:
    """The function building a value of `kind` from plain JSON data; ValueError when the data does not fit."""
    if kind is Any:
        return _identity
    if kind is type(None):
        return lambda value: _expect(value, type(None), kind)
    if kind is float:
        return lambda value: _expect(value, (int, float), kind)
    if kind is int:
        return lambda value: _expect(value, int, kind)
    if kind in (str, bool):
        return lambda value: _expect(value, kind, kind)
    members = _members(kind)
    if members is not None:
        structured = [member for member in members if not _is_plain(member)]
        plain = tuple(float if member is float else member for member in members if _is_plain(member))
        plain_types = tuple({int, float} if float in plain else set()) + plain

        def check_plain(value: Any) -> Any:
            if not isinstance(value, plain_types) or (isinstance(value, bool) and bool not in plain):
                raise ValueError(f"expected {kind}, found {type(value).__name__}")
            return value

        if not structured:
            return check_plain
        if len(structured) == 1:
            inner = decoder(structured[0])
            return lambda value: check_plain(value) if value is None or isinstance(value, _PLAIN) else inner(value)
        inners = [decoder(member) for member in members]

        def untag(value: Any) -> Any:
            if value is None or isinstance(value, _PLAIN):
                return check_plain(value)
            index, inner_value = _expect(value, list, kind)
            return inners[index](inner_value)

        return untag
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if _is_namedtuple(kind) or dataclasses.is_dataclass(kind):
        inners = [decoder(hint) for _, hint in _hints(kind)]
        count = len(inners)

        def build(value: Any) -> Any:
            if not isinstance(value, list) or len(value) != count:
                raise ValueError(f"expected {count} fields of {kind.__name__}")
            return kind(*[inner(item) for inner, item in zip(inners, value)])  # noqa: B905 - length checked

        return build
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (tuple, list):
        if origin is tuple and arguments and arguments[-1] is not Ellipsis:
            fixed = [decoder(argument) for argument in arguments]
            return lambda value: tuple(
                inner(item) for inner, item in zip(fixed, _expect(value, list, kind), strict=True)
            )
        inner = decoder(arguments[0]) if arguments else _identity
        return lambda value: origin(inner(item) for item in _expect(value, list, kind))
    if origin is dict and arguments and arguments[0] is str:
        inner = decoder(arguments[1])
        return lambda value: {_expect(key, str, str): inner(item) for key, item in _expect(value, dict, kind).items()}
    raise TypeError(f"no JSON codec for {kind!r}")
