"""The access matrix: every route x every role x own vs another enterprise's objects.

``ROUTES`` classifies every endpoint of the app: which object kind fills each
URL variable, and the exact status an allowed user gets for each method (an
empty POST: the form refuses it, or the action is done and redirects). A route
added later and not classified here makes the matrix fail with its name, so no
route is ever skipped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.auth.access import policy_of

# Kinds owned by an enterprise: another enterprise's user must get a 404 for them.
ENTERPRISE_KINDS = frozenset(
    {
        "facility",
        "station",
        "declaration",
        "window",
        "evidence",
        "answer_file",
        "notice",
        "delivery",
        "case",
        "source",
        "certificate",
        "limit",
        "data_file",
        "account",
        "inspection",
        "inspection_request",
    }
)


@dataclass(frozen=True)
class Route:
    """How to fill a route's URL variables and what an allowed user gets, by method."""

    params: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    # Exceptions by role: {"inspector": {"POST": 302}}.
    by_role: dict[str, dict[str, int]] = field(default_factory=dict)
    # Query-string variables by kind, as URL variables.
    query: dict[str, str] = field(default_factory=dict)


def R(params: dict | None = None, **status: int) -> Route:  # noqa: N802  (a table row)
    """A row of the table: URL variables by kind, then METHOD=status."""
    by_role = status.pop("by_role", {})
    query = status.pop("query", {})
    return Route(params or {}, {k.upper(): v for k, v in status.items()}, by_role, query)


F = {"code": "facility"}
S = {"code": "station"}
N = {"notice_id": "notice"}
INS = {"inspection_id": "inspection"}
REQ = {"inspection_id": "inspection", "request_id": "inspection_request"}

ROUTES: dict[str, Route] = {
    "static": R({"filename": "static_file"}, get=200),
    "home.root": R(get=302),
    "home.index": R(get=200),
    "auth.login": R(
        get=200,
        post=200,
        by_role={r: {"GET": 302, "POST": 302} for r in ("admin", "inspector", "leader", "enterprise")},
    ),
    "auth.logout": R(post=302),
    "auth.account": R(get=200, post=302),
    "auth.change_password": R(get=200, post=200),
    "audit.list": R(get=200),
    "jobs.list": R(get=200),
    "jobs.detail": R({"run_id": "job_run"}, get=200),
    "jobs.status": R({"run_id": "job_run"}, get=200),
    "compliance.list": R(get=200),
    "compliance.detail": R({"regime": "regime"}, get=200),
    "compliance.copy": R({"regime": "regime"}, get=200, post=400),
    "compliance.edit": R({"version_id": "rule_version"}, get=200, post=400),
    "compliance.edit_json": R({"version_id": "rule_version"}, post=400),
    "compliance.verify": R({"version_id": "rule_version"}, get=200, post=400),
    "settings.edit": R(get=200, post=400),
    "users.list": R(get=200),
    "users.detail": R({"user_id": "user"}, get=200, post=200),
    "users.set_active": R({"user_id": "user"}, post=302),
    "users.reset_password": R({"user_id": "user"}, post=200),
    "users.create": R(get=200, post=200),
    "receipt_api.upload": R({"code": "station"}, post=401),
    "cases.list": R(get=200),
    "cases.detail": R({"case_id": "case"}, get=200),
    "cases.assign": R({"case_id": "case"}, post=302),
    "cases.close": R({"case_id": "case"}, post=400),
    "cases.note": R({"case_id": "case"}, post=400),
    "cases.ladder": R(get=200),
    "cases.edit_step": R({"position": "ladder_step"}, get=200, post=400),
    "facilities.list": R(get=200),
    "facilities.detail": R(F, get=200),
    "facilities.edit": R(F, get=200, post=200),
    "facility_limits.record": R(F, post=302),
    "facility_limits.remove": R({"code": "facility", "parameter": "limit"}, post=302),
    "facilities.add_source": R(F, post=302),
    "facilities.delete_source": R({"code": "facility", "source_id": "source"}, post=302),
    "facilities.export": R(get=200),
    "facilities.import_upload": R(get=200, post=400),
    "facilities.import_confirm": R(post=400),
    "facilities.import_template": R(get=200),
    "facilities.create": R(get=200, post=200),
    "notices.list": R(get=200),
    "notices.detail": R(N, get=200),
    "notices.approve": R(N, post=302),
    "notices.cancel": R(N, post=302),
    "notices.correct": R(N, post=302),
    "notices.delivery": R(N, get=200),
    "notices.edit": R(N, get=302, post=302),
    "notices.issue": R(N, post=302),
    "notices.pdf": R(N, get=200),
    "notices.preview": R(N, get=302),
    "notices.return_to_draft": R(N, post=302),
    "notices.submit": R(N, post=302),
    "notices.bulk": R(get=200),
    "notices.bulk_approve": R(post=302),
    "notices.bulk_draft": R(post=302),
    "notices.bulk_issue": R(post=302),
    "notices.bulk_run": R({"run_id": "job_run"}, get=200),
    "notices.bulk_run_status": R({"run_id": "job_run"}, get=200),
    "notices.bulk_submit": R(post=302),
    "notices.retry_delivery": R({"delivery_id": "delivery"}, post=302),
    "notices.new": R(query={"case": "case", "step": "ladder_step"}, get=200, post=302),
    "portal.home": R(get=200),
    "portal.declaration": R({"declaration_id": "declaration"}, get=200),
    "portal.evidence": R({"evidence_id": ("evidence", "answer_file")}, get=200),
    "portal.facility": R(F, get=200),
    "portal.notices": R(get=200),
    "portal.minutes": R(get=200),
    "portal.notice": R(N, get=200),
    "portal.acknowledge_notice": R(N, post=302),
    "portal.answer_notice": R(N, post=400),
    "portal.notice_pdf": R(N, get=200),
    "portal.station": R(S, get=200),
    "portal.declare_connection": R(S, get=200, post=400),
    "portal.declare_installation": R(S, get=200, post=400),
    "portal.request_window": R({"code": "station", "kind": "window_kind"}, get=200, post=400),
    "portal.window": R({"window_id": "window"}, get=200),
    "stations.list": R(get=200),
    "stations.detail": R(S, get=200),
    "stations.add_certificate": R(S, post=302),
    "stations.remove_certificate": R({"code": "station", "certificate_id": "certificate"}, post=302),
    "station_data.chart": R(S, get=200),
    "station_data.data": R(S, get=200),
    "station_data.errors": R(S, get=200),
    "stations.edit": R(S, get=200, post=200),
    "stations.record_choice": R(F, post=302),
    "stations.create": R(get=200, post=200),
    "receipt_accounts.list": R(get=200),
    "receipt_accounts.detail": R({"account_id": "account"}, get=200),
    "receipt_accounts.set_active": R({"account_id": "account"}, post=302),
    "receipt_accounts.reset": R({"account_id": "account"}, post=200),
    "receipt_accounts.forward_retry": R(post=302),
    "receipt_accounts.create": R(get=200, post=400),
    "telemetry.log": R(get=200),
    "telemetry.file": R({"file_id": "data_file"}, get=200),
    "telemetry.release": R({"file_id": "data_file"}, post=302),
    "telemetry.overview": R(get=200),
    "telemetry.quarantine": R(get=200),
    "verify.page": R({"token": "verify_token"}, get=200, post=400),
    "verification.list": R(get=200),
    "verification.declaration": R({"declaration_id": "declaration"}, get=200),
    "verification.decide_declaration": R({"declaration_id": "declaration"}, post=400),
    "verification.evidence": R({"evidence_id": ("evidence", "answer_file")}, get=200),
    "verification.window": R({"window_id": "window"}, get=200),
    "verification.close_window": R({"window_id": "window"}, post=400),
    "verification.decide_window": R({"window_id": "window"}, post=400),
    # Inspections: the objects are finalised, so the record's forms refuse an empty POST (400) and
    # the actions are refused by the service with a message (302 back to the inspection).
    "inspections.list": R(get=200),
    "inspections.new": R(query={"facility": "facility"}, get=200, post=400),
    "inspections.detail": R(INS, get=200),
    "inspections.edit": R(INS, post=400),
    "inspections.add_request": R(INS, post=400),
    "inspections.remove_request": R(REQ, post=302),
    "inspections.request_done": R(REQ, post=302),
    "inspections.finalise": R(INS, post=302),
    "inspections.cancel": R(INS, post=400),
    "inspections.preview": R(INS, get=302),
    "inspections.pdf": R(INS, get=200),
    "inspections.own_minutes": R(INS, get=200),
    # The world's minutes are finalised: a retry is refused with a message, nothing is queued.
    "inspections.retry": R(INS, post=302),
    # The public page, switched on by the world (switched off: 404, test_public_page_switched_off).
    "public.index": R(get=200),
    "public.facility": R(F, get=200),
    "public.air": R(get=200),
    "public.air_station": R({"code": "air_station"}, get=200),
    "dashboard.index": R(get=200),
    "dashboard.facilities": R(get=200),
    "dashboard.facilities_export": R(get=200),
    "dashboard.export": R(get=200),
    "reports.list": R(get=200, post=200),
    "reports.pdf": R({"report_id": "report"}, get=200),
    "reports.run_status": R({"run_id": "report_run"}, get=200),
}

# How an object of each kind appears in a URL.
URL_VALUE = {
    "facility": lambda o: o.code,
    "station": lambda o: o.code,
    "limit": lambda o: o.parameter,
    "regime": lambda o: o,
    "verify_token": lambda o: o,
    "static_file": lambda o: o,
    "window_kind": lambda o: o,
    "ladder_step": lambda o: o.position,
    "air_station": lambda o: o,
}


def is_public_page(endpoint: str) -> bool:
    """The public disclosure page: open to everyone when switched on, kept by caches for anonymous visitors."""
    return endpoint.startswith("public.")


def unclassified(app) -> list[str]:
    """Routes of the app missing from ROUTES, or whose URL variables it does not name."""
    problems = []
    for rule in app.url_map.iter_rules():
        route = ROUTES.get(rule.endpoint)
        if route is None:
            problems.append(
                f"{rule.endpoint} ({rule.rule}) is not in tests/security/matrix.py ROUTES: add a row with the"
                " object kind of each URL variable and the status of each method (a new kind of object goes"
                " into tests/security/world.py, and into ENTERPRISE_KINDS when an enterprise owns it)"
            )
            continue
        if set(route.params) != set(rule.arguments):
            problems.append(
                f"{rule.endpoint}: ROUTES names {sorted(route.params)}, the rule has {sorted(rule.arguments)}"
            )
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if set(route.status) != methods:
            problems.append(
                f"{rule.endpoint}: ROUTES gives statuses for {sorted(route.status)}, the rule has {sorted(methods)}"
            )
    stale = set(ROUTES) - {rule.endpoint for rule in app.url_map.iter_rules()}
    problems += [f"{name} is in ROUTES but no longer a route" for name in sorted(stale)]
    return problems


@dataclass(frozen=True)
class Case:
    """One request of the matrix and the status it must get."""

    endpoint: str
    method: str
    url: str
    side: str  # "own", "other" or "shared"
    expected: int


def _choices(route: Route) -> list[dict[str, str]]:
    """Each combination of kinds for the route's variables (a variable may take several kinds)."""
    combos: list[dict[str, str]] = [{}]
    for name, kinds in {**route.params, **route.query}.items():
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        combos = [{**combo, name: kind} for combo in combos for kind in kinds]
    return combos


def _lookup(world, side: str, kind: str) -> Any:
    if kind == "window_kind":
        return "incident"
    if kind in world.shared:
        return world.shared[kind]
    return getattr(world, side).objects[kind]


def cases_for(app, world, role: str | None) -> list[Case]:
    """Every request the role makes, with the exact status it must get."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        route = ROUTES[rule.endpoint]
        policy = policy_of(app, rule.endpoint)
        for combo in _choices(route):
            owned = any(kind in ENTERPRISE_KINDS for kind in combo.values())
            for side in ("own", "other") if owned else ("shared",):
                values = {}
                for name, kind in combo.items():
                    obj = _lookup(world, "own" if side == "shared" else side, kind)
                    values[name] = URL_VALUE.get(kind, lambda o: o.id)(obj)
                with app.test_request_context():
                    from flask import url_for

                    url = url_for(rule.endpoint, _external=False, **values)
                for method in sorted(route.status):
                    found.append(
                        Case(rule.endpoint, method, url, side, _expected(route, policy, role, side, method))
                    )
    return found


def _expected(route: Route, policy, role: str | None, side: str, method: str) -> int:
    allowed = route.by_role.get(role or "anonymous", {}).get(method, route.status[method])
    if policy.public:
        return allowed
    if role is None:
        return 302
    if role not in policy.roles:
        return 403
    if role == "enterprise" and side == "other":
        return 404
    return allowed
