"""A worker process that stops at a chosen point of a job, for a test to SIGKILL it there.

``python -m tests.faults.fault_worker HOOK`` runs ``flask worker --burst
--no-scheduler`` after wrapping one function of the app: the first
``FAULT_AFTER`` calls go through, the next one writes the file ``FAULT_MARKER``
and then waits forever, so the test kills the process at a known moment:

- ``render``: while a notice's PDF is being rendered (its number reserved and committed);
- ``issue``: after the reserved number is printed and the PDF stored, before the commit;
- ``smtp``: right after the mail server accepted an e-mail, before the outcome is committed;
- ``ingest``: inside an ingest batch, its files and readings written, before the commit.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _stop_here() -> None:
    Path(os.environ["FAULT_MARKER"]).write_text(str(os.getpid()))
    while True:
        time.sleep(60)


def _wrap(module, name: str, before: bool) -> None:
    original = getattr(module, name)
    calls = {"n": 0}
    after = int(os.environ.get("FAULT_AFTER", "0"))

    def wrapped(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= after:
            return original(*args, **kwargs)
        if before:
            _stop_here()
        result = original(*args, **kwargs)
        _stop_here()
        return result

    setattr(module, name, wrapped)


def install(hook: str) -> None:
    """Wrap the function of ``hook``."""
    if hook == "render":
        from app.notices import services_issue

        _wrap(services_issue, "render_pdf", before=True)
    elif hook == "issue":
        from app.notices import services_issue

        _wrap(services_issue, "schedule_reminders", before=True)
    elif hook == "smtp":
        from app.notices import mail

        _wrap(mail, "send", before=False)
    elif hook == "ingest":
        from app.telemetry import rollups

        _wrap(rollups, "add_readings", before=True)
    else:
        raise SystemExit(f"unknown hook {hook!r}")


if __name__ == "__main__":
    install(sys.argv[1])
    from flask.cli import main

    sys.argv = ["flask", "--app", "app", "worker", "--burst", "--no-scheduler"]
    main()
