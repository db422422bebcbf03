"""The public disclosure pages (no login), when an administrator has switched them on.

- ``/public/`` facilities under an obligation: stations, status, last month's completeness;
- ``/public/facilities/<code>`` a facility's hourly means of the last 30 days (table and charts);
- ``/public/air`` ambient stations: latest hourly and daily VN_AQI with the six bands;
- ``/public/air/<code>`` an ambient station's hourly AQI (48 hours) and daily AQI (30 days).

Switched off (the default), every page is a 404. A page is kept by each worker for a
few minutes (``app.public.cache``), may be kept as long by browsers and proxies, and
carries an ETag for conditional requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.auth.access import public
from app.charts.svg import Point, coloured_columns, line_chart
from app.compliance.describe import INDUSTRIES
from app.compliance.limits import UNITS
from app.db import utcnow
from app.public import bp, cache
from app.public import services as svc
from app.public.air_services import air_overview, recent_hours
from app.public.aqi import band_of
from app.settings.services import get as setting
from app.telemetry.slots import local_day, to_local

AMBIENT_UNIT = "µg/m³"


@bp.app_template_global("public_page_enabled")
def public_page_enabled() -> bool:
    """For the login page's link: whether the public page is switched on."""
    return svc.is_enabled()


@bp.before_request
def switched_on() -> Response | None:
    """A 404 unless an administrator switched the page on; then the page kept by this worker, if fresh."""
    if not svc.is_enabled():
        abort(404)
    kept = cache.get(_cache_key()) if _is_anonymous() else None
    if kept is None:
        return None
    response = Response(kept[0], mimetype=kept[1])
    response.headers["X-Public-Cache"] = "hit"
    return response


@bp.after_request
def cacheable(response: Response) -> Response:
    """Keep the page a few minutes here, in browsers and in proxies; answer 304 to a matching ETag."""
    if response.status_code != 200:
        return response
    if not _is_anonymous():
        # The page carries the user's name and menu: never kept, nor shared.
        response.headers["Cache-Control"] = "private, no-store"
        return response
    if "X-Public-Cache" not in response.headers:
        cache.put(_cache_key(), response.get_data(), response.mimetype)
    response.headers["Cache-Control"] = f"public, max-age={cache.seconds()}"
    response.vary.add("Cookie")
    response.add_etag()
    response.make_conditional(request)
    return response


def _is_anonymous() -> bool:
    return not current_user.is_authenticated


def _cache_key() -> str:
    return f"{get_locale()}:{request.path}"


@bp.route("/", endpoint="index")
@public
def index():
    """Facilities under an obligation, their stations' status and last full month's completeness."""
    now = utcnow()
    return render_template(
        "public/index.html",
        facilities=svc.facilities_under_obligation(now),
        industries=INDUSTRIES,
        month=svc.last_month(now),
        target=float(setting("threshold.completeness_target")),
        now=now,
    )


def _chart(parameter: str, hours: tuple[datetime, ...], means: tuple[float | None, ...], unit: str) -> Markup:
    points = [Point(h, m) for h, m in zip(hours, means, strict=True) if m is not None]
    return line_chart(
        points,
        hours[0],
        hours[-1] + timedelta(hours=1),
        title=_("%(parameter)s: hourly means", parameter=parameter),
        unit=unit,
        max_step=timedelta(hours=1),
    )


@bp.route("/facilities/<code>", endpoint="facility")
@public
def facility(code: str):
    """A facility's hourly means of the last 30 days, per station, as charts and a table."""
    now = utcnow()
    found = svc.facilities_under_obligation(now, code=code)
    if not found:
        abort(404)
    first, last = svc.public_period(now)
    stations = {}
    for station in svc.serving_stations(code, now):
        hours = svc.station_hours(station, first, last)
        units = {p: UNITS.get(p, "") for p in hours.parameters}
        charts = {p: _chart(p, hours.hours, hours.means[p], units[p]) for p in hours.parameters}
        stations[station.code] = {"hours": hours, "charts": charts, "units": units}
    return render_template(
        "public/facility.html",
        facility=found[0],
        stations=stations,
        first=first,
        last=last,
        now=now,
        industries=INDUSTRIES,
    )


def _band_top(values: list[int | None], rules) -> int | None:
    """The upper index of the band holding the highest value (the chart's scale)."""
    highest = max((v for v in values if v is not None), default=None)
    if highest is None:
        return None
    band = band_of(highest, rules)
    return band.upper or highest


def _aqi_columns(hours, title: str, rules) -> Markup:
    columns = [
        (
            to_local(h.start).strftime("%H:%M %d/%m"),
            h.index.aqi,
            h.index.band.hex if h.index.band else "#ffffff",
        )
        for h in reversed(hours)
    ]
    return coloured_columns(columns, title=title, top_value=_band_top([c[1] for c in columns], rules))


@bp.route("/air", endpoint="air")
@public
def air():
    """Ambient stations with their latest hourly and daily VN_AQI."""
    now = utcnow()
    stations, version = air_overview(now)
    return render_template(
        "public/air.html",
        stations=stations,
        version=version,
        rules=svc.aqi_rules(local_day(now))[0] if version else None,
        now=now,
        today=local_day(now),
    )


@bp.route("/air/<code>", endpoint="air_station")
@public
def air_station(code: str):
    """An ambient station's hourly AQI of the last 48 hours and daily AQI of the last 30 days."""
    now = utcnow()
    stations, version = air_overview(now, code=code)
    if not stations:
        abort(404)
    air = stations[0]
    hours = recent_hours(air, now)
    days = list(reversed(air.days))
    rules = svc.aqi_rules(local_day(now))[0]
    daily = [
        (d.day.strftime("%d/%m"), d.index.aqi, d.index.band.hex if d.index.band else "#fff") for d in air.days
    ]
    return render_template(
        "public/air_station.html",
        air=air,
        hours=hours,
        days=days,
        version=version,
        rules=rules,
        hourly_chart=_aqi_columns(hours, _("Hourly VN_AQI, last 48 hours"), rules),
        daily_chart=coloured_columns(
            daily, title=_("Daily VN_AQI, last 30 days"), top_value=_band_top([d[1] for d in daily], rules)
        ),
        unit=AMBIENT_UNIT,
        now=now,
    )
