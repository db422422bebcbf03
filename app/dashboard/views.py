"""Dashboard pages: the summary of a closed month, the facilities behind each number, the exports."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote_plus

from flask import Response, flash, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth.access import allow
from app.auth.roles import STAFF
from app.compliance.services import today
from app.dashboard import aggregate, bp, charts, services, tables
from app.dashboard.export import build_workbook
from app.dashboard.labels import MEASURE_LABELS, month_text, rate_text

PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEASURES = (*aggregate.MEASURES, *services.NOTICE_MEASURES)


@bp.app_template_filter("rate")
def rate_filter(rate: float | None) -> str:
    """A facility's rate as ``87,3%`` (``—`` without a figure)."""
    return rate_text(rate)


def drill_link(base: str, measure: str, month: date, scope: str = "month", group=None, value=None) -> str:
    """The drill-down link of one number (built from the list's URL once per page, not per cell)."""
    link = f"{base}?measure={quote_plus(measure)}&month={month:%Y-%m}&scope={quote_plus(scope)}"
    if group:
        link += f"&group={quote_plus(group)}&value={quote_plus(value or '')}"
    return link


def parse_month(text: str | None) -> date | None:
    """``YYYY-MM`` as the month's first day; None when it is not one."""
    try:
        year, month = (text or "").split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def _month() -> date:
    """The month asked for, or the last full month; a month not yet closed is refused with a message."""
    default = services.closed_month()
    text = request.args.get("month")
    if not text:
        return default
    month = parse_month(text)
    if month is None or month > default:
        flash(
            _(
                "The month must be a closed month written YYYY-MM, such as %(example)s.",
                example=f"{default:%Y-%m}",
            ),
            "error",
        )
        return default
    return month


def _drill() -> services.Drill:
    args = request.args
    measure = args.get("measure", "obliged")
    group = args.get("group")
    return services.Drill(
        measure=measure if measure in MEASURES else "obliged",
        month=_month(),
        scope="now" if args.get("scope") == "now" else "month",
        group=group if group in aggregate.GROUPS else None,
        value=args.get("value") if group in aggregate.GROUPS else None,
    )


def _xlsx(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/", endpoint="index")
@allow(*STAFF)
def index():
    """The month's figures, the 12 months to it, by commune and industry, cases, notices, the longest out."""
    d = services.dashboard(_month())
    return render_template(
        "dashboard/index.html",
        d=d,
        months=[m for m in services.snapshot_months() if m <= services.closed_month()] or [d.month],
        labels=MEASURE_LABELS,
        measures=aggregate.MONTH_MEASURES,
        now_measures=aggregate.NOW_MEASURES,
        months_chart=charts.months_chart(d),
        communes_chart=charts.communes_chart(d),
        effectiveness=tables.effectiveness_table(d),
        group_name=tables.group_name,
        month_text=month_text,
        drill_link=drill_link,
        drill_base=url_for("dashboard.facilities"),
    )


def _drill_title(spec: services.Drill) -> str:
    title = str(MEASURE_LABELS[spec.measure])
    when = _("now") if spec.scope == "now" else month_text(spec.month)
    if spec.group:
        return f"{title} — {tables.group_name(spec.group, spec.value or '')} — {when}"
    return f"{title} — {when}"


@bp.route("/facilities", endpoint="facilities")
@allow(*STAFF)
def facilities():
    """The facilities behind one number of the dashboard, with links to their pages."""
    spec = _drill()
    rows = services.drill_rows(spec)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(page, pages)
    return render_template(
        "dashboard/facilities.html",
        spec=spec,
        title=_drill_title(spec),
        rows=rows[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(rows),
        page=page,
        pages=pages,
        industry_name=tables.industry_name,
        month_text=month_text,
    )


@bp.route("/facilities.xlsx", endpoint="facilities_export")
@allow(*STAFF)
def facilities_export():
    """The facilities behind one number as ``.xlsx`` (Vietnamese headers)."""
    spec = _drill()
    rows = services.drill_rows(spec)
    with force_locale("vi"):
        table = tables.facilities_table(rows, _drill_title(spec))
        body = build_workbook([table], tables.generated_on(today()))
    return _xlsx(body, f"co-so-{spec.measure}-{spec.month:%Y-%m}.xlsx")


@bp.route("/export.xlsx", endpoint="export")
@allow(*STAFF)
def export():
    """Every table of the dashboard as ``.xlsx``, one sheet each (Vietnamese headers)."""
    d = services.dashboard(_month())
    with force_locale("vi"):
        body = build_workbook(tables.all_tables(d), tables.generated_on(today()))
    return _xlsx(body, f"tong-hop-{d.month:%Y-%m}.xlsx")
