"""``flask public aqi``: an ambient station's VN_AQI of one day, the figures the public page shows.

``flask public aqi --station CTKK01 [--day YYYY-MM-DD] [--json]`` prints the daily AQI
and the 24 hourly AQIs of the local day (default: yesterday), or with ``--json``
``{"station", "day", "rules_version", "rules_verified", "daily": INDEX, "hours":
[{"start": ISO, **INDEX}, ...]}`` where INDEX is ``{"aqi", "band", "dominant",
"by_parameter"}``. Exit 1 with a one-line reason (in Vietnamese) on stderr for an
unknown station, a station that is not an ambient one, a malformed day or no rule data.

``flask public aqi-rules [--json]`` lists the VN_AQI rule versions;
``flask public aqi-rules-record FILE.json --valid-from DAY --source TEXT --reason TEXT
[--confidence confirmed|to_verify]`` records a new version that supersedes the one in
force (the file holds the ``data`` object of ``aqi-rules --json``).
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from typing import Any, NoReturn

import click
from flask.cli import AppGroup

from app.db import commit, utcnow
from app.errors import DomainError
from app.public import aqi_rules as aqi_rule_services
from app.public.air_services import station_air
from app.public.aqi import Index
from app.public.services import aqi_rules
from app.stations.services import find_station
from app.telemetry.slots import local_day, to_local

public_cli = AppGroup("public", help="The public disclosure page: VN_AQI of ambient stations.")


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def index_json(index: Index) -> dict[str, Any]:
    """An index with the keys of the command's JSON."""
    return {
        "aqi": index.aqi,
        "band": index.band.label if index.band else None,
        "dominant": index.dominant,
        "by_parameter": dict(index.by_parameter),
    }


def _day(text: str | None) -> date:
    if text is None:
        return local_day(utcnow()) - timedelta(days=1)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        _fail(f"Ngày không hợp lệ: {text!r}. Ghi theo dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ 2026-12-05.")


@public_cli.command("aqi")
@click.option("--station", "code", required=True, help="Ambient station code (any case).")
@click.option("--day", "day_text", help="Local day YYYY-MM-DD (default: yesterday).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def aqi_command(code: str, day_text: str | None, as_json: bool) -> None:
    """Print an ambient station's daily and hourly VN_AQI of one day."""
    day = _day(day_text)
    station = find_station(code)
    if station is None:
        _fail(f"Không có trạm mã {code!r}.")
    if station.kind != "ambient":
        _fail(f"Trạm {station.code} không phải trạm quan trắc không khí xung quanh: không tính VN_AQI.")
    found = aqi_rules(day)
    if found is None:
        _fail(f"Không có bộ dữ liệu quy định VN_AQI nào có hiệu lực ngày {day:%d/%m/%Y}.")
    rules, version = found
    air = station_air(station, rules, day, day)
    result = {
        "station": station.code,
        "day": day.isoformat(),
        "rules_version": version.id,
        "rules_verified": version.is_verified,
        "daily": index_json(air.days[0].index),
        "hours": [{"start": to_local(h.start).isoformat(), **index_json(h.index)} for h in air.hours],
    }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    daily = result["daily"]
    click.echo(
        f"{station.code} {day:%d/%m/%Y}: AQI ngày {daily['aqi'] or '—'} {daily['band'] or ''}".rstrip()
    )
    for hour in result["hours"]:
        click.echo(f"  {hour['start'][11:16]}  {hour['aqi'] or '—'} {hour['band'] or ''}".rstrip())


def version_json(version) -> dict[str, Any]:
    """A rule version with the keys of ``aqi-rules --json``."""
    return {
        "id": version.id,
        "valid_from": version.valid_from.isoformat(),
        "valid_to": version.valid_to.isoformat() if version.valid_to else None,
        "confidence": version.confidence,
        "source": version.source,
        "supersedes": version.supersedes_id,
        "data": version.data,
    }


@public_cli.command("aqi-rules")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def aqi_rules_command(as_json: bool) -> None:
    """List the VN_AQI rule versions on record."""
    found = [version_json(v) for v in aqi_rule_services.versions()]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    for v in found:
        until = v["valid_to"] or "…"
        click.echo(f"#{v['id']}  {v['valid_from']} → {until}  {v['confidence']}  {v['source']}")


@public_cli.command("aqi-rules-record")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--valid-from", "valid_from", required=True, help="First local day YYYY-MM-DD.")
@click.option("--source", required=True, help="The text the values were read in.")
@click.option("--confidence", default="to_verify", show_default=True, help="confirmed or to_verify.")
@click.option("--reason", required=True, help="Why the values change.")
def aqi_rules_record_command(path: str, valid_from: str, source: str, confidence: str, reason: str) -> None:
    """Record a new VN_AQI rule version from a JSON file (the layout of ``aqi-rules --json``'s data)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        _fail(f"Không đọc được tệp {path}: {error.strerror}.")
    except (ValueError, UnicodeDecodeError) as error:
        _fail(f"Tệp {path} không phải JSON hợp lệ: {error}.")
    day = _day(valid_from)
    try:
        version = aqi_rule_services.record_version(data, day, source, confidence, reason)
    except DomainError as error:
        _fail(str(error))
    commit()
    click.echo(json.dumps(version_json(version), ensure_ascii=False))
