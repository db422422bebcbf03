"""``flask telemetry completeness --json`` against a hand-computed case; hourly means from rollups.

The station NT1 requires pH and COD and is expected from 10:00 on 2026-01-15; figures are
taken as of 12:00, so 24 slots (10:00 to 12:00) are expected:

- 10:00-10:55: pH and COD valid in every slot (pH at 10:37:59 belongs to the slot 10:35);
- 11:00-11:25: pH valid only;
- 11:30: COD calibrating (status 01) only;
- 11:45: TSS (not required) only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.stations.models import ExcuseWindow
from app.telemetry.figures import hourly_means, parameters_hourly_means, station_completeness
from app.telemetry.slots import LOCAL_TZ
from tests.telemetry.ingest_helpers import at, completeness, file_name, ingest, line, new_station, run, write

PERIOD = ("--station", "nt1", "--from", "2026-01-15", "--to", "2026-01-15")


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@pytest.fixture
def station(app, tmp_path):
    station = new_station("NT1", parameters=["COD", "pH"], data_expected_from=at(10, 0))
    for minute in range(0, 60, 5):
        moment = at(10, minute)
        ph_time = at(10, 37, 59) if minute == 35 else moment
        write(
            tmp_path,
            file_name("NT1", moment),
            [line("pH", f"7.{minute}", ph_time), line("COD", f"4{minute}", moment)],
        )
    for minute in range(0, 30, 5):
        write(tmp_path, file_name("NT1", at(11, minute)), [line("pH", f"6.{minute}", at(11, minute))])
    write(tmp_path, file_name("NT1", at(11, 30)), [line("COD", "50", at(11, 30), status="01")])
    write(tmp_path, file_name("NT1", at(11, 45)), [line("TSS", "12", at(11, 45))])
    report = ingest(app, tmp_path)
    assert (report["accepted"], report["readings"]) == (20, 32)
    return station


def test_raw_figures_match_the_hand_computed_case(app, station):
    figures = completeness(app, *PERIOD, "--as-of", "2026-01-15T12:00")

    assert (figures["station"], figures["from"], figures["to"], figures["excused"]) == (
        "NT1",
        "2026-01-15",
        "2026-01-15",
        False,
    )
    assert (figures["expected_slots"], figures["data_slots"]) == (24, 20)
    assert rounded(figures["connection_rate"]) == rounded(20 / 24) == 0.833333
    assert rounded(figures["transmission_rate"]) == rounded((18 / 24 + 13 / 24) / 2) == 0.645833
    assert rounded(figures["validity_rate"]) == rounded((1 + 12 / 13) / 2) == 0.961538
    assert rounded(figures["effective_rate"]) == rounded((18 / 24 + 12 / 24) / 2) == 0.625
    assert (figures["gaps_over_1h"], figures["longest_gap_slots"]) == (0, 2)
    assert figures["gaps"] == [
        {"start": "2026-01-15T11:35:00+07:00", "end": "2026-01-15T11:45:00+07:00", "slots": 2},
        {"start": "2026-01-15T11:50:00+07:00", "end": "2026-01-15T12:00:00+07:00", "slots": 2},
    ]
    assert list(figures["parameters"]) == ["pH", "COD"]
    ph, cod = figures["parameters"]["pH"], figures["parameters"]["COD"]
    assert (ph["expected"], ph["received"], ph["valid"]) == (24, 18, 18)
    assert (rounded(ph["transmission_rate"]), ph["validity_rate"], ph["effective_rate"]) == (0.75, 1.0, 0.75)
    assert ph["gaps"] == [
        {"start": "2026-01-15T11:30:00+07:00", "end": "2026-01-15T12:00:00+07:00", "slots": 6}
    ]
    assert (cod["expected"], cod["received"], cod["valid"]) == (24, 13, 12)
    assert rounded(cod["transmission_rate"]) == 0.541667
    assert rounded(cod["validity_rate"]) == 0.923077
    assert cod["effective_rate"] == 0.5
    assert cod["gaps"] == [
        {"start": "2026-01-15T11:00:00+07:00", "end": "2026-01-15T11:30:00+07:00", "slots": 6},
        {"start": "2026-01-15T11:35:00+07:00", "end": "2026-01-15T12:00:00+07:00", "slots": 5},
    ]


def test_excused_figures_remove_the_slots_of_approved_windows_only(app, station):
    db.session.add_all(
        [
            ExcuseWindow(
                station_id=station.id,
                kind="maintenance",
                status="approved",
                starts_at=at(11, 30),
                expected_end_at=at(13, 0),
                ends_at=at(12, 0),
                reason="calibration",
            ),
            ExcuseWindow(
                station_id=station.id,
                kind="incident",
                status="pending",
                starts_at=at(10, 0),
                expected_end_at=at(11, 0),
                reason="not approved yet",
            ),
        ]
    )
    db.session.flush()

    figures = completeness(app, *PERIOD, "--as-of", "2026-01-15 12:00", "--excused")
    raw = completeness(app, *PERIOD, "--as-of", "2026-01-15 12:00")

    assert figures["excused"] is True and raw["expected_slots"] == 24
    assert (figures["expected_slots"], figures["data_slots"], figures["connection_rate"]) == (18, 18, 1.0)
    assert rounded(figures["transmission_rate"]) == rounded((1 + 12 / 18) / 2) == 0.833333
    assert figures["validity_rate"] == 1.0
    assert rounded(figures["effective_rate"]) == 0.833333
    assert figures["gaps"] == [] and figures["longest_gap_slots"] == 0
    cod = figures["parameters"]["COD"]
    assert (cod["expected"], cod["received"], cod["valid"]) == (18, 12, 12)
    assert cod["gaps"] == [
        {"start": "2026-01-15T11:00:00+07:00", "end": "2026-01-15T11:30:00+07:00", "slots": 6}
    ]


def test_as_of_clips_the_expected_window_and_defaults_to_now(app, station):
    figures = completeness(app, *PERIOD, "--as-of", "2026-01-15T11:00")

    assert (figures["expected_slots"], figures["data_slots"], figures["effective_rate"]) == (12, 12, 1.0)
    assert figures["gaps"] == []
    now = completeness(app, *PERIOD)
    assert now["expected_slots"] == 14 * 12, "the whole day from 10:00 lies in the past"


def test_the_cli_and_the_service_give_the_same_figures(app, station):
    as_of = datetime(2026, 1, 15, 12, tzinfo=LOCAL_TZ)
    day = as_of.date()

    assert station_completeness(station, day, day, as_of) == completeness(
        app, *PERIOD, "--as-of", "2026-01-15T12:00"
    )


def test_hourly_means_need_enough_valid_slots(app, station):
    hours = hourly_means(station, "pH", at(0).date(), at(0).date(), min_valid_slots=9)

    assert len(hours) == 24 and hours[10].start == at(10, 0)
    assert (hours[10].valid_slots, hours[10].readings) == (12, 12)
    expected = sum(float(f"7.{minute}") for minute in range(0, 60, 5)) / 12
    assert hours[10].mean == pytest.approx(expected)
    assert (hours[11].valid_slots, hours[11].mean) == (6, None), "6 of 12 slots: no mean"
    assert hourly_means(station, "pH", at(0).date(), at(0).date(), min_valid_slots=6)[
        11
    ].mean == pytest.approx(sum(float(f"6.{minute}") for minute in range(0, 30, 5)) / 6)
    assert all(hour.mean is None for hour in hours[:10] + hours[12:])
    # The default threshold is the setting (9 of 12).
    assert [hour.mean is not None for hour in hourly_means(station, "pH", at(0).date(), at(0).date())] == [
        hour.mean is not None for hour in hours
    ]


def test_several_parameters_at_once_give_each_parameters_own_hours(app, station):
    day_from, day_to = at(0).date() - timedelta(days=1), at(0).date()

    found = parameters_hourly_means(station, ["pH", "COD", "pH", "NOPE"], day_from, day_to, min_valid_slots=6)

    assert list(found) == ["pH", "COD", "NOPE"]
    for parameter in ("pH", "COD", "NOPE"):
        assert found[parameter] == hourly_means(station, parameter, day_from, day_to, min_valid_slots=6)
        assert len(found[parameter]) == 48
    assert any(hour.mean is not None for hour in found["pH"]) and any(
        h.mean is not None for h in found["COD"]
    )
    assert all(hour.mean is None and hour.readings == 0 for hour in found["NOPE"] + found["pH"][:24])


def test_a_station_without_data_expected_from_has_no_expected_slots(app):
    new_station("NT5", parameters=["pH"])
    figures = completeness(app, "--station", "NT5", "--from", "2026-01-01", "--to", "2026-01-31")

    assert figures["expected_slots"] == 0 and figures["connection_rate"] is None
    assert figures["parameters"]["pH"]["transmission_rate"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--station", "NOPE", "--from", "2026-01-15", "--to", "2026-01-15"), "unknown station"),
        (("--station", "NT1", "--from", "2026-1-15", "--to", "2026-01-15"), "malformed date"),
        (("--station", "NT1", "--from", "2026-01-15", "--to", "2026-02-30"), "malformed date"),
        (("--station", "NT1", "--from", "2026-01-16", "--to", "2026-01-15"), "after"),
        (
            ("--station", "NT1", "--from", "2026-01-15", "--to", "2026-01-15", "--as-of", "2026-01-15"),
            "malformed",
        ),
        (
            ("--station", "NT1", "--from", "2026-01-15", "--to", "2026-01-15", "--as-of", "15/01/2026 10:00"),
            "malformed",
        ),
        (("--from", "2026-01-15", "--to", "2026-01-15"), "--station"),
    ],
)
def test_bad_arguments_exit_1_with_one_line_on_stderr(app, args, message):
    new_station("NT1")
    result = run(app, "completeness", *args, "--json")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
