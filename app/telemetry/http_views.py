"""The HTTP receiver: ``POST /api/v1/stations/<code>/files`` for dataloggers that upload by HTTP.

Authentication is the upload token alone (``Authorization: Bearer
<prefix>.<secret>``): no session, no cookie, no CSRF token (the route is exempt),
so a datalogger needs nothing but the token. The file is either the raw body
with its name in the ``X-File-Name`` header (percent-encoded UTF-8 allowed), or
a multipart form with the field ``file``. It is written into
``inbox/http-<prefix>/`` under a name starting with ``.`` and renamed when
complete, exactly as the FTP receiver does; the scanner takes it from there.

Answers (JSON): 202 ``{"stored": name, "size": n}``; 400 no file, empty file, a
name that is not a ``.txt`` data file name or one naming another station; 401
missing, malformed, wrong or revoked token; 403 a station outside the token's
scope; 404 unknown station; 413 larger than ``MAX_FILE_BYTES``. A name that
does not parse is still stored: the scanner quarantines it, so the department
sees what the datalogger sent.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import unquote

import sqlalchemy as sa
from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.access import public
from app.db import commit, rollback
from app.extensions import csrf, db
from app.stations.models import Station
from app.telemetry import accounts
from app.telemetry.inbox import account_inbox, temp_name
from app.telemetry.parser import ParseError, is_data_file_name, parse_file_name

log = logging.getLogger(__name__)

bp = Blueprint("receipt_api", __name__, url_prefix="/api/v1")

MAX_FILE_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 200
MULTIPART_OVERHEAD = 64 * 1024
NAME_HEADER = "X-File-Name"


def _error(status: int, code: str, message: str, **extra) -> Response:
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="quantrac"'
    return response


def _token() -> tuple[str, str] | None:
    scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return accounts.parse_token(token)


def _upload() -> tuple[str, bytes] | Response:
    """The file's name and bytes from the request, or an error response."""
    if request.content_length is not None and request.content_length > MAX_FILE_BYTES + MULTIPART_OVERHEAD:
        return _error(413, "too_large", "the file is larger than the limit", limit=MAX_FILE_BYTES)
    if request.mimetype == "multipart/form-data":
        request.max_content_length = MAX_FILE_BYTES + MULTIPART_OVERHEAD
        try:
            part = request.files.get("file")
        except RequestEntityTooLarge:
            return _error(413, "too_large", "the file is larger than the limit", limit=MAX_FILE_BYTES)
        if part is None:
            return _error(400, "no_file", "send the file in the form field 'file'")
        name, data = part.filename or "", part.stream.read(MAX_FILE_BYTES + 1)
    else:
        name = unquote(request.headers.get(NAME_HEADER, ""), errors="strict")
        if not name:
            return _error(400, "no_name", f"send the file name in the {NAME_HEADER} header")
        data = request.stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _error(413, "too_large", "the file is larger than the limit", limit=MAX_FILE_BYTES)
    if not data:
        return _error(400, "empty_file", "the file is empty")
    return name, data


def _name_problem(name: str, station: Station) -> Response | None:
    if (
        not name
        or len(name) > MAX_NAME_LENGTH
        or any(c in name for c in "/\\\x00")
        or not is_data_file_name(name)
    ):
        return _error(400, "bad_name", "the file name must be a .txt data file name without folders")
    try:
        named = parse_file_name(name)
    except ParseError:
        return None  # stored all the same: the scanner quarantines it, visibly
    if named.station_code.lower() != station.code_key:
        return _error(400, "other_station", "the file name names another station", station=named.station_code)
    return None


def _store(folder: str, name: str, data: bytes) -> None:
    """Write the file under a temp name in the account's inbox folder, then rename it into place."""
    target = account_inbox(folder)
    temp = target / temp_name(name)
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target / name)
    finally:
        temp.unlink(missing_ok=True)


@bp.route("/stations/<code>/files", methods=["POST"], endpoint="upload")
@public
@csrf.exempt
def upload(code: str):
    """Receive one data file of a station from a datalogger (token-authenticated)."""
    credentials = _token()
    if credentials is None:
        return _error(401, "no_token", "send the upload token as 'Authorization: Bearer <token>'")
    account = accounts.authenticate("http", *credentials)
    if account is None:
        rollback()
        return _error(401, "bad_token", "the token is not valid (wrong, reset or revoked)")
    station = db.session.scalar(sa.select(Station).where(Station.code_key == code.lower()))
    if station is None:
        commit()
        return _error(404, "unknown_station", "no station has this code", station=code)
    if station.id not in accounts.scope_station_ids(account):
        commit()
        return _error(
            403, "station_not_owned", "this token may not send files for this station", station=code
        )
    try:
        upload_or_error = _upload()
    except UnicodeDecodeError:
        upload_or_error = _error(400, "bad_name", "the file name is not valid percent-encoded UTF-8")
    if isinstance(upload_or_error, Response):
        commit()
        return upload_or_error
    name, data = upload_or_error
    problem = _name_problem(name, station)
    if problem is not None:
        commit()
        return problem
    _store(accounts.folder_name(account), name, data)
    commit()
    log.info("HTTP %s stored %s (%d bytes)", accounts.label(account), name, len(data))
    return jsonify({"stored": name, "size": len(data)}), 202
