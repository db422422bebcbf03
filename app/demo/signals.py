"""Plausible values of each monitored parameter over a local day, for the demo's readings.

A parameter's value is its mean, plus a daily cycle (and, for traffic-driven air
pollutants, a twelve-hour one: morning and evening rush hours), plus a drift that
changes from day to day, plus noise, kept within a plausible range. Flows are
relative (a station multiplies them by its design flow). Treated wastewater stays
within QCVN 40 column B and stack gases within QCVN 19 column B, unless the demo
asks for an exceedance. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

SLOTS = 288


@dataclass(frozen=True)
class Model:
    """How one parameter varies: mean, cycles (amplitude, hour of the peak), noise, range, decimals."""

    mean: float
    amplitude: float
    peak_hour: float
    noise: float
    low: float
    high: float
    decimals: int = 1
    unit: str = "mg/L"
    semidiurnal: float = 0.0
    # Concentrations follow the station's level; pH, temperatures, O2 and humidity do not.
    scales_with_level: bool = True


def _flow(amplitude: float, peak: float, noise: float, unit: str) -> Model:
    return Model(1.0, amplitude, peak, noise, 0.2, 1.8, 1, unit, scales_with_level=False)


MODELS: dict[str, Model] = {
    # Treated wastewater (flows relative to the design flow per hour).
    "FLOW_IN": _flow(0.35, 14, 0.05, "m3/h"),
    "FLOW_OUT": _flow(0.3, 15, 0.05, "m3/h"),
    "TEMP": Model(30.0, 1.8, 15, 0.3, 24, 38, 1, "oC", scales_with_level=False),
    "pH": Model(7.25, 0.25, 16, 0.08, 6.5, 8.0, 2, "pH", scales_with_level=False),
    "TSS": Model(32, 10, 15, 4, 5, 90),
    "COD": Model(62, 30, 15, 6, 20, 120),
    "NH4": Model(3.2, 1.5, 17, 0.4, 0.3, 8.5, 2),
    "BOD5": Model(28, 9, 15, 3, 8, 45),
    "TN": Model(18, 5, 16, 2, 5, 38),
    "TP": Model(2.6, 0.9, 16, 0.3, 0.3, 5.5, 2),
    "COLOR": Model(85, 25, 14, 8, 30, 140, 0, "Pt-Co"),
    # Stack gases (flow relative to the source's design flow).
    "FLOW_GAS": _flow(0.08, 11, 0.03, "m3/h"),
    "TEMP_GAS": Model(148, 12, 13, 3, 90, 220, 1, "oC", scales_with_level=False),
    "DUST": Model(72, 20, 11, 8, 10, 150, 1, "mg/Nm3"),
    "SO2": Model(185, 45, 11, 15, 20, 380, 1, "mg/Nm3"),
    "NOX": Model(310, 60, 12, 20, 60, 600, 1, "mg/Nm3"),
    "CO": Model(220, 80, 10, 25, 20, 700, 1, "mg/Nm3"),
    "O2": Model(10.5, 1.0, 3, 0.3, 6, 16, 2, "%", scales_with_level=False),
    "CL2": Model(4.5, 1.2, 12, 0.5, 0.5, 9, 2, "mg/Nm3"),
    "HCL": Model(22, 6, 12, 2.5, 2, 45, 2, "mg/Nm3"),
    "HF": Model(1.4, 0.4, 12, 0.15, 0.1, 3.5, 2, "mg/Nm3"),
    # Ambient air (µg/m³; CO too).
    "PM10": Model(70, 18, 8, 6, 25, 140, 1, "ug/m3", semidiurnal=14),
    "PM2_5": Model(42, 12, 8, 4, 15, 85, 1, "ug/m3", semidiurnal=10),
    "O3": Model(65, 40, 14, 6, 5, 160, 1, "ug/m3"),
    "NO2": Model(38, 8, 8, 4, 8, 90, 1, "ug/m3", semidiurnal=10),
    "TEMP_AIR": Model(29, 3.5, 14, 0.3, 22, 37, 1, "oC", scales_with_level=False),
    "HUMIDITY": Model(78, 14, 4, 1.5, 45, 99, 1, "%", scales_with_level=False),
}
# SO2 and CO of an ambient station are in µg/m³, not mg/Nm³.
AMBIENT_MODELS: dict[str, Model] = {
    **MODELS,
    "SO2": Model(22, 6, 9, 3, 3, 60, 1, "ug/m3"),
    "CO": Model(1200, 300, 8, 90, 300, 3000, 0, "ug/m3", semidiurnal=250),
}
FLOWS = frozenset({"FLOW_IN", "FLOW_OUT", "FLOW_GAS"})


class Signal:
    """The values of one parameter at one station: a daily profile, a daily drift and noise."""

    def __init__(self, model: Model, scale: float, level: float, rng: random.Random) -> None:
        factor = scale * (level if model.scales_with_level else 1.0)
        self.model = model
        self.factor = factor
        self.noise = model.noise * factor
        self.low = model.low * factor
        self.high = model.high * factor
        self.multiplier = 10**model.decimals
        self.profile = [self._cycle(index) * factor for index in range(SLOTS)]
        self.rng = rng

    def _cycle(self, index: int) -> float:
        model = self.model
        hours = index / 12
        value = model.mean + model.amplitude * math.cos((hours - model.peak_hour) * math.pi / 12)
        if model.semidiurnal:
            value += model.semidiurnal * math.cos((hours - model.peak_hour) * math.pi / 6)
        return value

    def drift(self) -> float:
        """A new day's offset from the profile."""
        return (self.rng.random() - 0.5) * 3 * self.noise

    def value(self, index: int, drift: float) -> float:
        """The value at slot ``index`` of a day with this drift, within the plausible range."""
        rnd = self.rng.random
        value = self.profile[index] + drift + (rnd() + rnd() - 1.0) * self.noise
        return self.low if value < self.low else self.high if value > self.high else value

    def around(self, target: float) -> float:
        """A value close to ``target`` (an exceedance)."""
        return target * (0.97 + 0.06 * self.rng.random())


def signal(parameter: str, kind: str, scale: float, level: float, rng: random.Random) -> Signal:
    """The signal of a parameter at a station of a kind (``scale`` multiplies flows only)."""
    models = AMBIENT_MODELS if kind == "ambient" else MODELS
    model = models[parameter]
    return Signal(model, scale if parameter in FLOWS else 1.0, level, rng)


def unit(parameter: str, kind: str) -> str:
    """The unit a datalogger writes for a parameter."""
    return (AMBIENT_MODELS if kind == "ambient" else MODELS)[parameter].unit
