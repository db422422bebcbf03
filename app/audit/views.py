"""The administrator's view of the audit trail."""

from datetime import datetime, timedelta

from flask import render_template, request

from app.audit import bp, services
from app.auth.access import allow
from app.auth.roles import ADMIN
from app.extensions import db
from app.formatting import LOCAL_TZ


def _day(value: str | None) -> datetime | None:
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").replace(tzinfo=LOCAL_TZ)
    except ValueError:
        return None


@bp.route("/", endpoint="list")
@allow(ADMIN)
def list_events():
    """Browse and filter the trail (actor, action, object, local days)."""
    args = request.args
    since = _day(args.get("since"))
    until = _day(args.get("until"))
    query = services.search(
        actor=args.get("actor") or None,
        action=args.get("action") or None,
        object_type=args.get("object_type") or None,
        object_id=args.get("object_id") or None,
        since=since,
        until=until + timedelta(days=1) if until else None,
    )
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template(
        "audit/list.html",
        page=page,
        actions=services.actions(),
        object_types=services.object_types(),
        filters={
            k: args.get(k, "") for k in ("actor", "action", "object_type", "object_id", "since", "until")
        },
    )
