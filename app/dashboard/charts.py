"""The dashboard's charts, drawn by ``app.charts.svg``: the same SVG on the page and in the monthly report."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from app.charts.svg import bar_chart
from app.dashboard.labels import month_text, rate_text
from app.dashboard.services import Dashboard
from app.dashboard.tables import group_name


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def months_chart(d: Dashboard) -> Markup:
    """Per month with snapshots: the share of facilities under an obligation meeting the target (excused rate)."""
    known = [(m, c) for m, c in d.series if c is not None]
    return bar_chart(
        [month_text(m) for m, _c in known],
        [_share(c["meets_excused"], c["obliged"]) for _m, c in known],
        title=_("Share of obliged facilities meeting the completeness target, month by month"),
        value_format=rate_text,
    )


def communes_chart(d: Dashboard) -> Markup:
    """Per commune: the share of its obliged facilities meeting the target in the month (excused rate)."""
    return bar_chart(
        [group_name("commune", name) for name, _c in d.by_commune],
        [_share(c["meets_excused"], c["obliged"]) for _n, c in d.by_commune],
        title=_("Share meeting the completeness target by commune, %(month)s", month=month_text(d.month)),
        value_format=rate_text,
    )
