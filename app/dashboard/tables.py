"""The dashboard's tables as plain header and rows: one source for the page's export and the monthly report.

Each table has a key (its sheet), a title and Vietnamese headers when built under the
Vietnamese locale (the export and the report force it). Values are plain: numbers,
texts, percentages already written the Vietnamese way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.compliance.describe import INDUSTRIES
from app.dashboard import aggregate
from app.dashboard.labels import MEASURE_LABELS, month_text, rate_text, share_text
from app.dashboard.services import Dashboard
from app.formatting import format_date, format_number


@dataclass(frozen=True)
class SheetTable:
    """A titled table of plain values."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]


# Industries the rules do not name (``INDUSTRIES`` holds those they do): for tables only.
OTHER_INDUSTRIES = {
    "food_processing": "chế biến thực phẩm",
    "sugar": "sản xuất đường",
    "beverage": "sản xuất đồ uống",
    "brewery": "sản xuất bia",
    "rubber": "chế biến cao su",
    "livestock": "chăn nuôi",
    "hospital": "bệnh viện",
    "central_wwtp": "xử lý nước thải tập trung",
    "waste_treatment": "xử lý chất thải",
    "aquaculture": "nuôi trồng thủy sản",
}


def industry_name(code: str | None) -> str:
    """The industry's Vietnamese name (the code when unknown; "" when none)."""
    if not code:
        return ""
    name = INDUSTRIES.get(code) or OTHER_INDUSTRIES.get(code, code)
    return name[:1].upper() + name[1:]


def group_name(group: str, value: str) -> str:
    """A commune or industry as shown; "(none)" for the facilities without one."""
    if not value:
        return _("(not recorded)")
    return industry_name(value) if group == "industry" else value


def _counts_header(first: str) -> list[str]:
    return [first] + [str(MEASURE_LABELS[m]) for m in aggregate.MONTH_MEASURES]


def summary_table(d: Dashboard) -> SheetTable:
    """Each measure now and in the month, with its share of the facilities under an obligation."""
    obliged = d.totals["obliged"]
    rows = []
    for m in aggregate.MONTH_MEASURES:
        now = [d.now.get(m, "—")] if d.now is not None else []
        rows.append([str(MEASURE_LABELS[m]), *now, d.totals[m], share_text(d.totals[m], obliged)])
    month = _("Month %(month)s", month=month_text(d.month))
    header = [_("Measure"), *([_("Now")] if d.now is not None else []), month, _("Share")]
    return SheetTable("summary", _("Compliance at a glance"), header, rows)


def months_table(d: Dashboard) -> SheetTable:
    """The measures month by month (12 months), with the share meeting the target (excused)."""
    rows = [
        [month_text(m)]
        + (
            [c[k] for k in aggregate.MONTH_MEASURES] + [share_text(c["meets_excused"], c["obliged"])]
            if c
            else ["—"] * (len(aggregate.MONTH_MEASURES) + 1)
        )
        for m, c in d.series
    ]
    header = _counts_header(_("Month")) + [_("Share meeting the target (excused)")]
    return SheetTable("months", _("Month by month"), header, rows)


def group_table(d: Dashboard, group: str) -> SheetTable:
    """The month's measures per commune, per former district or per industry."""
    found = {"commune": d.by_commune, "district": d.by_district, "industry": d.by_industry}[group]
    rows = [[group_name(group, name)] + [c[k] for k in aggregate.MONTH_MEASURES] for name, c in found]
    if group == "commune":
        return SheetTable("communes", _("By commune"), _counts_header(_("Commune")), rows)
    if group == "district":
        return SheetTable("districts", _("By former district"), _counts_header(_("Former district")), rows)
    return SheetTable("industries", _("By industry"), _counts_header(_("Industry")), rows)


def cases_table(d: Dashboard) -> SheetTable:
    """Open cases per ladder step."""
    rows = [[f"{p}. {name}" if p else _("Nothing issued yet"), count] for p, name, count in d.cases_by_step]
    return SheetTable("cases", _("Open cases by step"), [_("Step"), _("Open cases")], rows)


def notices_table(d: Dashboard) -> SheetTable:
    """The month's notices: issued, answered, overdue."""
    n = d.notices
    rows = [
        [str(MEASURE_LABELS["notices_issued"]), n.issued],
        [str(MEASURE_LABELS["notices_answered"]), n.answered],
        [str(MEASURE_LABELS["notices_overdue"]), n.overdue],
    ]
    return SheetTable("notices", _("Notices of the month"), [_("Measure"), _("Notices")], rows)


def effectiveness_table(d: Dashboard) -> SheetTable:
    """Per ladder step: notices, cleared, median days to clearing, share cleared within the answer days."""
    names = {p: name for p, name, _count in d.cases_by_step if p and name}
    rows = []
    for f in d.effectiveness:
        share = "—" if f.share_within is None else share_text(f.cleared_within or 0, f.notices)
        median = "—" if f.median_days is None else format_number(f.median_days)
        step = f"{f.position}. {names[f.position]}" if f.position in names else f.position
        rows.append([step, f.notices, f.cleared, median, share])
    header = [
        _("Step"),
        _("Notices"),
        _("Cleared"),
        _("Median days to clearing"),
        _("Cleared within the answer days"),
    ]
    return SheetTable("effectiveness", _("Notice effectiveness"), header, rows)


def longest_table(d: Dashboard) -> SheetTable:
    """The facilities out of compliance for longest (consecutive months up to the month)."""
    rows = [[o.row.code, o.row.name, o.row.commune or "", o.months, month_text(o.since)] for o in d.longest]
    header = [_("Facility code"), _("Facility"), _("Commune"), _("Months out of compliance"), _("Since")]
    return SheetTable("longest", _("Longest out of compliance"), header, rows)


def facilities_table(rows: Sequence[aggregate.Row], title: str) -> SheetTable:
    """The facilities behind a number: their state and the month's figures."""
    yes, no = _("yes"), _("no")
    found = [
        [
            r.code,
            r.name,
            r.commune or "",
            industry_name(r.industry),
            yes if r.is_installed else no,
            yes if r.is_connected else no,
            yes if r.is_receiving else no,
            rate_text(r.raw_rate),
            rate_text(r.excused_rate),
            r.exceedance_hours,
        ]
        for r in rows
    ]
    header = [
        _("Facility code"),
        _("Facility"),
        _("Commune"),
        _("Industry"),
        _("Installed"),
        _("Connected"),
        _("Receiving"),
        _("Effective rate (raw)"),
        _("Effective rate (excused)"),
        _("Exceedance hours"),
    ]
    return SheetTable("facilities", title, header, found)


def all_tables(d: Dashboard) -> list[SheetTable]:
    """Every table of the dashboard, in the page's order."""
    return [
        summary_table(d),
        months_table(d),
        group_table(d, "commune"),
        group_table(d, "district"),
        group_table(d, "industry"),
        cases_table(d),
        notices_table(d),
        effectiveness_table(d),
        longest_table(d),
    ]


def generated_on(day) -> str:
    """The line saying when an export or report was made."""
    return _("Made on %(day)s", day=format_date(day))
