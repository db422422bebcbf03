"""The load run's actors: simulated users on their pages, stations uploading files, and the figures.

Each simulated user is a thread with its own keep-alive HTTP connection and
session cookie: it logs in through the login form (CSRF token included), then
opens its role's pages one after another with a pause between them, as a
person reading them would. Stations upload their five-minute files through the
HTTP upload API. Every request's time and outcome is kept; a page counts as an
error when it does not answer 200 (302 for a form post), or not at all.
"""

from __future__ import annotations

import http.client
import math
import random
import re
import threading
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    """A page a role opens: its name in the figures and its path."""

    name: str
    path: str
    method: str = "GET"
    form: dict[str, str] | None = None


@dataclass
class Figures:
    """Every request's duration and outcome, by page name (thread-safe)."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, error: str | None = None) -> None:
        """Record one request."""
        with self.lock:
            self.times[name].append(seconds)
            if error is not None:
                self.errors.append({"page": name, "error": error})

    def summary(self) -> dict[str, Any]:
        """Requests, errors, and p50/p95/max in milliseconds per page and overall."""
        with self.lock:
            pages = {name: percentiles(values) for name, values in sorted(self.times.items())}
            everything = [v for values in self.times.values() for v in values]
            return {
                "requests": len(everything),
                "errors": len(self.errors),
                "error_samples": self.errors[:20],
                "all": percentiles(everything),
                "pages": pages,
            }


def percentiles(values: list[float]) -> dict[str, Any]:
    """Count, p50, p95 and max of durations in seconds, as milliseconds (nearest-rank)."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    return {
        "n": len(ordered),
        "p50_ms": round(rank(0.50) * 1000, 1),
        "p95_ms": round(rank(0.95) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


class Client:
    """One keep-alive connection with a cookie jar of its own."""

    def __init__(self, port: int, timeout: float = 120):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        """Send a request (reconnecting once if the kept-alive connection was closed); status and body."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
                continue
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.headers.get("Connection", "").lower() == "close":
                self.close()
            return response.status, data
        raise AssertionError("unreachable")

    def post_form(self, path: str, form: dict[str, str]) -> tuple[int, bytes]:
        """POST a urlencoded form."""
        from urllib.parse import urlencode

        body = urlencode(form).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def close(self) -> None:
        """Close the connection."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class User:
    """A simulated user: an account of a role and the pages it opens."""

    role: str
    email: str
    password: str
    pages: list[Page]


def run_user(
    user: User, port: int, figures: Figures, stop: threading.Event, think: tuple[float, float], seed: int
):
    """Log in, then open the role's pages in a random order with pauses, until ``stop``."""
    rng = random.Random(seed)
    client = Client(port)
    try:
        stop.wait(rng.uniform(0, think[1]))  # users do not all arrive in the same second
        token = _timed(figures, "GET /login", client, "GET", "/login", 200)
        if token is None:
            return
        form = {"email": user.email, "password": user.password, "csrf_token": token}
        if _timed(figures, "POST /login", client, "POST", "/login", 302, form) is None:
            return
        while not stop.is_set():
            page = rng.choice(user.pages)
            form = dict(page.form or {}, csrf_token=token) if page.method == "POST" else None
            expected = 302 if page.method == "POST" else 200
            _timed(figures, page.name, client, page.method, page.path, expected, form)
            stop.wait(rng.uniform(*think))
    finally:
        client.close()


def run_baseline(users: list[User], port: int, figures: Figures, rounds: int = 3) -> None:
    """The same pages with no concurrency: one account per role, each page name ``rounds`` times in turn."""
    seen_roles: set[str] = set()
    for user in users:
        if user.role in seen_roles:
            continue
        seen_roles.add(user.role)
        client = Client(port)
        try:
            token = _timed(Figures(), "GET /login", client, "GET", "/login", 200)
            form = {"email": user.email, "password": user.password, "csrf_token": token or ""}
            _timed(figures, "POST /login", client, "POST", "/login", 302, form)
            first: dict[str, Page] = {}
            for page in user.pages:
                if page.method == "GET":
                    first.setdefault(page.name, page)
            for _ in range(rounds):
                for page in first.values():
                    _timed(figures, page.name, client, "GET", page.path, 200)
        finally:
            client.close()


def _timed(figures: Figures, name: str, client: Client, method: str, path: str, expected: int, form=None):
    """Make one request and record it; the page's CSRF token (or '') on success, None on error."""
    started = time.perf_counter()
    try:
        if form is not None:
            status, body = client.post_form(path, form)
        else:
            status, body = client.request(method, path)
    except (OSError, http.client.HTTPException) as error:
        figures.add(name, time.perf_counter() - started, f"{path}: {error.__class__.__name__}: {error}")
        client.close()
        return None
    elapsed = time.perf_counter() - started
    if status != expected:
        figures.add(name, elapsed, f"{path}: HTTP {status} (expected {expected})")
        return None
    figures.add(name, elapsed)
    found = CSRF.search(body.decode("utf-8", "replace")) if body else None
    return found.group(1) if found else ""


@dataclass(frozen=True)
class Sender:
    """A station that uploads through the HTTP API: its code, token and parameters."""

    code: str
    token: str
    parameters: tuple[str, ...]


def file_for(sender: Sender, slot: int, first_day: date) -> tuple[str, bytes]:
    """The station's ``slot``-th five-minute file, counted back from ``first_day`` 00:00 local."""
    day = first_day - timedelta(days=slot // 288)
    moment = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ) + timedelta(minutes=5 * (slot % 288))
    stamp = moment.strftime("%Y%m%d%H%M%S")
    # Values differ from station to station, so no two stations' files have the same content.
    value = 7 + (slot % 13) / 10 + zlib.crc32(sender.code.encode()) % 1000 / 100_000
    lines = [f"{name}\t{value:.5f}\tmg/L\t{stamp}\t00" for name in sender.parameters]
    return f"XX_LOAD_{sender.code}_{stamp}.txt", ("\r\n".join(lines) + "\r\n").encode()


def run_uploads(
    senders: list[Sender],
    port: int,
    figures: Figures,
    stop: threading.Event,
    every: float,
    first_day: date,
    names: list[str],
) -> None:
    """Each station uploads one file every ``every`` seconds until ``stop``; names of the files sent."""
    client = Client(port)
    slot = 0
    try:
        while not stop.is_set():
            cycle = time.monotonic()
            for sender in senders:
                name, data = file_for(sender, slot, first_day)
                started = time.perf_counter()
                headers = {"Authorization": f"Bearer {sender.token}", "X-File-Name": name}
                try:
                    status, _ = client.request("POST", f"/api/v1/stations/{sender.code}/files", data, headers)
                except (OSError, http.client.HTTPException) as error:
                    figures.add("upload", time.perf_counter() - started, f"{name}: {error}")
                    client.close()
                    continue
                error = None if status == 202 else f"{name}: HTTP {status}"
                figures.add("upload", time.perf_counter() - started, error)
                if error is None:
                    names.append(name)
            slot += 1
            stop.wait(max(0.0, every - (time.monotonic() - cycle)))
    finally:
        client.close()
