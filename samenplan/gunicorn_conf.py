"""gunicorn's settings for `make serve` (production): read by `gunicorn -c`.

Workers from WEB_CONCURRENCY (default: two per core), on HOST:PORT (default 127.0.0.1:8000,
behind the TLS proxy). The app is loaded in each worker, not before the fork: every worker
opens its own database connections. Access logs are the app's own (samenplan/serving.py: no
paths, no ids, no addresses), so gunicorn's are off."""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
preload_app = False
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 5000  # a worker is replaced now and then: no slow leak lives for ever
max_requests_jitter = 500
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
proc_name = "samenplan"


#: after how many requests a worker moves what it holds out of the collector's way again: what
#: its first requests loaded (compiled templates, the catalogs, SQL statements) stays too
FREEZE_AFTER = frozenset({1, 10, 100})


def _freeze() -> None:
    """What the worker holds now lives as long as the worker: out of the garbage collector's
    way (collected first, so no garbage is kept). Else every full collection walks all of it
    again: a sixth of a plan page's time (issue 14, bench/serving.py)."""
    import gc

    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    _freeze()  # the app, its libraries and their caches, loaded


def post_request(worker, req, environ, resp):
    worker.samenplan_served = getattr(worker, "samenplan_served", 0) + 1
    if worker.samenplan_served in FREEZE_AFTER:
        _freeze()
