"""The content-addressed archive: stored once by hash, linked from the inbox, never rewritten."""

from __future__ import annotations

import hashlib
import os

import pytest

from app.telemetry import archive


def test_bytes_are_stored_under_their_hash_and_read_back(tmp_path):
    data = b"pH\t7\tpH\t20260115103500\t00\n"
    sha = hashlib.sha256(data).hexdigest()

    relative = archive.store(data, root=tmp_path)

    assert relative == f"{sha[:2]}/{sha}"
    assert archive.read(relative, root=tmp_path) == data
    assert [p.name for p in (tmp_path / sha[:2]).iterdir()] == [sha], "no temporary file is left"


def test_a_file_is_hard_linked_and_an_archived_content_never_rewritten(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source = inbox / "NT1_20260115103500.txt"
    source.write_bytes(b"first")
    root = tmp_path / "archive"

    relative = archive.store(source, root=root)
    target = archive.path_of(relative, root)
    assert os.path.samefile(target, source)
    source.unlink()
    assert archive.read(relative, root=root) == b"first"
    before = target.stat()

    assert archive.store(b"first", root=root) == relative
    assert archive.store(b"first", archive.sha256_of(b"first"), root=root) == relative
    after = target.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_a_link_across_file_systems_falls_back_to_a_copy(tmp_path, monkeypatch):
    import errno

    source = tmp_path / "file.txt"
    source.write_bytes(b"bytes")

    def cross_device(src, dst):
        if str(src) == str(source):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return os_link(src, dst)

    os_link = os.link
    monkeypatch.setattr(os, "link", cross_device)

    relative = archive.store(source, root=tmp_path / "archive")

    target = archive.path_of(relative, tmp_path / "archive")
    assert target.read_bytes() == b"bytes" and not os.path.samefile(target, source)


@pytest.mark.parametrize("relative", ["../etc/passwd", "ab/cd", "AB/" + "A" * 64, "00/" + "1" * 64])
def test_only_archive_paths_can_be_read(tmp_path, relative):
    with pytest.raises(ValueError):
        archive.read(relative, root=tmp_path)


def test_the_archive_lies_in_the_instance_folder(app):
    with app.app_context():
        assert archive.archive_root() == archive.archive_root().parent / "archive"
        assert str(archive.archive_root()).startswith(app.instance_path)
