"""``flask users ...``: accounts from the shell (import-format.md, "CLI contract")."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.audit.actor import cli_actor
from app.auth import services
from app.auth.roles import ENTERPRISE, ROLES
from app.db import commit, rollback
from app.errors import DomainError
from app.extensions import db
from app.facilities.models import Enterprise

users_cli = AppGroup("users", help="User accounts.")


def _fail(message: str) -> None:
    rollback()
    click.echo(message, err=True)
    sys.exit(1)


def find_enterprise(tax_code_or_name: str) -> Enterprise | None:
    """An enterprise by tax code, else by name (trimmed, case-insensitive)."""
    value = tax_code_or_name.strip()
    by_tax = db.session.scalar(sa.select(Enterprise).where(Enterprise.tax_code == value))
    if by_tax is not None:
        return by_tax
    matches = db.session.scalars(
        sa.select(Enterprise).where(sa.func.lower(sa.func.trim(Enterprise.name)) == value.lower())
    ).all()
    return matches[0] if len(matches) == 1 else None


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--enterprise", "enterprise", help="Tax code or name (enterprise users).")
@click.option("--password", help="Without it a random password is printed.")
@click.option("--name", "full_name", default="", help="Full name.")
def create_command(
    email: str, role: str, enterprise: str | None, password: str | None, full_name: str
) -> None:
    """Create a user; exits 1 when the e-mail exists or an argument is wrong."""
    enterprise_id = None
    if enterprise:
        found = find_enterprise(enterprise)
        if found is None:
            _fail(f"unknown enterprise: {enterprise}")
        enterprise_id = found.id
    if role == ENTERPRISE and enterprise_id is None:
        _fail("--enterprise is required for role enterprise")
    if role != ENTERPRISE and enterprise_id is not None:
        _fail("--enterprise is only for role enterprise")
    with cli_actor():
        try:
            user, password_used = services.create_user(
                email, role, full_name=full_name, enterprise_id=enterprise_id, password=password
            )
        except DomainError as exc:
            _fail(f"{exc.message}")
        commit()
    if password:
        click.echo(f"created {user.email} ({role})")
    else:
        click.echo(f"created {user.email} ({role}); password: {password_used}")
