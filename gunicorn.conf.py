"""gunicorn's settings for quantrac, read from the project folder (gunicorn's default ./gunicorn.conf.py).

Workers, threads and the address are given on the command line (README, "Production setup").
"""


def post_worker_init(worker):
    """Once a web worker has loaded the app: collect start-up garbage, freeze the rest (app.process)."""
    from app import process

    process.settle_process()
