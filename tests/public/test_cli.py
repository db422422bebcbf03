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
