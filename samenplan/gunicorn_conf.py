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


def post_worker_init(worker):
    """What the worker loaded to serve (the app, its libraries, their caches) lives as long as
    the worker: out of the garbage collector's way. Else every full collection walks all of
    it again, a sixth of a plan page's time (issue 14: bench/serving.py)."""
    import gc

    gc.collect()
    gc.freeze()
