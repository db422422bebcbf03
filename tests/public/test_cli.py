"""``flask public aqi``: the VN_AQI of the public page for one station and day; clear refusals."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from tests.public.test_pages import text_of


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["public", "aqi", *args])


def test_the_cli_gives_the_daily_and_hourly_aqi_the_page_shows(app, client, switched_on, ambient, today):
    yesterday = today - timedelta(days=1)
    result = run(app, "--station", "pubkk1", "--day", yesterday.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert list(found) == ["station", "day", "rules_version", "rules_verified", "daily", "hours"]
    assert (found["station"], found["day"], found["rules_verified"]) == (
        "PUBKK1",
        yesterday.isoformat(),
        False,
    )
    assert found["daily"] == {
        "aqi": 80,
        "band": "Trung bình",
        "dominant": "PM2_5",
        "by_parameter": {"NO2": 75, "PM2_5": 80},
    }
    assert len(found["hours"]) == 24
    # The first hours of the data (the day before has none): NowCast needs 2 of the last 3 hours.
    assert [h["aqi"] for h in found["hours"][:3]] == [None, 80, 80]
    assert found["hours"][0]["by_parameter"] == {"NO2": 75}
    page = text_of(client.get("/public/air/PUBKK1"))
    row = re.search(yesterday.strftime("%d/%m/%Y") + r"</th>(.*?)</tr>", page, re.S).group(1)
    assert f'data-aqi="{found["daily"]["aqi"]}"' in row


def test_bad_input_is_refused_with_a_reason(app, ambient, obliged):
    cases = [
        (("--station", "NO-SUCH"), "Không có trạm mã 'NO-SUCH'."),
        (("--station", "PUBNT1"), "không phải trạm quan trắc không khí xung quanh"),
        (("--station", "PUBKK1", "--day", "2026-13-01"), "Ngày không hợp lệ: '2026-13-01'"),
        (("--station", "PUBKK1", "--day", "2010-01-01"), "Không có bộ dữ liệu quy định VN_AQI"),
    ]
    for args, message in cases:
        result = run(app, *args)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)


def record(app, tmp_path, data, *args: str):
    path = tmp_path / "aqi.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return app.test_cli_runner().invoke(args=["public", "aqi-rules-record", str(path), *args])


def test_a_corrected_version_supersedes_the_seed_and_changes_the_index(app, tmp_path, ambient, today):
    listed = json.loads(app.test_cli_runner().invoke(args=["public", "aqi-rules", "--json"]).stdout)
    assert [(v["valid_from"], v["valid_to"], v["confidence"]) for v in listed] == [
        ("2019-11-12", None, "to_verify")
    ]
    data = listed[0]["data"]
    data["tables"]["PM2_5"]["24h"] = [0, 20, 40, 80, 150, 250, 350, 500]
    yesterday = today - timedelta(days=1)
    result = record(
        app,
        tmp_path,
        data,
        "--valid-from",
        yesterday.isoformat(),
        "--source",
        "Phụ lục QĐ 1459 (bản chính thức)",
        "--confidence",
        "confirmed",
        "--reason",
        "Đối chiếu phụ lục",
    )
    assert result.exit_code == 0, result.output + result.stderr
    new = json.loads(result.stdout)
    assert (new["valid_from"], new["confidence"], new["supersedes"]) == (
        yesterday.isoformat(),
        "confirmed",
        listed[0]["id"],
    )
    listed = json.loads(app.test_cli_runner().invoke(args=["public", "aqi-rules", "--json"]).stdout)
    assert listed[0]["valid_to"] == (yesterday - timedelta(days=1)).isoformat()
    # PM2.5 40 µg/m³ is now the breakpoint of 100; the day before keeps the old version (80).
    found = json.loads(run(app, "--station", "PUBKK1", "--day", yesterday.isoformat(), "--json").stdout)
    assert (found["daily"]["aqi"], found["rules_verified"]) == (100, True)
    earlier = json.loads(
        run(app, "--station", "PUBKK1", "--day", (yesterday - timedelta(days=1)).isoformat(), "--json").stdout
    )
    assert earlier["rules_version"] == listed[0]["id"]


def test_an_inconsistent_version_is_refused_and_nothing_is_recorded(app, tmp_path):
    data = json.loads(app.test_cli_runner().invoke(args=["public", "aqi-rules", "--json"]).stdout)[0]["data"]
    data["tables"]["NO2"]["1h"] = [0, 100, 90]
    result = record(app, tmp_path, data, "--valid-from", "2026-01-01", "--source", "x", "--reason", "y")
    assert result.exit_code == 1
    assert "NO2 1h: các ngưỡng phải tăng dần" in result.stderr
    data["tables"]["NO2"]["1h"] = [0, 100, 200, 700, 1200, 2350, 3100, 3850]
    del data["bands"]
    result = record(app, tmp_path, data, "--valid-from", "2026-01-01", "--source", "x", "--reason", "y")
    assert "thiếu khóa 'bands'" in result.stderr
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=[
            "public",
            "aqi-rules-record",
            str(tmp_path / "bad.json"),
            "--valid-from",
            "2026-01-01",
            "--source",
            "x",
            "--reason",
            "y",
        ]
    )
    assert result.exit_code == 1 and "không phải JSON hợp lệ" in result.stderr
    listed = json.loads(app.test_cli_runner().invoke(args=["public", "aqi-rules", "--json"]).stdout)
    assert len(listed) == 1 and listed[0]["valid_to"] is None
