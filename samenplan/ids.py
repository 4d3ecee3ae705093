"""Ids from the outside world (URL parts, query strings, form fields) are checked before any
query: only 1 .. 2**31-1. Every id column is an `integer` (32 bits on PostgreSQL), and a bigger
number makes the database driver fail (OverflowError on SQLite beyond 2**63, "out of range" on
PostgreSQL beyond 2**31) - a crash instead of "not found"."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value) -> int:
    """An id as an int, or ValueError: for `request.args.get("record", type=parse_id)` (which
    then gives None) and for form fields."""
    text = str(value).strip()
    # a length check first: int() of thousands of digits is slow, and refused past 4300
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        raise ValueError(f"not an id: {text[:20]!r}")
    number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"id out of range: {number}")
    return number


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number in 1 .. MAX_ID, else the URL does not match (404)
    before the view runs."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        if len(value) > _MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)
