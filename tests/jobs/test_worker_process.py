"""Workers settle their process before serving: start-up garbage collected, the rest frozen."""

import gc
import runpy
import weakref
from pathlib import Path

from app import process
from app.jobs import worker


class Node:
    """An object in a reference cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_settling_collects_start_up_garbage_then_freezes_what_lives():
    dropped = Node()
    gone = weakref.ref(dropped)
    del dropped
    kept = Node()
    try:
        process.settle_process()

        assert gone() is None, "a cycle left by start-up is collected before freezing"
        assert gc.get_freeze_count() > 0
        assert not any(obj is kept for obj in gc.get_objects()), "what lives on is left out of collections"
    finally:
        gc.unfreeze()
    assert any(obj is kept for obj in gc.get_objects())


def test_run_worker_settles_the_process_before_serving(monkeypatch, app, redis_url):
    calls = []

    class Recorder:
        def __init__(self, names, connection):
            calls.append(("worker", tuple(names)))

        def work(self, burst, with_scheduler):
            calls.append(("work", burst))
            return True

    monkeypatch.setattr(worker, "settle_process", lambda: calls.append(("settle",)))
    monkeypatch.setattr("rq.SimpleWorker", Recorder)
    monkeypatch.setitem(app.config, "JOBS_MODE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    with app.app_context():
        assert worker.run_worker(["ingest"], burst=True, with_scheduler=False) is True

    assert [call[0] for call in calls] == ["settle", "worker", "work"]


def test_gunicorns_settings_settle_each_web_worker(monkeypatch):
    calls = []
    monkeypatch.setattr(process, "settle_process", lambda: calls.append("settle"))
    settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))

    settings["post_worker_init"](object())

    assert calls == ["settle"]
