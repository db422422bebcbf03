"""The archive of received data files: original bytes, keyed by their SHA-256.

A file is stored once under ``<instance>/archive/<sha[:2]>/<sha256>`` and never
deleted or rewritten. A file taken from the inbox is hard-linked into the
archive (a new name for the same bytes, no copy), falling back to a copy when the
inbox and the archive lie on different file systems; bytes are written to a
temporary name and linked into place, so a reader never sees a partial file.
The ingest stores a file before its record is committed; a batch that rolls back
leaves an archived copy behind, which is harmless (the next pass finds it there).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path

from flask import current_app

ARCHIVE_FOLDER = "archive"
_RELATIVE_RE = re.compile(r"^([0-9a-f]{2})/(\1[0-9a-f]{62})$")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


def archive_root() -> Path:
    """Return the archive's folder under the app's instance folder."""
    return Path(current_app.instance_path) / ARCHIVE_FOLDER


def sha256_of(data: bytes) -> str:
    """Return the hexadecimal SHA-256 of bytes, the archive's key."""
    return hashlib.sha256(data).hexdigest()


def relative_path(sha256: str) -> str:
    """Return the archive path of a content hash, relative to the archive root."""
    if not _RELATIVE_RE.match(f"{sha256[:2]}/{sha256}"):
        raise ValueError(f"not a SHA-256 in hexadecimal: {sha256!r}")
    return f"{sha256[:2]}/{sha256}"


def path_of(relative: str, root: Path | None = None) -> Path:
    """Return the absolute path of an archived file (only well-formed archive paths)."""
    if not _RELATIVE_RE.match(relative):
        raise ValueError(f"not an archive path: {relative!r}")
    return (root or archive_root()) / relative


def store(
    source: str | os.PathLike[str] | bytes,
    sha256: str | None = None,
    *,
    root: str | os.PathLike[str] | None = None,
) -> str:
    """Archive a file (hard-linked, else copied) or bytes (written atomically); return its path.

    ``sha256`` is the hash of the content when the caller already has it. A content
    already archived is left as it is.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        relative = relative_path(sha256 or sha256_of(data))
        target = path_of(relative, None if root is None else Path(root))
        if not target.exists():
            _write_new(target, data)
        return relative
    if sha256 is None:
        with open(source, "rb") as handle:
            sha256 = sha256_of(handle.read())
    if not _SHA256_RE.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 in hexadecimal: {sha256!r}")
    relative = f"{sha256[:2]}/{sha256}"
    # Plain strings: this runs once per received file.
    folder = os.path.join(os.fspath(root if root is not None else archive_root()), sha256[:2])
    target = os.path.join(folder, sha256)
    try:
        try:
            os.link(source, target)
        except FileNotFoundError:
            if os.path.isdir(folder):
                raise
            os.makedirs(folder, exist_ok=True)
            os.link(source, target)
    except FileExistsError:
        pass
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES):
            raise
        with open(source, "rb") as handle:
            _write_new(Path(target), handle.read())
    return relative


def read(relative: str, *, root: Path | None = None) -> bytes:
    """Return the bytes of an archived file."""
    return path_of(relative, root).read_bytes()


def _retry_in_new_folder(target: Path, create: Callable[[], object]) -> None:
    """Run ``create``; when the target's folder does not exist yet, make it and run it again."""
    try:
        create()
    except FileNotFoundError:
        if target.parent.exists():
            raise
        target.parent.mkdir(parents=True, exist_ok=True)
        create()


def _write_new(target: Path, data: bytes) -> None:
    """Write bytes under a temporary name, then give them the target name unless it exists."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")

    def write() -> None:
        with open(temporary, "xb") as handle:
            handle.write(data)

    _retry_in_new_folder(temporary, write)
    try:
        os.link(temporary, target)
    except FileExistsError:
        pass
    except OSError:
        # No hard links on this file system: a rename is atomic too.
        if not target.exists():
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
