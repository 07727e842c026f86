"""Build canonical models from mapped X12 values without running pydantic's validators twice.

The guide validator has already checked every element, and the mappings turn elements into
Python values (``Decimal``, ``date``, enums, stripped strings), so for almost every document
pydantic's validation would only confirm what is known. ``fast_model`` checks each field of a
model with the cheapest test that *proves* pydantic would accept the value unchanged (a
string that ``strip()`` leaves alone, a finite ``Decimal`` well inside ``max_digits`` and
``decimal_places``, a ``date`` that is not a ``datetime``, an enum member, ...) and then
creates the instance directly, as ``model_construct`` does. When any test fails it returns
``None`` and the caller runs ``model_validate`` on the same data, so invalid values still get
pydantic's own error (same message, same location) and borderline ones its own coercion.

The tests per field are in ``field_kinds.py``; a unit test checks that fast-built documents
equal validated ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from adapters.edi.amounts import AMOUNTS, QUANTITIES
from adapters.edi.field_kinds import AFTER, FIELD_KINDS, INLINE, INSTANCE_CHECKS, Check, amount

__all__ = ["FIELD_KINDS", "UNSET", "build", "fast_model", "fast_values"]

M = TypeVar("M", bound=BaseModel)
_date = dt.date

_MISSING = object()


class _Unset:
    """The type of ``UNSET``: a field left out of the values given to ``fast_values``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
# BaseModel's four slots, set through their descriptors as ``model_construct`` sets them
# with object.__setattr__ (the descriptor's own setter skips the lookup by name)
_SLOT_SETTERS = {
    "set_dict": BaseModel.__dict__["__dict__"].__set__,
    "set_fields_set": BaseModel.__dict__["__pydantic_fields_set__"].__set__,
    "set_extra": BaseModel.__dict__["__pydantic_extra__"].__set__,
    "set_private": BaseModel.__dict__["__pydantic_private__"].__set__,
}
_Builder = Callable[[Mapping[str, Any]], Any]
_VALUE = re.compile(r"\bv\b")  # the value in a check of ``INLINE``
_BUILDERS: dict[type[BaseModel], _Builder] = {}


def _compile(cls: type[BaseModel]) -> _Builder:
    """``fast_model`` for one class as straight-line Python: one block per field, in the
    model's field order, with its check inlined where it is one of ``INLINE``."""
    kinds = FIELD_KINDS[cls]
    env: dict[str, Any] = {
        "MISSING": _MISSING,
        "date": _date,
        "new": cls.__new__,
        "cls": cls,
        "all_set": set(cls.model_fields),  # copied: each model owns its fields set
        **_SLOT_SETTERS,
        "after": AFTER.get(cls),
        "nested_list": _nested_list,
        "amount": amount,
        "amounts": AMOUNTS.get,
        "quantities": QUANTITIES.get,
    }
    out = ["def make(data):", "    get = data.get", "    missing = 0"]
    names = []
    for k, (name, info) in enumerate(cls.model_fields.items()):
        kind = kinds[name]
        names.append(f"{name!r}: v{k}")
        out.append(f"    v = get({name!r}, MISSING)")
        out.append("    if v is MISSING:")
        if info.is_required():
            out.append("        return None")
        else:
            out += _default(info, k, env)
        out.append("        missing += 1")
        out.append("    else:")
        if isinstance(kind, tuple):
            env[f"n{k}"] = kind[1]
            out.append(f"        v = nested_list(v, n{k})")
            out.append("        if v is None:")
        else:
            out.append(f"        if not {_inline(kind, k, env)}:")
        out.append("            return None")
        out.append(f"        v{k} = v")
    out.append(f"    if {len(cls.model_fields)} - missing != len(data):")
    out.append("        return None  # extra='forbid': an unknown key is pydantic's to report")
    out.append(f"    values = {{{', '.join(names)}}}")
    if env["after"] is not None:
        out.append("    if not after(values):")
        out.append("        return None")
    out.append("    model = new(cls)")
    out.append("    set_dict(model, values)")
    out.append("    set_fields_set(model, set(data) if missing else all_set.copy())")
    out.append("    set_extra(model, None)")
    out.append("    set_private(model, None)")
    out.append("    return model")
    exec("\n".join(out), env)  # the source is built above from the model's fields
    make = cast("_Builder", env["make"])
    _BUILDERS[cls] = make
    return make


def _default(info: Any, k: int, env: dict[str, Any]) -> list[str]:
    """Source lines that give ``v{k}`` the field's default (its factory called, or the value)."""
    if info.default_factory is not None:
        env[f"f{k}"] = info.default_factory
        return [f"        v{k} = f{k}()"]
    env[f"d{k}"] = info.default
    return [f"        v{k} = d{k}"]


def _inline(kind: Check, k: int, env: dict[str, Any]) -> str:
    """The check of field ``k`` as an expression over ``v``: inlined when it is one of
    ``INLINE`` or a class test, else a call (the names it needs go into ``env``)."""
    test = INLINE.get(kind)
    if test is not None:
        return test
    if kind in INSTANCE_CHECKS:
        env[f"t{k}"], optional = INSTANCE_CHECKS[kind]
        return f"(v is None or type(v) is t{k})" if optional else f"type(v) is t{k}"
    env[f"k{k}"] = kind
    return f"k{k}(v)"


def _nested_list(value: object, nested: type[BaseModel]) -> list[Any] | None:
    """A list field of models: instances are kept (pydantic does not revalidate them),
    dicts are built with ``fast_model``; None when anything else is in the way."""
    if type(value) is not list:
        return None
    make = _BUILDERS.get(nested) or _compile(nested)
    built = []
    for item in value:
        if type(item) is not nested:
            if type(item) is not dict:
                return None
            item = make(item)
            if item is None:
                return None
        built.append(item)
    return built


def fast_model(cls: type[M], data: Mapping[str, Any]) -> M | None:
    """``cls`` built from ``data`` when every value provably validates unchanged, else None.

    The result equals ``cls.model_validate(data)`` (same field values, same fields set).
    """
    make = _BUILDERS.get(cls) or _compile(cls)
    model: M | None = make(data)
    return model


_POSITIONAL: dict[type[BaseModel], Callable[..., Any]] = {}


def _compile_positional(cls: type[BaseModel]) -> Callable[..., Any]:
    """``fast_values`` for one class: the checks of ``_compile`` on positional values. A
    field with a default may be given as ``UNSET``: no check passes it (each tests the type
    or the identity of the value), so it is looked at only where the check failed."""
    kinds = FIELD_KINDS[cls]
    names = tuple(cls.model_fields)
    env: dict[str, Any] = {
        "MISSING": _MISSING,
        "UNSET": UNSET,
        "date": _date,
        "new": cls.__new__,
        "cls": cls,
        "all_set": set(names),  # copied: each model owns its fields set
        **_SLOT_SETTERS,
        "after": AFTER.get(cls),
        "amount": amount,
        "amounts": AMOUNTS.get,
        "quantities": QUANTITIES.get,
    }
    args = [f"v{k}" for k in range(len(names))]
    out = [f"def make({', '.join(args)}):", "    unset = ()"]
    for k, (name, info) in enumerate(cls.model_fields.items()):
        kind = kinds[name]
        if isinstance(kind, tuple):
            raise ValueError(f"{cls.__name__}.{name}: list fields need fast_model")
        out.append(f"    if not {_VALUE.sub(f'v{k}', _inline(kind, k, env))}:")
        if info.is_required():
            out.append("        return None")
            continue
        out += [f"        if v{k} is not UNSET:", "            return None"]
        out += _default(info, k, env)
        out.append(f"        unset += ({name!r},)")
    out.append(f"    values = {{{', '.join(f'{n!r}: v{k}' for k, n in enumerate(names))}}}")
    if env["after"] is not None:
        out += ["    if not after(values):", "        return None"]
    out += [
        "    model = new(cls)",
        "    set_dict(model, values)",
        "    set_fields_set(model, all_set.difference(unset) if unset else all_set.copy())",
        "    set_extra(model, None)",
        "    set_private(model, None)",
        "    return model",
    ]
    exec("\n".join(out), env)  # the source is built above from the model's fields
    make = cast("Callable[..., Any]", env["make"])
    _POSITIONAL[cls] = make
    return make


def fast_values(cls: type[M], *values: object) -> M | None:
    """``fast_model`` of a dict holding the fields of ``cls``, given as its values in the
    model's field order (``UNSET`` for a key the dict lacks): the same checks and result,
    without making and reading the dict."""
    make = _POSITIONAL.get(cls) or _compile_positional(cls)
    model: M | None = make(*values)
    return model


def build(cls: type[M], data: Mapping[str, Any]) -> M:
    """``cls`` from ``data``: built directly when that is provably what validation gives,
    else validated by pydantic (which raises ``ValidationError`` for invalid data)."""
    model = fast_model(cls, data)
    return cls.model_validate(data) if model is None else model
