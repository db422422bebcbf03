"""``among_ids``: a long list of ids selects exactly the rows an IN list would, on either database."""

import sqlalchemy as sa

from app.db import among_ids
from app.extensions import db
from app.facilities.models import Enterprise


def test_thousands_of_ids_select_exactly_the_listed_rows(app):
    db.session.execute(
        sa.insert(Enterprise), [{"name": f"Công ty {n}", "tax_code": f"MST{n:05d}"} for n in range(3000)]
    )
    ids = sorted(db.session.scalars(sa.select(Enterprise.id).where(Enterprise.tax_code.like("MST%"))))
    wanted = ids[::3] + [-1, 10**9]  # every third row, and ids of no row

    found = db.session.scalars(sa.select(Enterprise.id).where(among_ids(Enterprise.id, wanted)))

    assert sorted(found) == ids[::3]
    assert db.session.scalars(sa.select(Enterprise.id).where(among_ids(Enterprise.id, []))).all() == []
