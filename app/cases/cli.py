"""``flask cases ...``: the compliance sweep from the shell."""

from flask.cli import AppGroup

cases_cli = AppGroup("cases", help="Cases: the daily compliance sweep.")
