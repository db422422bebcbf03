"""The FTP receiver: dataloggers upload their files here, each account into its own inbox folder.

Built on pyftpdlib. Each login is checked against the ``SenderAccount`` rows of
kind ``ftp`` (Argon2id, inactive accounts refused, ``last_used_at`` noted) and
jailed to ``inbox/<account name>/``. Permissions (pyftpdlib letters): change
folder (``e``), list its own folder (``l``), make folders (``m``, for dataloggers
that upload into ``2026/01/15/``), store (``w``) and rename (``f``, for those
that upload ``x.tmp`` and rename it to ``x.txt``). Not granted: download
(``r``), append (``a``), delete (``d``), chmod (``M``) and setting a file's time
(``T``): received data is evidence, and the moment of receipt is the file's
modification time.

**Temp name, then rename.** ``STOR name`` is written to ``.name.<random>.part``
in the same folder. When the data connection closes with the whole file
received, the temp file is closed and renamed to ``name`` (``os.replace``, atomic
within a folder) *before* the server answers ``226``; an aborted or failed
transfer removes the temp file. The scanner ignores names starting with ``.``,
so it only ever sees complete uploads, and a client that got ``226`` finds its
file under its final name.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import pyftpdlib.ioloop  # noqa: F401  (first: it imports asyncore without the deprecation warning)
from flask import Flask
from pyftpdlib.authorizers import AuthenticationFailed, DummyAuthorizer
from pyftpdlib.handlers import DTPHandler, FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

from app.telemetry.inbox import temp_name

log = logging.getLogger(__name__)

PERMISSIONS = "elmwf"
BANNER = "quantrac data receiver ready."

# (user name, password) -> the user's home folder, or None to refuse the login.
Authenticate = Callable[[str, str], Path | None]


def parse_port_range(text: str) -> list[int]:
    """The ports of a passive range such as ``60000-60100`` (or ``60000-60010,60020``)."""
    ports: list[int] = []
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        low, dash, high = part.partition("-")
        first, last = int(low), int(high) if dash else int(low)
        if not 1 <= first <= last <= 65535:
            raise ValueError(f"not a port range: {part!r}")
        ports.extend(range(first, last + 1))
    return ports


class SenderAuthorizer(DummyAuthorizer):
    """Logins checked by a callable (sender accounts); every user jailed to the home it returns."""

    def __init__(self, authenticate: Authenticate):
        super().__init__()
        self._authenticate = authenticate
        self._homes: dict[str, str] = {}

    def validate_authentication(self, username: str, password: str, handler: FTPHandler) -> None:
        """Refuse the login unless the callable returns a home folder for it."""
        try:
            home = self._authenticate(username, password)
        except Exception:  # a database outage must not take the server down
            log.exception("FTP login of %r could not be checked", username)
            home = None
        if home is None:
            raise AuthenticationFailed("Authentication failed.")
        home.mkdir(parents=True, exist_ok=True)
        self._homes[username] = os.path.realpath(home)

    def get_home_dir(self, username: str) -> str:
        """The folder the user was jailed to at login."""
        try:
            return self._homes[username]
        except KeyError:
            raise AuthenticationFailed("Authentication failed.") from None

    def has_user(self, username: str) -> bool:
        """Whether the user has logged in (users live in the database, not here)."""
        return username in self._homes

    def has_perm(self, username: str, perm: str, path: str | None = None) -> bool:
        """Only the granted permissions, and only inside the user's own folder."""
        if perm not in PERMISSIONS or username not in self._homes:
            return False
        if path is None:
            return True
        return self._issubpath(os.path.normcase(os.path.realpath(path)), self._homes[username])

    def get_perms(self, username: str) -> str:
        """The granted permission letters."""
        return PERMISSIONS

    def get_msg_login(self, username: str) -> str:
        """The greeting after a login."""
        return "Logged in; upload your data files here."

    def get_msg_quit(self, username: str) -> str:
        """The farewell."""
        return "Goodbye."


class CompletingDTPHandler(DTPHandler):
    """A data channel that finishes a complete upload (close, rename) before the 226 reply."""

    def close(self) -> None:
        """Close the channel; a fully received upload is renamed to its final name first."""
        if not self._closed and self.receive and self.transfer_finished and self.file_obj is not None:
            try:
                self.file_obj.close()
                self.cmd_channel.complete_upload(self.file_obj.name)
            except OSError:
                log.exception("upload %s could not be completed", self.file_obj.name)
                self.transfer_finished = False
                self._resp = ("451 The file could not be stored; send it again.", log.warning)
        super().close()


class InboxFTPHandler(FTPHandler):
    """Stores every upload under a temp name and renames it once complete."""

    dtp_handler = CompletingDTPHandler
    banner = BANNER
    permit_foreign_addresses = False
    use_sendfile = False

    def __init__(self, *args, **kwargs):
        self._uploads: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def ftp_STOR(self, file: str, mode: str = "w") -> str | None:
        """Open ``.name.<random>.part`` next to the requested file; resuming is refused."""
        if self._restart_position:
            self._restart_position = 0
            self.respond("554 Resuming an upload is not supported; send the whole file.")
            return None
        folder, name = os.path.split(file)
        temp = os.path.join(folder, temp_name(name))
        self._uploads[temp] = file
        stored = super().ftp_STOR(temp, mode)
        if stored is None:
            self._uploads.pop(temp, None)
        return stored

    def complete_upload(self, temp: str) -> str | None:
        """Rename a complete upload to its final name (called before the 226 reply)."""
        final = self._uploads.pop(temp, None)
        if final is None:
            return None
        os.replace(temp, final)
        log.info("FTP %s stored %s", self.username, final)
        return final

    def on_incomplete_file_received(self, file: str) -> None:
        """An aborted upload leaves nothing behind."""
        if self._uploads.pop(file, None) is not None:
            try:
                os.remove(file)
            except OSError:
                log.warning("could not remove the incomplete upload %s", file)

    def ftp_RNFR(self, path: str) -> None:
        """Rename, except uploads in progress (names starting with '.')."""
        if os.path.basename(path).startswith("."):
            self.respond("550 This file cannot be renamed.")
            return
        super().ftp_RNFR(path)

    def ftp_RNTO(self, path: str):
        """Rename to a visible name only (a name starting with '.' would hide data from the scanner)."""
        if os.path.basename(path).startswith("."):
            self._rnfr = None
            self.respond("550 Names starting with '.' are reserved.")
            return None
        return super().ftp_RNTO(path)


def make_server(
    address: tuple[str, int],
    authenticate: Authenticate,
    *,
    passive_ports: list[int] | None = None,
    masquerade_address: str | None = None,
    auth_failed_timeout: float = 3.0,
    timeout: int = 300,
    ioloop: IOLoop | None = None,
) -> FTPServer:
    """An FTP server on ``address`` (port 0: any free port) with its own handler class and loop."""
    handler = type(
        "QuantracFTPHandler",
        (InboxFTPHandler,),
        {
            "authorizer": SenderAuthorizer(authenticate),
            "passive_ports": passive_ports or None,
            "masquerade_address": masquerade_address,
            "auth_failed_timeout": auth_failed_timeout,
            "timeout": timeout,
        },
    )
    server = FTPServer(address, handler, ioloop=ioloop or IOLoop())
    server.max_cons = 256
    server.max_cons_per_ip = 32
    return server


def account_authenticator(app: Flask) -> Authenticate:
    """Check FTP logins against the sender accounts of kind ``ftp``; the home is the account's folder."""
    from app.db import commit
    from app.telemetry import accounts
    from app.telemetry.inbox import account_inbox

    def authenticate(username: str, password: str) -> Path | None:
        name = username.strip().lower()
        if not accounts.FTP_NAME_RE.match(name):
            return None
        with app.app_context():
            account = accounts.authenticate("ftp", name, password)
            if account is None:
                log.info("FTP login refused for %r", name)
                return None
            home = account_inbox(accounts.folder_name(account))
            commit()
            return home

    return authenticate
