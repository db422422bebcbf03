"""The demo's stations as plain data: what each one is, and what its data looks like.

Every connection status of metrics.md is at work on some station at the moment the
demo is built (``status`` says which one each station is meant to show): stations
receiving data up to now, stations whose data stopped hours or days ago, one whose
connection was declared minutes ago, stations installed but not connected, stations
not installed yet, one suspended for repairs, and stations of facilities under no
obligation. Parameters are not listed here: the service takes the ones each
obligation requires (per triggering source for emissions).

Moments are given relative to the build ("days ago", local hour of that day), so
every run shows the same picture. Nothing here touches Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Analysers that are calibrated (status 01 while it runs); flows and temperatures are not.
CALIBRATED = frozenset(
    {"pH", "TSS", "COD", "NH4", "BOD5", "TN", "TP", "COLOR"}
    | {"DUST", "SO2", "NOX", "CO", "O2", "CL2", "HCL", "HF"}
    | {"PM10", "PM2_5", "O3", "NO2"}
)

# Parameters of the department's ambient stations (their own list, no obligation).
AMBIENT_PARAMETERS = ("PM10", "PM2_5", "O3", "NO2", "SO2", "CO", "TEMP_AIR", "HUMIDITY")


@dataclass(frozen=True)
class Episode:
    """A stretch of a station's data: ``days_ago`` (0 is today), local start hour, length in hours.

    ``parameter`` names the analyser concerned (device errors, exceedances);
    ``factor`` is the value as a multiple of the parameter's discharge limit.
    """

    days_ago: int
    hour: float
    hours: float
    parameter: str | None = None
    factor: float = 1.0


@dataclass(frozen=True)
class DataPlan:
    """How a connected station's readings look over the demo's days.

    ``days`` caps how far back the data (and the connection) goes; ``stop_hours_ago``
    stops the data before the build (a lost station); ``drop_rate`` is the share of
    slots lost in short runs of at most ``max_run`` slots (a flaky line), so no run
    is long enough to make the station lost.
    """

    days: int | None = None
    stop_hours_ago: float | None = None
    outages: tuple[Episode, ...] = ()
    missing_days: tuple[int, ...] = ()
    drop_rate: float = 0.002
    max_run: int = 3
    calibration_every_days: int = 4
    errors: tuple[Episode, ...] = ()
    exceedances: tuple[Episode, ...] = ()
    level: float = 1.0


@dataclass(frozen=True)
class StationSeed:
    """A station: its identity, its equipment, the status it shows and its data (None: no data)."""

    code: str
    kind: str
    name: str
    status: str
    facility: str | None = None
    source: str | None = None
    installed_days_ago: int | None = None
    # Minutes before the build its connection was declared (only for a station without data).
    connected_minutes_ago: int | None = None
    datalogger: str | None = None
    ip: str | None = None
    camera: bool = True
    plan: DataPlan | None = None
    certificates: tuple[str, ...] = field(default=("calibration",))


WASTEWATER = "Trạm nước thải sau xử lý"
ENVISOFT, SUTRON, CAMPBELL, ENVIDAS = (
    "Envisoft DL-200",
    "Sutron XLink 500",
    "Campbell Scientific CR1000X",
    "Envea ENVIDAS FW",
)
FULL = DataPlan()
EMISSION = DataPlan(calibration_every_days=3)


def _ww(code: str, facility: str, status: str, plan: DataPlan | None = FULL, **values) -> StationSeed:
    return StationSeed(
        code, "wastewater", values.pop("name", WASTEWATER), status, facility, plan=plan, **values
    )


def _em(code: str, source: str, name: str, status: str, plan: DataPlan | None = EMISSION, **values):
    facility = source.rsplit("-", 1)[0]
    return StationSeed(code, "emission", name, status, facility, source, plan=plan, **values)


STATIONS: tuple[StationSeed, ...] = (
    # The parks' central wastewater plants.
    _ww("XL001NT1", "CT-XL-001", "receiving", installed_days_ago=640, datalogger=ENVISOFT, ip="10.20.1.11",
        plan=DataPlan(calibration_every_days=3), certificates=("calibration", "inspection")),
    _ww("XL002NT1", "CT-XL-002", "receiving", installed_days_ago=590, datalogger=ENVISOFT, ip="10.20.2.11",
        plan=DataPlan(exceedances=(Episode(2, 13, 4, "COD", 1.25), Episode(9, 15, 2, "COD", 1.15)))),
    _ww("XL003NT1", "CT-XL-003", "receiving", installed_days_ago=420, datalogger=SUTRON, ip="10.20.3.11",
        plan=DataPlan(drop_rate=0.03, max_run=6)),
    _ww("XL004NT1", "CT-XL-004", "lost", installed_days_ago=380, datalogger=SUTRON, ip="10.20.4.11",
        plan=DataPlan(stop_hours_ago=77)),
    _ww("XL005NT1", "CT-XL-005", "receiving", installed_days_ago=300, datalogger=ENVISOFT, ip="172.16.5.20",
        plan=DataPlan(missing_days=(12, 11))),
    _ww("XL006NT1", "CT-XL-006", "receiving", installed_days_ago=260, datalogger=CAMPBELL, ip="172.16.6.20",
        plan=DataPlan(drop_rate=0.2, max_run=10), certificates=("expired",)),
    # Paper, dyeing, sugar and steel (the pending incident of the portal stops GI001NT1's data).
    _ww("GI001NT1", "CT-GI-001", "lost", installed_days_ago=510, datalogger=ENVISOFT, ip="192.168.10.21"),
    _ww("GI002NT1", "CT-GI-002", "installed", None, installed_days_ago=25, datalogger=ENVISOFT),
    _ww("DN001NT1", "CT-DN-001", "receiving", installed_days_ago=450, datalogger=SUTRON, ip="192.168.20.15",
        plan=DataPlan(errors=(Episode(6, 2, 3, "COLOR"),), level=1.1)),
    _ww("DU001NT1", "CT-DU-001", "receiving", installed_days_ago=700, datalogger=CAMPBELL, ip="10.30.1.40"),
    _ww("DU002NT1", "CT-DU-002", "suspended", installed_days_ago=690, datalogger=CAMPBELL, ip="10.30.2.40"),
    _ww("TH001NT1", "CT-TH-001", "receiving", installed_days_ago=330, datalogger=ENVISOFT, ip="10.20.8.31",
        plan=DataPlan(level=0.8)),
    _ww("TP007NT1", "CT-TP-007", "not_installed", None, camera=False, certificates=()),
    # Seafood.
    _ww("TS003NT1", "CT-TS-003", "receiving", installed_days_ago=480, datalogger=SUTRON, ip="192.168.1.50"),
    _ww("TS006NT1", "CT-TS-006", "awaiting_data", None, installed_days_ago=18, connected_minutes_ago=20,
        datalogger=ENVISOFT, ip="192.168.30.12"),
    _ww("TS008NT1", "CT-TS-008", "lost", installed_days_ago=400, datalogger=SUTRON, ip="192.168.40.7",
        plan=DataPlan(stop_hours_ago=5)),
    _ww("TS010NT1", "CT-TS-010", "receiving", installed_days_ago=560, datalogger=CAMPBELL, ip="10.40.1.9",
        plan=DataPlan(outages=(Episode(8, 9, 6),), errors=(Episode(4, 21, 2, "NH4"),),
                      exceedances=(Episode(5, 19, 3, "COD", 1.2),))),
    # A hospital that chose automatic monitoring (its approved maintenance window comes from the portal),
    # and a beverage plant that chose periodic sampling: its station serves no obligation.
    _ww("BV001NT1", "CT-BV-001", "receiving", installed_days_ago=220, datalogger=ENVISOFT, ip="10.50.1.5",
        plan=DataPlan(level=0.7)),
    _ww("NG003NT1", "CT-NG-003", "not_required", None, installed_days_ago=150, datalogger=SUTRON),
    # Emission sources that trigger the obligation; the boiler of CT-HC-001 does not.
    _em("HC001KT1", "CT-HC-001-AX01", "Trạm khí thải tháp hấp thụ axit sunfuric", "receiving",
        installed_days_ago=350, datalogger=ENVIDAS, ip="10.60.1.21"),
    _em("HC001KT2", "CT-HC-001-LH01", "Trạm khí thải lò hơi", "not_required", None,
        installed_days_ago=200, datalogger=ENVIDAS),
    _em("HC002KT1", "CT-HC-002-DP01", "Trạm khí thải dây chuyền điện phân xút – clo", "receiving",
        installed_days_ago=300, datalogger=ENVIDAS, ip="10.60.2.21"),
    _em("ND002KT1", "CT-ND-002-LH01", "Trạm khí thải lò hơi đốt trấu", "receiving", installed_days_ago=420,
        datalogger=CAMPBELL, ip="172.16.20.5",
        plan=DataPlan(exceedances=(Episode(3, 10, 3, "DUST", 1.3),))),
    _em("ND003KT1", "CT-ND-003-LH01", "Trạm khí thải lò hơi số 1", "receiving", installed_days_ago=410,
        datalogger=CAMPBELL, ip="172.16.21.5", plan=DataPlan(errors=(Episode(2, 1, 4, "SO2"),))),
    _em("ND003KT2", "CT-ND-003-LH02", "Trạm khí thải lò hơi số 2", "receiving", installed_days_ago=410,
        datalogger=CAMPBELL, ip="172.16.21.6", plan=DataPlan(days=21, drop_rate=0.01)),
    _em("TH001KT1", "CT-TH-001-HQ01", "Trạm khí thải lò điện hồ quang", "installed", None,
        installed_days_ago=10, datalogger=ENVIDAS),
    _em("XM001KT1", "CT-XM-001-NX01", "Trạm khí thải máy nghiền xi măng", "receiving", installed_days_ago=380,
        datalogger=ENVIDAS, ip="10.70.1.8"),
    _em("XM002KT1", "CT-XM-002-LN01", "Trạm khí thải lò nung clinker", "receiving", installed_days_ago=600,
        datalogger=ENVIDAS, ip="10.70.2.8", certificates=("calibration", "inspection")),
    _em("XM002KT2", "CT-XM-002-LM01", "Trạm khí thải máy làm nguội clinker", "installed", None,
        installed_days_ago=40, datalogger=ENVIDAS),
    _em("XM002KT3", "CT-XM-002-NX01", "Trạm khí thải máy nghiền xi măng", "not_installed", None,
        camera=False, certificates=()),
    _em("XT001KT1", "CT-XT-001-LD01", "Trạm khí thải lò đốt chất thải số 1", "receiving",
        installed_days_ago=520, datalogger=SUTRON, ip="192.168.50.31"),
    _em("XT001KT2", "CT-XT-001-LD02", "Trạm khí thải lò đốt chất thải số 2", "receiving",
        installed_days_ago=520, datalogger=SUTRON, ip="192.168.50.32",
        plan=DataPlan(days=14, outages=(Episode(6, 22, 4),))),
    _em("XT002KT1", "CT-XT-002-LD01", "Trạm khí thải lò đốt chất thải", "not_installed", None,
        camera=False, certificates=()),
    # The department's ambient air stations (no facility).
    StationSeed("CTKK01", "ambient", "Trạm quan trắc không khí xung quanh Ninh Kiều", "receiving",
                installed_days_ago=900, datalogger=ENVIDAS, ip="10.10.0.11", plan=FULL),
    StationSeed("CTKK02", "ambient", "Trạm quan trắc không khí xung quanh KCN Trà Nóc", "receiving",
                installed_days_ago=120, datalogger=ENVIDAS, ip="10.10.0.12",
                plan=DataPlan(days=14, drop_rate=0.02, max_run=4)),
)  # fmt: skip

STATION_BY_CODE = {seed.code: seed for seed in STATIONS}

# The facilities' recorded choices for their optional obligations.
MONITORING_CHOICES = (("CT-BV-001", "wastewater", "automatic"), ("CT-NG-003", "wastewater", "periodic"))

# The approved suspension that covers the build (the station stops sending at its start).
SUSPENSION = {
    "station": "DU002NT1",
    "days_ago": 6,
    "hour": 6,
    "days_ahead": 40,
    "reason": "Tạm dừng nhà máy để sửa chữa, bảo dưỡng dây chuyền ép mía trước vụ ép 2026–2027.",
    "decision": "Đã kiểm tra thông báo tạm dừng; đồng ý tạm dừng truyền số liệu trong thời gian sửa chữa.",
}
