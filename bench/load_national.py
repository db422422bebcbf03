"""The load run's national set: the dashboard benchmark's generator, plus the users the load needs.

``bench/dashboard.py child-setup --set national`` builds the set straight into
the tables (2,000 facilities, each with an enterprise of its own, 2,500
stations, their obligations and 13 months of snapshots) and a leader account.
Here the load adds what its users need: inspector accounts, and enterprise
accounts of enterprises owning facilities spread over the set, so each
enterprise user opens its own facilities and stations. The stations that
upload get their tokens from ``load_pages.senders`` as on the demo set.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bench.common import ROOT, make_app, run_child

LEADER = ("lanhdao.bench@example.vn", "Bench-LanhDao-2026")  # created by the dashboard's generator
INSPECTORS = tuple((f"canbo{n}.bench@example.vn", f"Bench-CanBo{n}-2026") for n in (1, 2))
# Facility numbers whose enterprises get a portal account (F00000 has two stations).
ENTERPRISE_FACILITIES = (0, 333, 666, 1000, 1333, 1666)


def enterprise_email(number: int) -> str:
    """The portal account of the enterprise owning facility ``F<number>``."""
    return f"dn{number:05d}.bench@example.vn"


def enterprise_password(number: int) -> str:
    """Its password."""
    return f"Bench-DN{number:05d}-2026"


def build_national(url: str, instance: Path) -> dict:
    """Build the national set on ``url`` (migrations included) and its accounts; the set's counts."""
    built = run_child(
        [str(ROOT / "bench" / "dashboard.py"), "child-setup", "--set", "national", "--url", url,
         "--instance", str(instance)]
    )  # fmt: skip
    app = make_app(url, instance)
    with app.app_context():
        from app.audit.actor import cli_actor
        from app.auth.services import create_user
        from app.db import commit
        from app.extensions import db
        from app.facilities.models import Facility

        with cli_actor():
            for email, password in INSPECTORS:
                create_user(email, "inspector", full_name="Cán bộ (đo tải)", password=password)
            for number in ENTERPRISE_FACILITIES:
                enterprise_id = db.session.scalar(
                    sa.select(Facility.enterprise_id).where(Facility.code == f"F{number:05d}")
                )
                create_user(
                    enterprise_email(number),
                    "enterprise",
                    full_name=f"Doanh nghiệp {number:05d} (đo tải)",
                    enterprise_id=enterprise_id,
                    password=enterprise_password(number),
                )
            commit()
        db.session.remove()
        db.engine.dispose()
    return built


def national_accounts() -> list[tuple[str, str, str]]:
    """The national set's accounts: (e-mail, role, password)."""
    return [
        (LEADER[0], "leader", LEADER[1]),
        *[(email, "inspector", password) for email, password in INSPECTORS],
        *[(enterprise_email(n), "enterprise", enterprise_password(n)) for n in ENTERPRISE_FACILITIES],
    ]
