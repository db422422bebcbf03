"""``flask notices ...``: notices from the shell."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db
from app.notices.models import Notice, RegisterCounter

notices_cli = AppGroup("notices", help="Official notices.")


@notices_cli.command("registers")
@click.option("--year", type=int, help="Only this calendar year.")
def registers_command(year: int | None) -> None:
    """Each register's last number per year, how many notices of it are issued and how many reserved."""
    query = sa.select(RegisterCounter).order_by(RegisterCounter.year, RegisterCounter.register)
    if year:
        query = query.where(RegisterCounter.year == year)
    for counter in db.session.scalars(query):
        counts = dict(
            db.session.execute(
                sa.select(Notice.status, sa.func.count(Notice.id))
                .where(Notice.register == counter.register, Notice.year == counter.year)
                .group_by(Notice.status)
            ).all()
        )
        issued, reserved = counts.get("issued", 0), counts.get("approved", 0)
        line = f"{counter.year} {counter.register:<4} last {counter.last_number:>4}  issued {issued:>4}"
        click.echo(line + (f"  reserved {reserved:>4}" if reserved else ""))
