"""Register numbers: per register and calendar year, from 01, unique and gapless.

The counter row is created if missing (``INSERT ... ON CONFLICT DO NOTHING``) and
then incremented with ``UPDATE ... RETURNING``: the update takes the row lock and
holds it until the issuing transaction ends, so a second issuer waits and then
gets the next number; a transaction that rolls back gives its number back.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db

_CREATE = sa.text(
    "INSERT INTO register_counters (register, year, last_number) VALUES (:register, :year, 0) "
    "ON CONFLICT DO NOTHING"
)
_TAKE = sa.text(
    "UPDATE register_counters SET last_number = last_number + 1 "
    "WHERE register = :register AND year = :year RETURNING last_number"
)


def take_number(register: str, year: int) -> int:
    """The next number of ``register`` in ``year``, locked until the current transaction ends."""
    params = {"register": register, "year": year}
    db.session.execute(_CREATE, params)
    number = db.session.execute(_TAKE, params).scalar_one()
    return int(number)


def last_number(register: str, year: int) -> int:
    """The last number given in a register and year (0 when none)."""
    found = db.session.execute(
        sa.text("SELECT last_number FROM register_counters WHERE register = :register AND year = :year"),
        {"register": register, "year": year},
    ).scalar()
    return int(found or 0)
