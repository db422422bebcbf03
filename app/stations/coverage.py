"""Which obligations a station serves, and whether a facility's stations cover them.

Pure: plain values in, plain values out (metrics.md, "serves" and per-source coverage).

A station serves an obligation of its own kind once the facility is under it (``required``,
or ``optional`` with automatic monitoring chosen): a wastewater station the wastewater
obligation; an emission station the emission obligation when its source is one of the
triggering sources or is blank. Coverage compares the parameters an obligation requires
with those monitored by the stations serving it; for emissions it is judged per triggering
source, counting only the stations that name that source, and every source must be covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.compliance.evaluator import evaluate_rule
from app.compliance.parameters import kind_of_parameter, sort_parameters

AUTOMATIC = "automatic"
PERIODIC = "periodic"
CHOICES = (AUTOMATIC, PERIODIC)


@dataclass(frozen=True)
class StationFacts:
    """A station as coverage reads it."""

    code: str
    kind: str
    source_code: str | None = None
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObligationFacts:
    """A stored obligation of a facility, with the facility's recorded choice for its kind."""

    kind: str
    status: str
    sources: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    choice: str | None = None
    # Emission: the parameters each triggering source requires (else ``parameters``).
    source_parameters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """What must be monitored for one obligation (and, for emissions, one source)."""

    source: str | None
    required: list[str]
    monitored: list[str]
    missing: list[str]
    stations: list[str]


@dataclass(frozen=True)
class ObligationCoverage:
    """The coverage of one obligation: its targets, each with its missing parameters."""

    kind: str
    status: str
    choice: str | None
    is_under_obligation: bool
    targets: list[Target]

    @property
    def needs_choice(self) -> bool:
        """An optional obligation for which no choice is recorded yet."""
        return self.status == "optional" and self.choice not in CHOICES

    @property
    def has_missing(self) -> bool:
        """True when a required parameter of some target is not monitored."""
        return any(target.missing for target in self.targets)


def is_under_obligation(status: str | None, choice: str | None) -> bool:
    """A facility is under an obligation when it is required, or optional with automatic chosen."""
    return status == "required" or (status == "optional" and choice == AUTOMATIC)


def serves(
    station_kind: str,
    station_source: str | None,
    obligation_kind: str,
    status: str | None,
    sources: Iterable[str],
    choice: str | None,
) -> bool:
    """Whether a station of a facility serves that facility's obligation of a kind."""
    if station_kind != obligation_kind or not is_under_obligation(status, choice):
        return False
    if station_kind == "emission" and station_source:
        return station_source.casefold() in {code.casefold() for code in sources}
    return True


def serves_any(station: StationFacts, obligations: Iterable[ObligationFacts]) -> bool:
    """Whether a station serves one of its facility's obligations (ambient: always required)."""
    if station.kind == "ambient":
        return True
    return any(
        serves(station.kind, station.source_code, o.kind, o.status, o.sources, o.choice) for o in obligations
    )


def _target(source: str | None, required: Sequence[str], stations: list[StationFacts]) -> Target:
    monitored = sort_parameters(code for station in stations for code in station.parameters)
    have = {code.casefold() for code in monitored}
    return Target(
        source=source,
        required=sort_parameters(required),
        monitored=monitored,
        missing=sort_parameters(code for code in required if code.casefold() not in have),
        stations=sorted(station.code for station in stations),
    )


def cover(obligation: ObligationFacts, stations: Iterable[StationFacts]) -> ObligationCoverage:
    """The coverage of one obligation by the facility's stations (no targets when not under it)."""
    under = is_under_obligation(obligation.status, obligation.choice)
    serving = [
        s
        for s in stations
        if serves(
            s.kind, s.source_code, obligation.kind, obligation.status, obligation.sources, obligation.choice
        )
    ]
    targets: list[Target] = []
    if under and obligation.kind == "emission" and obligation.sources:
        for source in sorted(obligation.sources):
            naming = [s for s in serving if (s.source_code or "").casefold() == source.casefold()]
            required = obligation.source_parameters.get(source) or obligation.parameters
            targets.append(_target(source, required, naming))
    elif under:
        targets.append(_target(None, obligation.parameters, serving))
    return ObligationCoverage(obligation.kind, obligation.status, obligation.choice, under, targets)


def facility_coverage(
    obligations: Iterable[ObligationFacts], stations: Iterable[StationFacts]
) -> list[ObligationCoverage]:
    """The coverage of each obligation (wastewater, then emission) by the facility's stations."""
    stations = list(stations)
    order = {"wastewater": 0, "emission": 1}
    return [cover(o, stations) for o in sorted(obligations, key=lambda o: order.get(o.kind, 2))]


def has_missing(coverages: Iterable[ObligationCoverage]) -> bool | None:
    """True when a parameter is missing, False when all is covered, None when nothing is due."""
    due = [c for c in coverages if c.is_under_obligation]
    if not due:
        return None
    return any(c.has_missing for c in due)


def source_parameters(
    rules: Iterable[Mapping[str, Any]],
    facility: Mapping[str, Any],
    sources: Iterable[Mapping[str, Any]],
    triggering: Iterable[str],
) -> dict[str, tuple[str, ...]]:
    """The emission parameters each triggering source requires under the given clauses.

    Each rule is judged for one source at a time, so a cement mill is asked for its own
    parameters, not the kiln's. The facility's extra emission parameters apply to every
    source. A source no rule triggers is left out (the caller falls back to the obligation).
    """
    wanted = {code.casefold() for code in triggering}
    extras = [c for c in facility.get("extra_parameters") or [] if kind_of_parameter(c) == "emission"]
    found: dict[str, tuple[str, ...]] = {}
    for source in sources:
        code = str(source.get("source_code") or "")
        if code.casefold() not in wanted:
            continue
        codes = [
            parameter
            for rule in rules
            for result in (evaluate_rule(rule, facility, [dict(source)]),)
            if result["applies"]
            for parameter in result["parameters"]
        ]
        if codes:
            found[code] = tuple(sort_parameters([*codes, *extras]))
    return found
