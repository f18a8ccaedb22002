"""The ledger rows' digests, as the app's `audit/rows.py` computes them, from the COPY lines the generator writes.

Every audit event of a real store carries digests of the ledger rows its action wrote; a built city must too,
or `flask audit verify` would find its rows outside the chain. The sink notes each ledger line as it is
written (parsed back with the model's column types, so the digest sees the values the database will hold), and
the next event recorded takes what was noted (chain.py), as `audit.record` does in the app.
"""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from decimal import Decimal

from supermarket.audit.rows import LEDGER_TABLES, digest_of

_UNESCAPE = re.compile(r"\\(.)")
_CHARS = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
_PARSERS: dict = {}  # table name -> (model table, [parse per COPY column])


def _model_table(name: str):
    from supermarket.aid import models as _aid  # noqa: F401  (the ledger tables' models, for the metadata)
    from supermarket.extensions import db
    from supermarket.intake import models as _intake  # noqa: F401
    from supermarket.inventory import models as _inventory  # noqa: F401
    from supermarket.points import models as _points  # noqa: F401
    from supermarket.sales import models as _sales  # noqa: F401

    return db.metadata.tables[name]


def _parse_for(column):
    from sqlalchemy.types import TypeDecorator

    type_ = column.type
    if isinstance(type_, TypeDecorator):  # UTCDateTime: its impl says what the database holds
        type_ = type_.impl_instance
    try:
        kind = type_.python_type
    except NotImplementedError:
        kind = str
    if kind is bool:
        return lambda v: v in ("t", "true", "True", "1")
    if kind is int:
        return int
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is uuid.UUID:
        return uuid.UUID
    if kind is Decimal:
        return Decimal
    return lambda v: _UNESCAPE.sub(lambda m: _CHARS.get(m.group(1), m.group(1)), v)


def _defaults(model, written) -> dict:
    """What the database fills in for the columns the generator does not write (a column added later, such as a
    sale line's discount): its server default, parsed as the column's type, else NULL. The digest must see them."""
    found = {}
    for column in model.columns:
        if column.name in written:
            continue
        default = column.server_default
        text = getattr(getattr(default, "arg", None), "text", getattr(default, "arg", None))
        found[column.name] = None if text is None else _parse_for(column)(str(text).strip("'"))
    return found


def _parsers(table) -> tuple:
    found = _PARSERS.get(table.name)
    if found is None:
        model = _model_table(table.name)
        found = _PARSERS[table.name] = (model, [(c, _parse_for(model.c[c])) for c in table.columns],
                                        _defaults(model, set(table.columns)))
    return found


def note_line(noted: dict, table, line: str) -> None:
    """Note one COPY line of a ledger table in `noted` ({table: {id: digest}}); other tables are ignored."""
    if table.name not in LEDGER_TABLES:
        return
    model, parsers, defaults = _parsers(table)
    row = dict(defaults)
    row.update((c, None if raw == "\\N" else parse(raw))
               for (c, parse), raw in zip(parsers, line.rstrip("\n").split("\t")))
    noted.setdefault(table.name, {})[str(row["id"])] = digest_of(model, row)
