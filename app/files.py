"""Files kept under the instance folder by content hash: written once, atomically."""

from __future__ import annotations

import hashlib
import os
import tempfile


def write_once(path: str, data: bytes, prefix: str = ".tmp-") -> bool:
    """Write ``data`` at ``path`` unless it exists (temporary file, fsync, rename); True when written."""
    if os.path.exists(path):
        return False
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=prefix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return True


def hashed_path(folder: str, sha256: str, suffix: str = ".pdf") -> str:
    """Where a file of that hash lives in ``folder``, relative to the instance folder."""
    return f"{folder}/{sha256[:2]}/{sha256}{suffix}"


def store_by_hash(instance_path: str, folder: str, data: bytes, suffix: str = ".pdf") -> tuple[str, str]:
    """Keep ``data`` once under its SHA-256 in ``folder`` of the instance; return (sha256, relative path)."""
    sha256 = hashlib.sha256(data).hexdigest()
    relative = hashed_path(folder, sha256, suffix)
    write_once(os.path.join(instance_path, relative), data, prefix=".pdf-" if suffix == ".pdf" else ".tmp-")
    return sha256, relative


def read_stored(instance_path: str, relative: str) -> bytes:
    """The bytes of a file kept under the instance folder."""
    with open(os.path.join(instance_path, relative), "rb") as stream:
        return stream.read()
