"""The administrator's pages for sender accounts (FTP accounts and HTTP upload tokens).

A new account's secret, and a reset one, is shown once on the page that answers
the form and never again (only its hash is stored).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.auth.access import allow
from app.auth.roles import ADMIN
from app.db import commit
from app.errors import DomainError, NotFound
from app.extensions import db
from app.facilities.models import Facility
from app.settings import services as settings
from app.stations.models import Station
from app.telemetry import accounts, forward
from app.telemetry.accounts_forms import AccountActionForm, AccountCreateForm
from app.telemetry.models import SenderAccount

bp = Blueprint("receipt_accounts", __name__, url_prefix="/telemetry/accounts")


def _station_choices() -> list[SelectChoice]:
    rows = db.session.execute(sa.select(Station.id, Station.code, Station.name).order_by(Station.code_key))
    return [SelectChoice(0, "—")] + [
        SelectChoice(row.id, f"{row.code} — {row.name}" if row.name else row.code) for row in rows
    ]


def _facility_choices() -> list[SelectChoice]:
    rows = db.session.execute(sa.select(Facility.id, Facility.code, Facility.name).order_by(Facility.code))
    return [SelectChoice(0, "—")] + [SelectChoice(row.id, f"{row.code} — {row.name}") for row in rows]


def _account_or_404(account_id: int) -> SenderAccount:
    try:
        return accounts.get_account(account_id)
    except NotFound:
        abort(404)


def _secret_page(account: SenderAccount, secret: str):
    """The one page that shows a secret: never cached, never shown again."""
    example_code = "<STATION>"
    if account.station_id is not None:
        station = db.session.get(Station, account.station_id)
        example_code = station.code if station else example_code
    response = make_response(
        render_template(
            "telemetry/accounts_secret.html",
            account=account,
            secret=secret,
            scope=accounts.scope_label(account),
            ftp_port=settings.get("receipt.ftp_port"),
            upload_url=url_for("receipt_api.upload", code="STATION", _external=True).replace(
                "STATION", example_code
            ),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/", endpoint="list")
@allow(ADMIN)
def list_accounts():
    """Every sender account, filterable by kind and status."""
    query = accounts.list_accounts(request.args.get("kind"), request.args.get("status"))
    page = db.paginate(query, per_page=50, error_out=False)
    scopes = {account.id: accounts.scope_label(account) for account in page.items}
    return render_template("telemetry/accounts.html", page=page, scopes=scopes)


@bp.route("/new", methods=["GET", "POST"])
@allow(ADMIN)
def create():
    """Create an FTP account or an HTTP token; its secret is shown once."""
    form = AccountCreateForm()
    form.station_id.choices = _station_choices()
    form.facility_id.choices = _facility_choices()
    if request.method == "GET":
        form.kind.data = request.args.get("kind", "ftp")
        form.station_id.data = request.args.get("station_id", 0, type=int)
        form.facility_id.data = request.args.get("facility_id", 0, type=int)
    if form.validate_on_submit():
        try:
            account, secret = accounts.create_account(
                form.kind.data,
                facility_id=form.facility_id.data or None,
                station_id=form.station_id.data or None,
                name=form.name.data if form.kind.data == "ftp" else None,
                note=form.note.data or "",
            )
        except DomainError as exc:
            getattr(form, exc.field or "kind").errors.append(exc.message)
        else:
            commit()
            flash(_("Account %(name)s created.", name=account.name), "success")
            return _secret_page(account, secret)
    return render_template("telemetry/accounts_form.html", form=form), (400 if form.errors else 200)


@bp.route("/<int:account_id>")
@allow(ADMIN)
def detail(account_id: int):
    """One account: its scope, its use, and the actions on it."""
    account = _account_or_404(account_id)
    return render_template(
        "telemetry/accounts_detail.html",
        account=account,
        scope=accounts.scope_label(account),
        folder=accounts.folder_name(account),
        form=AccountActionForm(),
    )


@bp.route("/<int:account_id>/active", methods=["POST"])
@allow(ADMIN)
def set_active(account_id: int):
    """Deactivate (refused at once) or reactivate an account."""
    account = _account_or_404(account_id)
    form = AccountActionForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    accounts.set_active(account, active, form.reason.data or "")
    commit()
    flash(_("The account is active.") if active else _("The account is deactivated."), "success")
    return redirect(url_for("receipt_accounts.detail", account_id=account.id))


@bp.route("/<int:account_id>/reset", methods=["POST"])
@allow(ADMIN)
def reset(account_id: int):
    """Give the account a new secret, shown once; the old one stops working."""
    account = _account_or_404(account_id)
    form = AccountActionForm()
    if not form.validate_on_submit():
        abort(400)
    secret = accounts.reset_secret(account, form.reason.data or "")
    commit()
    return _secret_page(account, secret)


@bp.route("/forwarding/retry", methods=["POST"])
@allow(ADMIN)
def forward_retry():
    """Put the files that failed to reach the Ministry back in the queue (one station's, or all)."""
    form = AccountActionForm()
    if not form.validate_on_submit():
        abort(400)
    station_id = request.form.get("station_id", type=int)
    count = forward.retry_failed(station_id=station_id)
    commit()
    flash(_("%(n)d file(s) queued again for the Ministry.", n=count), "success")
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("receipt_accounts.list")
    return redirect(target)
