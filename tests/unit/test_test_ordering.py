"""The order of a distributed run (tests/support/ordering.py) runs every test once, on both
databases, and gives the workers about the same work."""
from __future__ import annotations

from dataclasses import dataclass

from tests.support.ordering import distribute, duration_key, durations_from_report, shares


@dataclass(frozen=True)
class Item:
    nodeid: str


def test_a_test_on_either_database_has_one_duration():
    assert duration_key("tests/integration/a.py::t[sqlite]") == "tests/integration/a.py::t"
    assert duration_key("tests/integration/a.py::t[postgresql-x-y]") == "tests/integration/a.py::t[x-y]"
    assert duration_key("tests/unit/a.py::t[x]") == "tests/unit/a.py::t[x]"


def test_every_test_runs_once_and_the_shares_weigh_the_same():
    slow = {f"tests/integration/slow.py::t{i}": 100.0 + i for i in range(6)}
    items = [Item(f"tests/unit/u.py::t{i}") for i in range(40)]
    items += [Item(f"tests/integration/slow.py::t{i}[{db}]") for i in range(6)
              for db in ("sqlite", "postgresql")]
    items += [Item(f"tests/integration/i.py::t{i}[{db}]") for i in range(30)
              for db in ("sqlite", "postgresql")]
    ordered = distribute(items, 2, slow)
    assert sorted(i.nodeid for i in ordered) == sorted(i.nodeid for i in items)
    assert distribute(items, 2, slow) == ordered  # every worker collects the same order
    first, second = ordered[:shares(len(items), 2)[0]], ordered[shares(len(items), 2)[0]:]
    work = [sum(slow.get(duration_key(i.nodeid), 0.5) for i in share) for share in (first, second)]
    assert abs(work[0] - work[1]) < 0.1 * max(work)
    for share in (first, second):  # each share starts with its slow tests: its end is short
        assert "slow.py" in share[0].nodeid and "slow.py" not in share[-1].nodeid


def test_one_worker_keeps_pytests_order():
    items = [Item(f"tests/unit/u.py::t{i}") for i in range(10)]
    assert distribute(items, 1, {}) == items


def test_durations_come_from_a_report():
    report = """
12.50s call     tests/integration/a.py::test_x[sqlite]
0.50s setup    tests/integration/a.py::test_x[sqlite]
14.00s call     tests/integration/a.py::test_x[postgresql]
0.20s call     tests/integration/a.py::test_quick[sqlite]
"""
    assert durations_from_report(report) == {"tests/integration/a.py::test_x": 14.0}
