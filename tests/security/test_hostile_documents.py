"""Hostile text in a notice's fields and names reaches its PDF and e-mail as literal text, never as markup."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from markupsafe import escape

from app.audit.actor import acting_as
from app.cases.models import Case
from app.extensions import db
from app.notices import services, services_issue
from app.notices.delivery_content import notice_content
from tests.notices.conftest import EVIDENCE
from tests.security.conftest import count
from tests.security.hostile import BIDI_CONTROLS, SCRIPT, SQL, TEMPLATE

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")

ENTERPRISE = f"Công ty {SCRIPT}"
FACILITY = 'Nhà máy "><img src=x onerror=alert(1)>'
SUMMARY = f"V/v {TEMPLATE} <b>đậm</b>"
REQUEST = f"Yêu cầu {SQL} <i>nghiêng</i> \u202eđảo\u202c"
LITERALS = [
    SCRIPT,
    "<img src=x onerror=alert(1)>",
    TEMPLATE,
    "<b>đậm</b>",
    "DROP TABLE facilities;",
    "<i>nghiêng</i>",
]


@pytest.fixture
def notice(client, make_enterprise, make_facility, make_user, login):
    """An issued notice whose enterprise, facility, summary and requests are hostile, edited through the form."""
    inspector, leader = make_user("inspector"), make_user("leader")
    facility = make_facility(enterprise=make_enterprise(ENTERPRISE), name=FACILITY)
    case = Case(facility_id=facility.id, kind="not_connected", evidence=EVIDENCE, rule_version_ids=[])
    db.session.add(case)
    db.session.flush()
    with acting_as("test", inspector.id):
        draft = services.draft_notice(case, 1, inspector)
    login(inspector)
    response = client.post(
        f"/notices/{draft.id}/edit",
        data={
            "summary": SUMMARY,
            "addressee": draft.addressee,
            "body": draft.body,
            "requests": REQUEST,
            "copies_to": "\n".join(draft.copies_to or []),
            "signer_title": "PHÓ GIÁM ĐỐC",
            "signer_name": "Nguyễn Văn An",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with acting_as("test", inspector.id):
        services.submit_notice(draft)
        services.approve_notice(draft, leader)
        services_issue.issue_notice(draft, inspector, "https://quantrac.test")
    return draft


def _pdf_text(path: str) -> str:
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


def test_the_pdf_prints_hostile_text_literally(app, notice):
    text = _pdf_text(os.path.join(app.instance_path, notice.pdf_path))
    for literal in LITERALS:
        assert literal in text, literal
        count("hostile texts checked in the PDF")
    assert "49" not in text.replace("2026", "")  # {{ 7*7 }} was not evaluated
    assert not any(c in text for c in BIDI_CONTROLS)


def test_the_email_shows_hostile_text_literally_in_text_and_escaped_in_html(notice):
    content = notice_content(notice)
    assert "\n" not in content.subject and "\r" not in content.subject
    for literal in [SCRIPT, TEMPLATE.split(" {%")[0], "<b>đậm</b>"]:
        assert literal in content.text or literal in content.subject, literal
    for literal in [SCRIPT, "<b>đậm</b>"]:
        assert literal not in content.html and str(escape(literal)) in content.html, literal
        count("hostile texts checked in e-mails")
    assert "<script" not in content.html.lower()


def test_a_very_long_company_name_is_printed_whole(app, make_enterprise, make_facility, make_user):
    from tests.security.hostile import LONG

    inspector = make_user("inspector")
    facility = make_facility(enterprise=make_enterprise(LONG), name=LONG)
    case = Case(facility_id=facility.id, kind="not_connected", evidence=EVIDENCE, rule_version_ids=[])
    db.session.add(case)
    db.session.flush()
    with acting_as("test", inspector.id):
        draft = services.draft_notice(case, 1, inspector)
    path = os.path.join(app.instance_path, "long-name.pdf")
    with open(path, "wb") as stream:
        stream.write(services_issue.preview_pdf(draft, "https://quantrac.test"))
    assert LONG in _pdf_text(path)
    count("hostile texts checked in the PDF")
