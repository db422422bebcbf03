"""Finding the data files of the paths an ingest run is given, in the order the contract fixes.

Files are taken in the order of their absolute path compared as bytes (for UTF-8
names, the order of code points), each once however often it is reached (named
twice, or named and also inside a named folder). Only data files count: names
ending in ``.txt`` (any case) that do not start with ``.``, named or found.

Folders are walked lazily, one directory listing at a time, entries sorted so the
walk yields full paths in byte order (a folder ``a`` sorts as ``a/``, after
``a.txt``); several named paths are merged, so memory grows with the largest
single folder, not with the number of files. Symbolic links to folders found
inside a walk are not followed (no cycles); named paths are taken as they are.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable, Iterator

from app.telemetry.parser import is_data_file_name

Entry = tuple[bytes, str]


def absolute_key(path: str | os.PathLike[str]) -> bytes:
    """Return the bytes of a path's absolute form, the key the contract orders files by."""
    return os.fsencode(os.path.abspath(path))


def _walk_folder(folder: bytes) -> Iterator[Entry]:
    """Yield the data files under a folder as (absolute path bytes, path), in byte order."""
    try:
        with os.scandir(folder) as listing:
            entries = []
            for entry in listing:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    # Directory entries carry their type: no stat, except for a symbolic link.
                    is_file = not is_dir and is_data_file_name(entry.name) and entry.is_file()
                except OSError:
                    continue
                if is_dir:
                    entries.append((entry.name + b"/", True, entry.path))
                elif is_file:
                    entries.append((entry.name, False, entry.path))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    entries.sort()
    for _key, is_dir, path in entries:
        if is_dir:
            yield from _walk_folder(path)
        else:
            yield path, os.fsdecode(path)


def _walk(named: str | os.PathLike[str]) -> Iterator[Entry]:
    key = absolute_key(named)
    if os.path.isdir(key):
        yield from _walk_folder(key)
    elif os.path.isfile(key) and is_data_file_name(os.path.basename(key)):
        yield key, os.fsdecode(key)


def data_file_entries(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Entry]:
    """Yield the data files of files and folders as (absolute path bytes, absolute path), once each."""
    previous: bytes | None = None
    for key, path in heapq.merge(*(_walk(named) for named in paths)):
        if key == previous:
            continue
        previous = key
        yield key, path


def folder_prefix(folder: str | os.PathLike[str]) -> bytes:
    """Return the absolute path bytes every path inside a folder starts with."""
    return absolute_key(folder).rstrip(b"/") + b"/"
