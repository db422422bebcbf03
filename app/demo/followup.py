"""The demo's follow-up: the compliance sweep on the demo data, cases at every ladder step, notices.

The demo's rule clauses under the regime in force are still marked "to verify"
(their wording was written from the regulation notes), and no notice is issued
on such a rule. The demo administrator therefore marks the versions its
obligations rest on as verified, naming the demo as the source, so that the
follow-up can be shown end to end; a real department verifies against the
official text. Then the sweep opens the cases, and a few are taken up the
ladder: issued letters and invitations, one answered by its enterprise, a
submission awaiting the leader, an approved notice awaiting issue and a draft.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import sqlalchemy as sa

from app.audit.actor import acting_as
from app.auth.models import User
from app.cases.models import Case
from app.cases.sweep_services import run_sweep
from app.compliance.models import Obligation, RuleVersion
from app.compliance.rule_services import verify_version
from app.compliance.services import reevaluate_facilities
from app.demo import province
from app.extensions import db
from app.facilities.models import Facility
from app.notices.services import approve_notice, draft_notice, submit_notice
from app.notices.services_issue import issue_notice
from app.portal.demo import evidence_pdf
from app.portal.notices_services import acknowledge, answer_notice, record_opened
from app.stations.evidence import Upload

DEMO_SOURCE = "Dữ liệu demo: đánh dấu đã kiểm tra để minh họa quy trình, chưa đối chiếu văn bản chính thức"
SITE_URL = "http://127.0.0.1:5000"
# How far each chosen case goes: the steps issued, then what is left at the next one.
PLAN = (
    ((1,), "answered"),
    ((1,), None),
    ((1, 2), None),
    ((1, 2, 3), None),
    ((1, 2, 3), "submitted"),
    ((), "approved"),
    ((), "draft"),
)


def _user(role: str, enterprise_key: str | None = None) -> User:
    email = next(u.email for u in province.USERS if u.role == role and u.enterprise == enterprise_key)
    return db.session.scalar(sa.select(User).where(User.email == email))


def _act(user: User | None):
    return acting_as(user.email, user.id) if user else nullcontext()


def verify_demo_rules(facilities: list[Facility]) -> int:
    """Mark the to-verify rule versions the demo's obligations rest on as verified (demo source)."""
    ids = {i for o in db.session.scalars(sa.select(Obligation)) for i in o.rule_version_ids or ()}
    versions = db.session.scalars(sa.select(RuleVersion).where(RuleVersion.id.in_(ids))).all()
    admin = _user("admin")
    done = 0
    with _act(admin):
        for version in versions:
            if not version.is_verified:
                verify_version(version, DEMO_SOURCE)
                done += 1
        reevaluate_facilities(facilities)
    return done


def _chosen_cases() -> list[Case]:
    """Open cases, one per kind first, the enterprise with a demo account first (it answers)."""
    answering = {
        u.enterprise_id for u in db.session.scalars(sa.select(User).where(User.role == "enterprise"))
    }
    cases = db.session.scalars(
        sa.select(Case).where(Case.status == "open").order_by(Case.kind, Case.id)
    ).all()
    first = sorted(cases, key=lambda c: c.facility.enterprise_id not in answering)[:1]
    seen_kinds = {c.kind for c in first}
    rest = [c for c in cases if c not in first and c.kind not in seen_kinds and not seen_kinds.add(c.kind)]
    rest += [c for c in cases if c not in first and c not in rest]
    return (first + rest)[: len(PLAN)]


def _issue(case: Case, position: int, inspector: User, leader: User):
    with _act(inspector):
        notice = draft_notice(case, position, inspector)
        submit_notice(notice)
    with _act(leader):
        approve_notice(notice, leader)
    with _act(inspector):
        issue_notice(notice, inspector, SITE_URL)
    return notice


def _answer(notice) -> None:
    user = db.session.scalar(
        sa.select(User).where(User.role == "enterprise", User.enterprise_id == notice.facility.enterprise_id)
    )
    if user is None:
        return
    with _act(user):
        record_opened(notice, user.id)
        acknowledge(notice)
        answer_notice(
            notice,
            "Công ty đã ký hợp đồng với đơn vị cung cấp thiết bị; dự kiến hoàn thành lắp đặt và kết nối "
            "truyền số liệu trong tháng tới. Gửi kèm kế hoạch khắc phục.",
            [Upload("ke-hoach-khac-phuc.pdf", evidence_pdf("Kế hoạch khắc phục"))],
        )


def build_followup(facilities: list[Facility]) -> dict[str, Any]:
    """Sweep, then take a few cases up the ladder; return the counts."""
    verified = verify_demo_rules(facilities)
    with _act(_user("admin")):
        sweep = run_sweep()
    inspector, leader = _user("inspector"), _user("leader")
    issued = 0
    for case, (steps, left) in zip(_chosen_cases(), PLAN, strict=False):
        notice = None
        for position in steps:
            notice = _issue(case, position, inspector, leader)
            issued += 1
        if left == "answered" and notice is not None:
            _answer(notice)
        elif left in ("submitted", "approved", "draft"):
            with _act(inspector):
                draft = draft_notice(case, case.step + 1, inspector)
                if left != "draft":
                    submit_notice(draft)
            if left == "approved":
                with _act(leader):
                    approve_notice(draft, leader)
        db.session.flush()
    return {"rules_verified": verified, "sweep": sweep, "notices_issued": issued}
