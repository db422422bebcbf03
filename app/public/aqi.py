"""VN_AQI of ambient stations: pure computation on hourly means (regulation.md, "Ambient stations").

Every number comes from the rule data (``AqiRules``, built from a stored version of
``aqi_data.seed_aqi``): the breakpoints, the bands, the NowCast weighting and the
sufficiency rules. Inputs are hourly means in µg/m³ per parameter, one value (or
None, "no mean") per consecutive local hour.

- A parameter's index: linear interpolation inside its band of breakpoints, rounded
  half up; above the last breakpoint the last segment is extended.
- Hourly: gases from their hourly mean (1-hour table); PM10/PM2.5 from the NowCast of
  the last 12 hours (24-hour table), which needs 2 of the last 3 hours.
- Daily: PM from the mean of the day's hourly means (at least 18 hours), a gas the
  highest hourly index of the day (at least 18 hours), O3 also from its highest
  8-hour mean (8-hour table while it lasts, the 1-hour table above it).
- The AQI is the highest index over parameters, and exists only when PM10 or PM2.5
  has one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

PM = ("PM10", "PM2_5")
HOURS_PER_DAY = 24
O3_8H_HOURS = 8


@dataclass(frozen=True)
class Band:
    """One of the six quality bands: indexes up to ``upper`` (None: no upper bound)."""

    upper: int | None
    label: str
    colour: tuple[int, int, int]

    @property
    def hex(self) -> str:
        """The colour as ``#rrggbb``."""
        return "#{:02x}{:02x}{:02x}".format(*self.colour)

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on the band's colour."""
        red, green, blue = self.colour
        return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


@dataclass(frozen=True)
class AqiRules:
    """The VN_AQI rule data of one version."""

    index_breakpoints: tuple[float, ...]
    tables: Mapping[str, Mapping[str, tuple[float, ...]]]
    required_any: tuple[str, ...]
    bands: tuple[Band, ...]
    nowcast_hours: int
    nowcast_min_weight: float
    nowcast_recent_hours: int
    nowcast_recent_min: int
    daily_min_hours_pm: int
    daily_min_hours_gas: int
    o3_8h_min_hours: int

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameters with a table, in the data's order."""
        return tuple(self.tables)


def _increasing(values: Sequence[float], what: str) -> tuple[float, ...]:
    found = tuple(float(v) for v in values)
    if len(found) < 2 or any(b <= a for a, b in zip(found, found[1:], strict=False)):
        raise ValueError(f"{what}: các ngưỡng phải tăng dần")
    return found


def rules_from_data(data: Mapping[str, Any]) -> AqiRules:
    """Build the rules from stored data; raise ValueError when the data are inconsistent."""
    index = _increasing(data["index_breakpoints"], "index")
    tables: dict[str, dict[str, tuple[float, ...]]] = {}
    for parameter, averagings in data["tables"].items():
        tables[parameter] = {}
        for averaging, values in averagings.items():
            found = _increasing(values, f"{parameter} {averaging}")
            if len(found) > len(index):
                raise ValueError(f"{parameter} {averaging}: nhiều ngưỡng hơn thang chỉ số")
            tables[parameter][averaging] = found
    bands = tuple(
        Band(b["upper"], b["label"], (int(b["colour"][0]), int(b["colour"][1]), int(b["colour"][2])))
        for b in data["bands"]
    )
    if not bands or bands[-1].upper is not None:
        raise ValueError("bands: mức cuối cùng không có giới hạn trên (upper = null)")
    nowcast, daily = data["nowcast"], data["daily_min_hours"]
    return AqiRules(
        index_breakpoints=index,
        tables=tables,
        required_any=tuple(data["required_any"]),
        bands=bands,
        nowcast_hours=int(nowcast["hours"]),
        nowcast_min_weight=float(nowcast["min_weight"]),
        nowcast_recent_hours=int(nowcast["recent_hours"]),
        nowcast_recent_min=int(nowcast["recent_min"]),
        daily_min_hours_pm=int(daily["PM"]),
        daily_min_hours_gas=int(daily["gas"]),
        o3_8h_min_hours=int(data["o3_8h_min_hours"]),
    )


def _round(value: float) -> int:
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sub_index(
    concentration: float | None, breakpoints: Sequence[float], index: Sequence[float]
) -> int | None:
    """The index of a concentration against a table (None for no value or a negative one)."""
    if concentration is None or concentration < 0:
        return None
    last = len(breakpoints) - 1
    segment = next((i for i in range(last) if concentration <= breakpoints[i + 1]), last - 1)
    low_c, high_c = breakpoints[segment], breakpoints[segment + 1]
    low_i, high_i = index[segment], index[segment + 1]
    return _round(low_i + (high_i - low_i) * (concentration - low_c) / (high_c - low_c))


def band_of(aqi: int, rules: AqiRules) -> Band:
    """The band an index falls in."""
    return next(b for b in rules.bands if b.upper is None or aqi <= b.upper)


def nowcast(latest_first: Sequence[float | None], rules: AqiRules) -> float | None:
    """The NowCast of hourly means given latest first (``latest_first[0]`` is the current hour)."""
    window = list(latest_first[: rules.nowcast_hours])
    recent = [v for v in window[: rules.nowcast_recent_hours] if v is not None]
    if len(recent) < rules.nowcast_recent_min:
        return None
    present = [(i, v) for i, v in enumerate(window) if v is not None]
    highest, lowest = max(v for _, v in present), min(v for _, v in present)
    if highest <= 0:
        return 0.0
    weight = max(lowest / highest, rules.nowcast_min_weight)
    return sum(weight**i * v for i, v in present) / sum(weight**i for i, _ in present)


@dataclass(frozen=True)
class Index:
    """An AQI with its band, the index of each parameter and the parameter that set it."""

    aqi: int | None
    by_parameter: Mapping[str, int]
    dominant: str | None
    band: Band | None


def combine(by_parameter: Mapping[str, int | None], rules: AqiRules) -> Index:
    """The AQI of parameter indexes: the highest, when a required parameter (PM) has one."""
    found = {p: v for p, v in by_parameter.items() if v is not None}
    if not any(p in found for p in rules.required_any):
        return Index(None, found, None, None)
    dominant = max(found, key=lambda p: (found[p], -list(rules.tables).index(p)))
    return Index(found[dominant], found, dominant, band_of(found[dominant], rules))


def _hourly_parameter(
    parameter: str, values: Sequence[float | None], hour: int, rules: AqiRules
) -> int | None:
    table = rules.tables[parameter]
    if parameter in PM:
        start = max(0, hour - rules.nowcast_hours + 1)
        concentration = nowcast(list(reversed(values[start : hour + 1])), rules)
        return sub_index(concentration, table["24h"], rules.index_breakpoints)
    return sub_index(values[hour], table["1h"], rules.index_breakpoints)


def hourly_indexes(
    series: Mapping[str, Sequence[float | None]], rules: AqiRules, first_hour: int = 0
) -> list[Index]:
    """The hourly AQI of consecutive hourly means (same length for each parameter), from ``first_hour`` on.

    Hours before ``first_hour`` still count for the NowCast of the hours after it.
    """
    length = max((len(v) for v in series.values()), default=0)
    wanted = [p for p in rules.parameters if p in series]
    return [
        combine({p: _hourly_parameter(p, series[p], hour, rules) for p in wanted}, rules)
        for hour in range(max(first_hour, 0), length)
    ]


def _mean(values: Sequence[float | None], minimum: int) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present and len(present) >= minimum else None


def _o3_daily(values: Sequence[float | None], hourly: Sequence[int | None], rules: AqiRules) -> int | None:
    """O3 of a day: its highest hourly index, or of its highest 8-hour mean if higher."""
    day = values[-HOURS_PER_DAY:]
    if sum(v is not None for v in day) < rules.daily_min_hours_gas:
        return None
    found = [i for i in hourly[-HOURS_PER_DAY:] if i is not None]
    eight_hour = rules.tables["O3"].get("8h")
    if eight_hour:
        means = [
            _mean(values[max(0, end - O3_8H_HOURS + 1) : end + 1], rules.o3_8h_min_hours)
            for end in range(len(values) - HOURS_PER_DAY, len(values))
        ]
        top = max((m for m in means if m is not None), default=None)
        if top is not None and top <= eight_hour[-1]:
            found.append(sub_index(top, eight_hour, rules.index_breakpoints))
        elif top is not None:
            found.append(sub_index(top, rules.tables["O3"]["1h"], rules.index_breakpoints))
    return max(found, default=None)


def daily_index(series: Mapping[str, Sequence[float | None]], rules: AqiRules) -> Index:
    """The daily AQI of one local day from its hourly means.

    Each sequence ends with the day's 24 hours; up to 7 hours before it may lead (for
    O3's 8-hour means).
    """
    indexes: dict[str, int | None] = {}
    for parameter in rules.parameters:
        values = series.get(parameter)
        if values is None:
            continue
        day = values[-HOURS_PER_DAY:]
        table = rules.tables[parameter]
        if parameter in PM:
            mean = _mean(day, rules.daily_min_hours_pm)
            indexes[parameter] = sub_index(mean, table["24h"], rules.index_breakpoints)
        elif parameter == "O3":
            hourly = [sub_index(v, table["1h"], rules.index_breakpoints) for v in values]
            indexes[parameter] = _o3_daily(values, hourly, rules)
        else:
            hourly = [sub_index(v, table["1h"], rules.index_breakpoints) for v in day]
            present = [i for i in hourly if i is not None]
            enough = len(present) >= rules.daily_min_hours_gas
            indexes[parameter] = max(present) if enough else None
    return combine(indexes, rules)
