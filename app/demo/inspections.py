"""The demo's inspections: one finalised with its minutes, one planned, at facilities with open cases.

The facilities are those whose cases went furthest up the ladder; the period checked
is the demo's days of data before the inspection. The finalised one's minutes are
rendered at once (the job it defers then finds them done).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from app.cases.models import Case
from app.db import utcnow
from app.demo.followup import SITE_URL, _act, _user
from app.extensions import db
from app.facilities.models import Facility
from app.inspections import planning, services

TEAM = [
    {"name": "Nguyễn Thị Thanh Hương", "title": "Trưởng đoàn, Chi cục Bảo vệ môi trường"},
    {"name": "Trần Văn Lộc", "title": "Chuyên viên"},
]


def _facilities() -> list[Facility]:
    rows = db.session.execute(
        sa.select(Case.facility_id, sa.func.max(Case.step))
        .where(Case.status == "open")
        .group_by(Case.facility_id)
        .order_by(sa.func.max(Case.step).desc(), Case.facility_id)
        .limit(2)
    ).all()
    return [db.session.get(Facility, facility_id) for facility_id, _step in rows]


def _plan(facility: Facility, days: int, inspected_in: int) -> services.Plan:
    today = services.today_local()
    inspected_on = today + timedelta(days=inspected_in)
    return services.Plan(
        decision_number=f"{118 + inspected_in % 7}/QĐ-SNNMT",
        decision_date=today - timedelta(days=7),
        inspected_on=inspected_on,
        place=facility.address or facility.name,
        team=TEAM,
        period_from=today - timedelta(days=max(days - 1, 1)),
        period_to=today - timedelta(days=1),
    )


def build_inspections(days: int) -> dict[str, Any]:
    """Schedule two inspections; finalise the first with findings, a request and its minutes."""
    inspector = _user("inspector")
    chosen = _facilities()
    if not chosen:
        return {"inspections": 0, "minutes": 0}
    scores = {s.facility_id: s for s in planning.rank_facilities(utcnow(), chosen)}
    made = []
    with _act(inspector):
        for index, facility in enumerate(chosen):
            plan = _plan(facility, days, 0 if index == 0 else 7)
            made.append(
                services.schedule_inspection(facility, plan, inspector, scores[facility.id].as_dict())
            )
        first = made[0]
        services.update_record(
            first,
            {
                "representatives": [{"name": "Võ Minh Tâm", "title": "Phó Giám đốc"}],
                "findings": "Cơ sở chưa khắc phục các vi phạm đã được Sở nhắc nhở; số liệu của hệ thống "
                "trong kỳ được đối chiếu tại hiện trường và thống nhất.",
                "opinion": "Cơ sở thống nhất với nội dung biên bản và cam kết khắc phục đúng thời hạn.",
            },
        )
        services.add_request(
            first,
            "Khắc phục việc truyền số liệu quan trắc tự động và báo cáo kết quả về Sở.",
            first.inspected_on + timedelta(days=15),
        )
        services.finalise_inspection(first, inspector, SITE_URL)
        services.render_minutes(first, SITE_URL)
    db.session.flush()
    return {"inspections": len(made), "minutes": 1}
