"""Rows into canonical documents: map columns, coerce values, group lines, report bad rows.

Row by row: a bad row is reported (row, column, reason) and left out; the good rows of the
same file are kept. Where lines belong together (a ship notice, a receipt) a bad row refuses
its whole document by default, never the rest of the file (see ``FeedMapping.bad_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
from typing import Any

from pydantic import BaseModel, ValidationError

from adapters.api.feeds.errors import MissingColumns, RowProblem
from adapters.api.feeds.mapping import (
    DOCUMENT_MODELS,
    GROUP_KEYS,
    QUANTITY_FIELDS,
    FeedMapping,
    FieldSpec,
    fields_of,
    line_model_of,
    normalise,
)
from adapters.api.feeds.source import Refused, SourceRow
from adapters.api.feeds.values import CellError, coerce


@dataclass
class Plan:
    """A mapping applied to one file's columns: which column feeds which field."""

    mapping: FeedMapping
    columns: dict[str, str]  # canonical field -> the file's column
    specs: dict[str, FieldSpec]

    def source(self, field_name: str) -> str:
        if field_name in self.columns:
            return self.columns[field_name]
        if field_name in self.mapping.constants:
            return f"(constant {field_name})"
        return field_name


def plan_columns(mapping: FeedMapping, file_columns: list[str]) -> Plan:
    """Match the mapping to a file's columns; MissingColumns names every one not found."""
    by_name: dict[str, str] = {}
    for column in file_columns:
        by_name.setdefault(normalise(column), column)
    specs = fields_of(mapping.document_type)
    resolved: dict[str, str] = {}
    missing: list[str] = []
    for name, spec in specs.items():
        if name in mapping.constants:
            continue
        wanted = mapping.columns.get(name, name)
        found = by_name.get(normalise(wanted))
        if found is not None:
            resolved[name] = found
        elif name in mapping.columns or spec.required:
            missing.append(wanted)
    if missing:
        raise MissingColumns(missing, file_columns)
    return Plan(mapping, resolved, specs)


@dataclass
class _Group:
    header: dict[str, Any]
    first_row: int
    lines: list[tuple[int, BaseModel]] = field(default_factory=list)
    bad_rows: list[int] = field(default_factory=list)


@dataclass
class FeedResult:
    """The documents read from a file, the refused rows, and the counts."""

    documents: list[BaseModel]
    problems: list[RowProblem]
    rows_total: int
    rows_accepted: int


class Converter:
    """Feeds rows one at a time; ``finish`` groups the good ones into documents."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.model = DOCUMENT_MODELS[plan.mapping.document_type]
        self.line_model = line_model_of(self.model)
        self.key = GROUP_KEYS[plan.mapping.document_type]
        self.groups: dict[str, _Group] = {}
        self.problems: list[RowProblem] = []
        self.rows_total = 0
        self._headers: dict[tuple[tuple[str, Any], ...], list[tuple[str | None, str]]] = {}

    def add(self, row: SourceRow) -> None:
        self.rows_total += 1
        if row.error is not None:
            self._refuse(row.number, [(None, row.error)], None)
            return
        header, line, errors = self._values(row)
        key = header.get(self.key)
        group_key = str(key) if key is not None else None
        failed = {name for name, _ in errors}
        errors += [e for e in self._check_header(header) if e[0] not in failed]
        try:
            validated = self.line_model.model_validate(line)
        except ValidationError as error:
            errors += [e for e in _field_errors(error) if e[0] not in failed]
        if errors:
            self._refuse(row.number, errors, group_key)
            return
        assert group_key is not None  # a valid header has its key
        group = self.groups.setdefault(group_key, _Group(header, row.number))
        if not group.lines and not group.header:  # only bad rows so far: this one sets it
            group.header, group.first_row = header, row.number
        conflict = _conflict(group, header)
        if conflict is not None:
            self._refuse(row.number, [(conflict[0], conflict[1])], group_key)
            return
        group.lines.append((row.number, validated))

    def finish(self) -> FeedResult:
        documents: list[BaseModel] = []
        accepted = 0
        for key, group in self.groups.items():
            if not group.lines:
                continue
            document = self._document(key, group)
            if document is not None:
                documents.append(document)
                accepted += len(group.lines)
        self.problems.sort(key=lambda p: p.row)
        return FeedResult(documents, self.problems, self.rows_total, accepted)

    def _values(self, row: SourceRow) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
        header: dict[str, Any] = {}
        line: dict[str, Any] = {}
        errors: list[tuple[str | None, str]] = []
        mapping = self.plan.mapping
        cells: Iterable[tuple[str, Any]] = [
            *((name, row.values.get(column)) for name, column in self.plan.columns.items()),
            *mapping.constants.items(),
        ]
        for name, raw in cells:
            if raw is None:
                continue
            spec = self.plan.specs[name]
            if isinstance(raw, Refused):
                errors.append((name, raw.reason))
                continue
            date_format = mapping.date_formats.get(name, mapping.date_format)
            try:
                value = coerce(raw, spec, date_format, mapping.decimal_comma)
            except CellError as error:
                errors.append((name, str(error)))
                continue
            (line if spec.on_line else header)[name] = value
        errors += _convert_units(line, mapping)
        return header, line, errors

    def _check_header(self, header: dict[str, Any]) -> list[tuple[str | None, str]]:
        # Rows of one document repeat its header: validate each distinct header once.
        cache_key = tuple(sorted(header.items()))
        if cache_key not in self._headers:
            try:
                self.model.model_validate({**header, "lines": []})
                self._headers[cache_key] = []
            except ValidationError as error:
                self._headers[cache_key] = _field_errors(error)
        return list(self._headers[cache_key])

    def _refuse(self, row: int, errors: list[Any], group_key: str | None) -> None:
        for name, reason in errors:
            column = self.plan.source(name) if name is not None else None
            self.problems.append(RowProblem(row, column, reason))
        if group_key is not None:
            group = self.groups.get(group_key)
            if group is None:
                self.groups[group_key] = group = _Group({}, row)
            group.bad_rows.append(row)

    def _document(self, key: str, group: _Group) -> BaseModel | None:
        rows = [number for number, _ in group.lines]
        if group.bad_rows and self.plan.mapping.on_bad_row == "reject_document":
            shown = ", ".join(str(r) for r in group.bad_rows[:10])
            reason = f"not stored: {self.key} {key} is refused as a whole (bad row(s) {shown})"
            self.problems.extend(RowProblem(r, None, reason) for r in rows)
            return None
        try:
            lines = [line for _, line in group.lines]
            return self.model.model_validate({**group.header, "lines": lines})
        except ValidationError as error:
            reason = f"{self.key} {key}: " + "; ".join(m for _, m in _field_errors(error))
            self.problems.extend(RowProblem(r, None, reason) for r in rows)
            return None


def _convert_units(line: dict[str, Any], mapping: FeedMapping) -> list[tuple[str | None, str]]:
    """Quantities in the mapping's units converted in place; an error per quantity that the
    conversion takes out of range (e.g. 9E999999 dozen overflows a decimal)."""
    unit = line.get("uom")
    if not isinstance(unit, str):
        return []
    conversion = mapping.units.get(unit.strip().upper())
    if conversion is None:
        return []
    errors: list[tuple[str | None, str]] = []
    for name in QUANTITY_FIELDS:
        value = line.get(name)
        if isinstance(value, Decimal):
            try:
                line[name] = value * conversion.factor
            except DecimalException:
                errors.append((name, f"{value} {unit} is too large to convert to {conversion.to}"))
    line["uom"] = conversion.to
    return errors


def _conflict(group: _Group, header: dict[str, Any]) -> tuple[str, str] | None:
    if group.header == header:  # the common case: a repeated header
        return None
    for name in sorted(set(group.header) | set(header)):
        if group.header.get(name) != header.get(name):
            return name, (
                f"{header.get(name)!s} differs from {group.header.get(name)!s} on row "
                f"{group.first_row} of the same document"
            )
    return None


def _field_errors(error: ValidationError) -> list[tuple[str | None, str]]:
    result: list[tuple[str | None, str]] = []
    for item in error.errors():
        location = item.get("loc") or ()
        name = str(location[0]) if location else None
        message = "empty; a value is required" if item["type"] == "missing" else item["msg"]
        result.append((name, message))
    return result
