"""Preparing a long-running process (a job worker, a web worker) once the app is loaded."""

from __future__ import annotations

import gc


def settle_process() -> None:
    """Collect what start-up left behind, then leave what lives on out of later collections.

    A worker keeps the app, its modules and their objects alive as long as it runs;
    ``gc.freeze`` spares the cycle collector walking them again in every full
    collection, which a job or a page making many objects (a month's snapshots, the
    list of a country's stations) triggers again and again. Objects freed later are
    still freed: only the cycle collector skips them.
    """
    gc.collect()
    gc.freeze()
