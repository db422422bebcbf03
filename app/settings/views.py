"""The administrator's settings page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import allow
from app.auth.roles import ADMIN
from app.db import commit
from app.settings import bp, services
from app.settings.registry import GROUPS, SETTINGS, parse, show

ERRORS = {
    "{n}": lambda: _("The number pattern must contain {n} where the number goes."),
    "minimum": lambda: _("The value is below the allowed minimum."),
    "maximum": lambda: _("The value is above the allowed maximum."),
    "time": lambda: _("Write the time as hh:mm, e.g. 01:00."),
}


@bp.route("/", methods=["GET", "POST"], endpoint="edit")
@allow(ADMIN)
def edit():
    """View and change every setting; a change needs no restart."""
    from flask_wtf import FlaskForm

    form = FlaskForm()
    values = services.all_values()
    shown = {s.key: show(s, values[s.key]) for s in SETTINGS}
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        typed = {}
        for setting in SETTINGS:
            raw = request.form.get(setting.key, "")
            if setting.kind == "secret":
                if not raw:
                    continue  # blank keeps the stored secret
            else:
                shown[setting.key] = raw
            try:
                typed[setting.key] = parse(setting, raw)
            except ValueError as exc:
                reason = ERRORS.get(str(exc))
                errors[setting.key] = reason() if reason else _("This is not a valid number.")
        if not errors:
            changes = services.update(typed, request.form.get("reason") or None)
            commit()
            flash(
                _("%(n)d settings changed.", n=len(changes)) if changes else _("Nothing changed."), "success"
            )
            return redirect(url_for("settings.edit"))
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
    return render_template(
        "settings/edit.html",
        form=form,
        groups=GROUPS,
        settings=SETTINGS,
        shown=shown,
        errors=errors,
        values_set={s.key: bool(values[s.key]) for s in SETTINGS},
    ), (400 if errors else 200)
