"""A station's data: the month's figures, calendar, gaps, exceedances and value charts; its faulty lines.

Routes of the ``station_data`` blueprint (under ``/stations``):

- ``/stations/<code>/data?month=YYYY-MM`` the station's data section for a month, with a
  chart (``parameter``, ``day``, ``span`` = day or week) of raw readings;
- ``/stations/<code>/chart?parameter=COD&day=2026-01-15&span=day|week`` that chart as SVG;
- ``/stations/<code>/errors`` its line errors and conflicts, latest first, paginated.

The station page shows a short summary through the ``station_receipt`` template global
(``templates/telemetry/station_section.html``). Enterprise users see their own stations
only (another enterprise's station is a 404); staff see every station.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from app.auth.access import any_user
from app.charts.svg import month_calendar
from app.db import utcnow
from app.errors import NotFound
from app.extensions import db
from app.formatting import format_percent
from app.settings.services import get as setting
from app.stations import services as station_services
from app.stations.models import Station
from app.telemetry import station_data
from app.telemetry.exceedances import station_exceedances, station_limits, station_parameters
from app.telemetry.slots import to_local
from app.telemetry.views import LINE_ERROR_LABELS, OUTCOME_LABELS

bp = Blueprint("station_data", __name__, url_prefix="/stations")

PER_PAGE = 25
GAPS_SHOWN = 60


def _station_or_404(code: str) -> Station:
    try:
        return station_services.visible_station(code)
    except NotFound:
        abort(404)


@bp.app_template_filter("fraction_percent")
def fraction_percent(value: Fraction | None) -> str:
    """An exact rate as a percentage rounded half up to one decimal (``—`` when null)."""
    return "—" if value is None else format_percent(value, 1)


@bp.app_template_global("station_receipt")
def station_receipt(station: Station) -> dict[str, Any]:
    """For the station page: the last file received and this month's effective rates, raw and excused."""
    now = utcnow()
    first, last = station_data.month_bounds(None, to_local(now).date())
    month = station_data.month_figures(station, first, last, now)
    return {
        "last_file": station_data.last_file(station),
        "outcome_labels": OUTCOME_LABELS,
        "month": month,
        "raw": station_data.station_rates(month.raw),
        "excused": station_data.station_rates(month.excused),
    }


def _weekdays() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _calendars(station: Station, first: date, last: date, now: datetime) -> dict[str, Any]:
    daily = station_data.daily_effective(station, first, last, now)
    target = float(setting("threshold.completeness_target"))
    titles = {False: _("Daily effective rate, raw"), True: _("Daily effective rate, excused")}
    return {
        "raw" if not excused else "excused": month_calendar(
            first.year,
            first.month,
            daily[excused],
            title=titles[excused],
            target=target,
            weekday_names=_weekdays(),
        )
        for excused in (False, True)
    }


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _default_day(station: Station, first: date, last: date, today: date) -> date:
    if station.last_reading_at is not None:
        seen = to_local(station.last_reading_at).date()
        if first <= seen <= last:
            return seen
    return min(last, today) if first <= today else last


def _chart(station: Station, parameters: list[str], first: date, last: date, today: date):
    args = request.args
    parameter = args.get("parameter") if args.get("parameter") in parameters else None
    parameter = parameter or (parameters[0] if parameters else None)
    if parameter is None:
        return None
    span = args.get("span") if args.get("span") in station_data.SPANS else "day"
    day = _day(args.get("day")) or _default_day(station, first, last, today)
    return station_data.value_chart(station, parameter, day, span, _chart_title(station, parameter))


def _chart_title(station: Station, parameter: str) -> str:
    return _("%(parameter)s at %(station)s", parameter=parameter, station=station.code)


def _months(first: date) -> tuple[str, str]:
    previous = (first - timedelta(days=1)).strftime("%Y-%m")
    following = (first.replace(day=28) + timedelta(days=4)).strftime("%Y-%m")
    return previous, following


@bp.route("/<code>/data", endpoint="data")
@any_user
def data(code: str):
    """The station's data for a month: figures raw and excused, calendar, gaps, exceedances, a chart."""
    station = _station_or_404(code)
    now = utcnow()
    today = to_local(now).date()
    try:
        first, last = station_data.month_bounds(request.args.get("month"), today)
    except ValueError:
        abort(400)
    month = station_data.month_figures(station, first, last, now)
    gaps_variant = "excused" if request.args.get("gaps") == "excused" else "raw"
    gaps = station_data.gap_rows(getattr(month, gaps_variant)["gaps"])
    long_only = request.args.get("long") == "1"
    if long_only:
        gaps = [gap for gap in gaps if gap.is_long]
    parameters = station_parameters(station, first, last)
    exceedances = station_exceedances(station, first, last, now)
    exceedance_days = sorted({day for series in exceedances.series for day in series.days})
    return render_template(
        "telemetry/station_data.html",
        station=station,
        observed=station_services.observe([station], now)[station.id],
        last_file=station_data.last_file(station),
        outcome_labels=OUTCOME_LABELS,
        month=month,
        month_arg=first.strftime("%Y-%m"),
        months=_months(first),
        rates={
            "raw": station_data.station_rates(month.raw),
            "excused": station_data.station_rates(month.excused),
        },
        parameter_rates=station_data.parameter_rates,
        calendars=_calendars(station, first, last, now),
        gaps=gaps[:GAPS_SHOWN],
        gaps_hidden=max(len(gaps) - GAPS_SHOWN, 0),
        gaps_variant=gaps_variant,
        long_only=long_only,
        exceedances=exceedances,
        exceedance_days=exceedance_days,
        limits=station_limits(station, first, last),
        parameters=parameters,
        chart=_chart(station, parameters, first, last, today),
    )


@bp.route("/<code>/chart", endpoint="chart")
@any_user
def chart(code: str):
    """A parameter's readings over a day or a week as SVG, calibration and error periods marked."""
    station = _station_or_404(code)
    span = request.args.get("span") or "day"
    day = _day(request.args.get("day")) if request.args.get("day") else to_local(utcnow()).date()
    if span not in station_data.SPANS or day is None:
        abort(400)
    start, end = station_data.chart_window(day, span)
    parameter = request.args.get("parameter") or next(iter(station.parameters or ()), None)
    if parameter not in station_parameters(station, start.date(), (end - timedelta(days=1)).date()):
        abort(404)
    drawn = station_data.value_chart(station, parameter, day, span, _chart_title(station, parameter))
    return Response(str(drawn.svg), mimetype="image/svg+xml")


@bp.route("/<code>/errors", endpoint="errors")
@any_user
def errors(code: str):
    """The station's line errors and conflicting readings, latest first, each list paginated."""
    station = _station_or_404(code)
    line_errors = db.paginate(
        station_data.line_errors_query(station),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    conflicts = db.paginate(
        station_data.conflicts_query(station),
        page=request.args.get("conflicts_page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    file_ids = [row.file_id for row in line_errors.items] + [row.file_id for row in conflicts.items]
    return render_template(
        "telemetry/station_errors.html",
        station=station,
        line_errors=line_errors,
        conflicts=conflicts,
        files=station_data.files_by_id(file_ids),
        line_error_labels=LINE_ERROR_LABELS,
    )
