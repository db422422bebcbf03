"""The VN_AQI rule data as first recorded (Decision 1459/QĐ-TCMT of 12/11/2019, as remembered).

This is the seed of the ``aqi_rule_versions`` table (migration 0008): the index
breakpoints, each parameter's concentration breakpoints (µg/m³), the six bands, the
NowCast weighting and the data sufficiency rules. Every value other than the bands
and their colours is marked *to verify* against the decision's annex; a correction
is a new version of the table's row, never an edit of this seed.
"""

from __future__ import annotations

from typing import Any

# The decision itself, its bands and colours: confirmed. The rest: to verify.
SOURCE = "Quyết định 1459/QĐ-TCMT ngày 12/11/2019 (Tổng cục Môi trường)"


def seed_aqi() -> dict[str, Any]:
    """The first version of the VN_AQI data."""
    return {
        "index_breakpoints": [0, 50, 100, 150, 200, 300, 400, 500],
        # parameter code -> averaging -> concentrations (µg/m³) at the index breakpoints.
        "tables": {
            "O3": {
                "1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
                # Only up to index 300; above 400 µg/m³ the 1-hour table applies.
                "8h": [0, 100, 120, 170, 210, 400],
            },
            "CO": {"1h": [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000]},
            "SO2": {"1h": [0, 125, 350, 550, 800, 1600, 2100, 2630]},
            "NO2": {"1h": [0, 100, 200, 700, 1200, 2350, 3100, 3850]},
            "PM10": {"24h": [0, 50, 150, 250, 350, 420, 500, 600]},
            "PM2_5": {"24h": [0, 25, 50, 80, 150, 250, 350, 500]},
        },
        # The parameters of which at least one must have an index for an AQI to exist.
        "required_any": ["PM10", "PM2_5"],
        # Upper index of each band (the last has none), its quality, its colour (RGB).
        "bands": [
            {"upper": 50, "label": "Tốt", "colour": [0, 228, 0]},
            {"upper": 100, "label": "Trung bình", "colour": [255, 255, 0]},
            {"upper": 150, "label": "Kém", "colour": [255, 126, 0]},
            {"upper": 200, "label": "Xấu", "colour": [255, 0, 0]},
            {"upper": 300, "label": "Rất xấu", "colour": [143, 63, 151]},
            {"upper": None, "label": "Nguy hại", "colour": [126, 0, 35]},
        ],
        # Hourly PM: NowCast over the last ``hours`` hours, w = max(cmin/cmax, min_weight),
        # needing ``recent_min`` of the last ``recent_hours`` hours.
        "nowcast": {"hours": 12, "min_weight": 0.5, "recent_hours": 3, "recent_min": 2},
        # Daily: PM is the 24-hour mean of hourly means, a gas the highest hourly index;
        # each needs this many hours of the day with a value.
        "daily_min_hours": {"PM": 18, "gas": 18},
        # O3's 8-hour mean needs this many of its 8 hours.
        "o3_8h_min_hours": 6,
        # Interpolated indexes are rounded half up to an integer.
        "rounding": "half_up",
    }
