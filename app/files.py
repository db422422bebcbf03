"""Files kept under the instance folder by content hash: written once, atomically."""

from __future__ import annotations

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
