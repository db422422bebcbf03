"""The FTP receiver: a real pyftpdlib server on 127.0.0.1 in a thread, driven with ftplib.

The server's mechanics (jail, temp name then rename, refused commands) are tested
with a plain login callable; the database-backed logins and the scan after an
upload run on a database of their own (the server thread cannot see the test's
uncommitted rows).
"""

from __future__ import annotations

import ftplib
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.db import commit, utcnow
from app.extensions import db
from app.telemetry import accounts
from app.telemetry.ftp import account_authenticator, make_server, parse_port_range
from app.telemetry.models import DataFile, SenderAccount
from app.telemetry.receipt_jobs import scan_and_ingest
from tests.conftest import app_config
from tests.telemetry.receipt_helpers import (
    LOOPBACK,
    age,
    file_bytes,
    file_name,
    ftp_client,
    make_station,
    serving,
)

USER, PASSWORD = "nt1", "right-password-1"


def wait_for(condition, timeout: float = 5.0) -> bool:
    """Poll until ``condition()`` is true (the server runs in another thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def server(inbox):
    """A receiver whose only account is nt1 (another folder, nt2, exists beside it)."""
    (inbox / "nt2").mkdir()
    (inbox / "nt2" / "theirs.txt").write_bytes(b"not yours")

    def authenticate(username: str, password: str) -> Path | None:
        return inbox / USER if (username, password) == (USER, PASSWORD) else None

    with serving(make_server((LOOPBACK, 0), authenticate, auth_failed_timeout=0.01)) as address:
        yield address


def test_parse_port_range():
    assert parse_port_range("60000-60002") == [60000, 60001, 60002]
    assert parse_port_range("60000-60001, 60005") == [60000, 60001, 60005]
    with pytest.raises(ValueError):
        parse_port_range("70000-70001")


def test_upload_appears_under_its_final_name_only_once_complete(server, inbox):
    name, data = file_name("NT1"), file_bytes() * 50
    home = inbox / USER
    with ftp_client(*server, USER, PASSWORD) as client:
        client.voidcmd("TYPE I")
        conn = client.transfercmd(f"STOR {name}")
        conn.sendall(data[:100])
        assert wait_for(lambda: any(home.iterdir()))
        [temp] = list(home.iterdir())
        assert temp.name.startswith(f".{name}.") and temp.name.endswith(".part")
        assert not (home / name).exists()
        conn.sendall(data[100:])
        conn.close()
        assert client.voidresp().startswith("226")
        # The rename happened before the 226 reply.
        assert [p.name for p in home.iterdir()] == [name]
        assert (home / name).read_bytes() == data


def test_wrong_password_is_refused(server):
    client = ftplib.FTP(timeout=10)
    try:
        client.connect(*server)
        with pytest.raises(ftplib.error_perm, match="530"):
            client.login(USER, "wrong-password")
        with pytest.raises(ftplib.error_perm, match="530"):
            client.login("nobody", PASSWORD)
    finally:
        client.close()


def test_account_is_jailed_to_its_own_folder(server, inbox, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (inbox / USER).mkdir(exist_ok=True)
    (inbox / USER / "link").symlink_to(outside, target_is_directory=True)
    with ftp_client(*server, USER, PASSWORD) as client:
        client.cwd("..")
        assert client.pwd() == "/"
        assert "theirs.txt" not in client.nlst()
        with pytest.raises(ftplib.error_perm, match="550"):
            client.cwd("/../nt2")
        for target in ("../nt2/mine.txt", "link/mine.txt"):
            with pytest.raises(ftplib.error_perm, match="550"):
                client.storbinary(f"STOR {target}", _bytes(b"x"))
        client.storbinary("STOR /../../up.txt", _bytes(b"x"))  # resolved inside its own folder
        client.mkd("2026")
        client.storbinary(f"STOR 2026/{file_name('NT1')}", _bytes(file_bytes()))
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in (inbox / "nt2").iterdir()) == ["theirs.txt"]
    assert (inbox / USER / "2026" / file_name("NT1")).read_bytes() == file_bytes()
    assert (inbox / USER / "up.txt").read_bytes() == b"x"
    assert sorted(p.name for p in inbox.iterdir()) == ["nt1", "nt2"]


def test_delete_download_append_resume_and_file_times_are_refused(server, inbox):
    name = file_name("NT1")
    with ftp_client(*server, USER, PASSWORD) as client:
        client.storbinary(f"STOR {name}", _bytes(file_bytes()))
        for command in (f"DELE {name}", f"APPE {name}", f"MFMT 20200101000000 {name}", "SITE CHMOD 777 x"):
            with pytest.raises(ftplib.error_perm, match="5"):
                client.sendcmd(command)
        with pytest.raises(ftplib.error_perm, match="550"):
            client.retrbinary(f"RETR {name}", lambda block: None)
        with pytest.raises(ftplib.error_perm, match="554"):
            client.storbinary(f"STOR {name}", _bytes(b"tail"), rest=3)
    assert (inbox / USER / name).read_bytes() == file_bytes()


def test_renames_to_txt_work_but_hidden_names_are_reserved(server, inbox):
    name = file_name("NT1")
    with ftp_client(*server, USER, PASSWORD) as client:
        client.storbinary("STOR upload.tmp", _bytes(file_bytes()))
        with pytest.raises(ftplib.error_perm, match="550"):
            client.rename("upload.tmp", ".hidden.txt")
        client.rename("upload.tmp", name)
        client.storbinary("STOR .mine", _bytes(b"x"))
        with pytest.raises(ftplib.error_perm, match="550"):
            client.rename(".mine", "visible.txt")
    assert sorted(p.name for p in (inbox / USER).iterdir()) == [".mine", name]


def test_an_interrupted_upload_leaves_nothing(server, inbox):
    home = inbox / USER
    client = ftplib.FTP(timeout=10)
    client.connect(*server)
    client.login(USER, PASSWORD)
    conn = client.transfercmd(f"STOR {file_name('NT1')}")
    try:
        conn.sendall(b"pH\t7.1")
        assert wait_for(lambda: any(home.iterdir()))
        client.close()  # the control connection drops mid-transfer
        assert wait_for(lambda: not any(home.iterdir()))
    finally:
        conn.close()
    time.sleep(0.1)
    assert list(home.iterdir()) == []


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


# --- Accounts from the database, then the scan (a database of the test's own) ---


@pytest.mark.own_database
def test_database_accounts_upload_then_scan_ingests(own_database, tmp_path, make_facility):
    inbox = tmp_path / "inbox"
    application = create_app(app_config(own_database, str(tmp_path / "instance"), TELEMETRY_INBOX=str(inbox)))
    try:
        with application.app_context():
            upgrade()
            db.session.remove()
        with application.app_context():
            facility = make_facility()
            station = make_station(facility, "NT1")
            account, password = accounts.create_account("ftp", station_id=station.id, name="nmgiay")
            other, other_password = accounts.create_account("ftp", facility_id=facility.id, name="gone")
            accounts.set_active(other, False)
            commit()
            account_id, station_id = account.id, station.id
        server = make_server((LOOPBACK, 0), account_authenticator(application), auth_failed_timeout=0.01)
        with serving(server) as address:
            with ftp_client(*address, "NMGIAY", password) as client:
                client.storbinary(f"STOR {file_name('NT1')}", _bytes(file_bytes()))
            with pytest.raises(ftplib.error_perm, match="530"):
                with ftp_client(*address, "nmgiay", password + "x"):
                    pass
            with pytest.raises(ftplib.error_perm, match="530"):
                with ftp_client(*address, "gone", other_password):
                    pass
        uploaded = inbox / "nmgiay" / file_name("NT1")
        assert uploaded.read_bytes() == file_bytes()
        with application.app_context():
            assert db.session.get(SenderAccount, account_id).last_used_at is not None
            assert scan_and_ingest(utcnow(), after_batch=commit)["files"] == 0  # too recent yet
            age(uploaded, 120)
            result = scan_and_ingest(utcnow(), after_batch=commit)
            assert result["accepted"] == 1
            data_file = db.session.scalar(sa.select(DataFile))
            assert data_file.sender == "ftp:nmgiay"
            assert data_file.station_id == station_id
            assert abs(data_file.received_at.timestamp() - (time.time() - 120)) < 5
        assert not uploaded.exists()
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
