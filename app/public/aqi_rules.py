"""Use cases of the VN_AQI rule data: the versions on record, and a new version that supersedes one.

A version is never edited: a correction (a value read in the decision's annex) or a
new decision is a new row, valid from its date, and the version it supersedes ends
the day before. Every new version is checked by ``aqi.rules_from_data`` and audited.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from app.audit.services import record
from app.errors import DomainError
from app.extensions import db
from app.public import aqi
from app.public.models import AqiRuleVersion

CONFIDENCES = ("confirmed", "to_verify")


def versions() -> list[AqiRuleVersion]:
    """Every version on record, oldest first."""
    return list(db.session.scalars(sa.select(AqiRuleVersion).order_by(AqiRuleVersion.id)))


def record_version(
    data: dict[str, Any], valid_from: date, source: str, confidence: str, reason: str
) -> AqiRuleVersion:
    """Record a new version valid from ``valid_from``; the version in force then ends the day before."""
    if confidence not in CONFIDENCES:
        raise DomainError(f"Mức tin cậy phải là một trong {', '.join(CONFIDENCES)}.")
    if not (source or "").strip() or not (reason or "").strip():
        raise DomainError("Cần ghi nguồn (văn bản đã đối chiếu) và lý do thay đổi.")
    try:
        aqi.rules_from_data(data)
    except KeyError as error:
        raise DomainError(f"Dữ liệu VN_AQI không hợp lệ: thiếu khóa {error}.") from error
    except (TypeError, ValueError, IndexError) as error:
        raise DomainError(f"Dữ liệu VN_AQI không hợp lệ: {error}.") from error
    current = db.session.scalar(
        sa.select(AqiRuleVersion)
        .where(AqiRuleVersion.valid_from < valid_from, AqiRuleVersion.valid_to.is_(None))
        .order_by(AqiRuleVersion.valid_from.desc(), AqiRuleVersion.id.desc())
        .limit(1)
    )
    if current is None and db.session.scalar(sa.select(sa.func.count(AqiRuleVersion.id))):
        raise DomainError(
            f"Không có phiên bản nào đang có hiệu lực trước ngày {valid_from:%d/%m/%Y} để thay thế."
        )
    version = AqiRuleVersion(
        data=data,
        valid_from=valid_from,
        source=source.strip(),
        confidence=confidence,
        change_reason=reason.strip(),
        supersedes_id=current.id if current else None,
    )
    if current is not None:
        current.valid_to = valid_from - timedelta(days=1)
    db.session.add(version)
    db.session.flush()
    record(
        "aqi_rules.version_recorded",
        version,
        label=f"VN_AQI #{version.id}",
        changes={"valid_from": [None, valid_from.isoformat()], "confidence": [None, confidence]},
        reason=reason,
    )
    return version
