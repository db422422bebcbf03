"""The facility list import pages: upload, preview (a dry run), confirm, and the template.

The uploaded files wait for the confirmation in the instance folder, under
``imports/<random token>/`` (never a public path), with a manifest naming their owner; the
confirmation validates them again, applies them, commits once and removes them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Response, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField

from app.auth.access import allow
from app.auth.roles import ADMIN, INSPECTOR
from app.db import commit, rollback, utcnow
from app.facilities import bp
from app.facilities.import_columns import COLUMNS, SHEET_LABELS, SHEETS
from app.facilities.import_services import FIELDS, apply_import, preview_import
from app.facilities.importer import read_import
from app.facilities.template import build_template
from app.formatting import format_date, format_datetime, format_number
from app.settings.services import get as setting

FOLDER = "imports"
KEEP_FOR = timedelta(hours=6)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(FlaskForm):
    """One .xlsx workbook or several .csv files."""

    files = MultipleFileField(_l("Files (.xlsx or .csv)"))


class ConfirmForm(FlaskForm):
    """The confirmation of a previewed import."""

    token = HiddenField()


def _max_bytes() -> int:
    return int(setting("receipt.import_max_mb")) * 1024 * 1024


def _imports_root() -> str:
    return os.path.join(current_app.instance_path, FOLDER)


def _remove_stale() -> None:
    """Forget uploads never confirmed."""
    root = _imports_root()
    if not os.path.isdir(root):
        return
    limit = (utcnow() - KEEP_FOR).timestamp()
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if os.path.isdir(path) and os.path.getmtime(path) < limit:
            shutil.rmtree(path, ignore_errors=True)


def _store(files: list[tuple[str, bytes]]) -> str:
    """Keep the files for the confirmation; return their token."""
    token = secrets.token_urlsafe(32)
    folder = os.path.join(_imports_root(), token)
    os.makedirs(folder, mode=0o700)
    manifest: dict[str, Any] = {"user_id": current_user.id, "created_at": utcnow().isoformat(), "files": []}
    for index, (name, content) in enumerate(files):
        stored = f"{index}.upload"
        with open(os.path.join(folder, stored), "wb") as handle:
            handle.write(content)
        manifest["files"].append({"name": name, "stored": stored})
    with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False)
    return token


def _stored(token: str) -> tuple[str, list[tuple[str, bytes]]] | None:
    """The folder and files of a token, if it is the current user's and still kept."""
    if not TOKEN.match(token or ""):
        return None
    folder = os.path.join(_imports_root(), token)
    try:
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as handle:
            manifest = json.load(handle)
        if manifest["user_id"] != current_user.id:
            return None
        if datetime.fromisoformat(manifest["created_at"]) < utcnow() - KEEP_FOR:
            return None
        files = []
        for entry in manifest["files"]:
            with open(os.path.join(folder, os.path.basename(entry["stored"])), "rb") as handle:
                files.append((entry["name"], handle.read()))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return folder, files


def _uploaded(form: ImportForm) -> list[tuple[str, bytes]] | None:
    """The uploaded files (read up to one byte past the limit), or None when the choice is wrong."""
    chosen = [f for f in (form.files.data or []) if getattr(f, "filename", "")]
    names = [os.path.basename(f.filename.replace("\\", "/"))[:200] for f in chosen]
    workbooks = sum(name.casefold().endswith(".xlsx") for name in names)
    if not chosen or (workbooks and len(chosen) > 1):
        return None
    limit = _max_bytes()
    return [(name, upload.stream.read(limit + 1)) for name, upload in zip(names, chosen, strict=True)]


def _shown(value: Any) -> str:
    """A value of a change as the preview writes it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal | int | float):
        return format_number(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _field_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for sheet in SHEETS:
        labels[sheet] = {FIELDS[sheet].get(c.key, c.key): f"{c.label} ({c.key})" for c in COLUMNS[sheet]}
        labels[sheet]["enterprise"] = _("Enterprise")
    return labels


def _page(name: str, outcome: dict[str, Any], status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(
        f"facilities/{name}.html",
        outcome=outcome,
        sheets=SHEETS,
        sheet_labels=SHEET_LABELS,
        field_labels=_field_labels(),
        shown=_shown,
        **context,
    ), status


@bp.route("/import", methods=["GET", "POST"], endpoint="import_upload")
@allow(ADMIN, INSPECTOR)
def import_upload():
    """Upload the files; a dry run shows what the import would do, or every problem."""
    form = ImportForm()
    limit_mb = setting("receipt.import_max_mb")
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("facilities/import.html", form=form, limit_mb=limit_mb), status
    files = _uploaded(form)
    if files is None:
        flash(_("Choose one .xlsx workbook, or one or more .csv files."), "error")
        return render_template("facilities/import.html", form=form, limit_mb=limit_mb), 400
    _remove_stale()
    outcome = preview_import(read_import(files, _max_bytes()))
    rollback()  # a dry run writes nothing; leave the session clean
    token = _store(files) if outcome["ok"] else None
    return _page(
        "import_preview",
        outcome,
        200 if outcome["ok"] else 422,
        confirm=ConfirmForm(token=token),
        token=token,
        files=[name for name, _content in files],
    )


@bp.route("/import/confirm", methods=["POST"], endpoint="import_confirm")
@allow(ADMIN, INSPECTOR)
def import_confirm():
    """Validate the previewed files again and apply them (all or nothing)."""
    form = ConfirmForm()
    kept = _stored(form.token.data) if form.validate_on_submit() else None
    if kept is None:
        flash(_("This import is no longer available: please upload the files again."), "error")
        limit_mb = setting("receipt.import_max_mb")
        return render_template("facilities/import.html", form=ImportForm(), limit_mb=limit_mb), 400
    folder, files = kept
    outcome = apply_import(read_import(files, _max_bytes()), dry_run=False)
    if outcome["ok"]:
        commit()
    else:
        rollback()
    shutil.rmtree(folder, ignore_errors=True)
    return _page("import_result", outcome, 200 if outcome["ok"] else 422, files=[n for n, _c in files])


@bp.route("/import/template", endpoint="import_template")
@allow(ADMIN, INSPECTOR)
def import_template():
    """The .xlsx template with the columns and their Vietnamese labels."""
    return Response(
        build_template(),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": "attachment; filename=mau-nhap-co-so.xlsx"},
    )
