"""`make serve`'s gunicorn settings (samenplan/gunicorn_conf.py): a worker moves what it holds
out of the garbage collector's way once it is loaded and after its first requests."""
from __future__ import annotations

import gc
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = Path(__file__).resolve().parents[2] / "samenplan" / "gunicorn_conf.py"


@pytest.fixture
def settings():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    gc.unfreeze()


def test_a_loaded_worker_freezes_what_it_holds(settings):
    gc.unfreeze()
    settings.post_worker_init(SimpleNamespace())
    assert gc.get_freeze_count() > 0


def test_a_worker_freezes_again_after_its_first_requests_only(settings):
    worker = SimpleNamespace()
    frozen_at = []
    for served in range(1, 120):
        gc.unfreeze()
        settings.post_request(worker, None, {}, None)
        if gc.get_freeze_count():
            frozen_at.append(served)
    assert frozen_at == [1, 10, 100]
