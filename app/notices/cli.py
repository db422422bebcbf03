"""``flask notices ...``: notices from the shell."""

from flask.cli import AppGroup

notices_cli = AppGroup("notices", help="Official notices.")
