"""The order of a distributed test run (`make test`: pytest-xdist, `--dist worksteal`), so that the
workers finish together.

With `--dist worksteal` xdist hands worker 1 the first 1/n of the collected tests, worker 2 the
next 1/n, and so on; a worker that runs out takes half of the queue of the busiest one, from
its end. Left in pytest's order, the few tests that take minutes (the route-wide privacy crawls,
the axe crawls, the migrations) sit together and run one after the other on one worker while
the other one idles. So, before xdist splits the run, `distribute` deals the tests out to the
workers' shares by how long each is known to take (longest first, each to the share with the
least work so far), and puts each share's longest tests first: what is left to take from the
end of a queue is then short.

How long a test takes comes from tests/support/durations.json (the tests that take a second or
more, by their id without the database: a test on SQLite and on PostgreSQL counts as about as
long); a test not in it counts as a typical unit, integration or browser test. Refresh the file
now and then from a run's `--durations=0` report:

    .venv/bin/python -m pytest -n 2 --dist worksteal -p no:cacheprovider --durations=0 > run.log
    .venv/bin/python -m tests.support.ordering run.log

Only the order changes: every test runs, with its own fixtures, as before.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

DURATIONS_FILE = Path(__file__).with_name("durations.json")
#: seconds, for a test durations.json does not name
DEFAULT_SECONDS = {"unit": 0.02, "integration": 0.6, "e2e": 20.0}
#: a test shorter than this is not worth naming in durations.json
LISTED_FROM_SECONDS = 1.0
_BACKEND = re.compile(r"\[(?:sqlite|postgresql)(?:-|(?=\]))")


def duration_key(nodeid: str) -> str:
    """A test's id without its database: `x.py::test[sqlite-a]` and `x.py::test[postgresql-a]`
    are both `x.py::test[a]`; `x.py::test[sqlite]` is `x.py::test`."""
    return _BACKEND.sub("[", nodeid).replace("[]", "")


def known_durations() -> dict[str, float]:
    try:
        return json.loads(DURATIONS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def estimate(nodeid: str, durations: dict[str, float]) -> float:
    known = durations.get(duration_key(nodeid))
    if known is not None:
        return known
    for kind, seconds in DEFAULT_SECONDS.items():
        if nodeid.startswith(f"tests/{kind}/"):
            return seconds
    return DEFAULT_SECONDS["integration"]


def shares(count: int, workers: int) -> list[int]:
    """How many tests each worker gets at the start: as xdist's worksteal scheduler splits."""
    sizes = []
    for i in range(workers):
        size = count // (workers - i)
        sizes.append(size)
        count -= size
    return sizes


def distribute(items: list, workers: int, durations: dict[str, float] | None = None) -> list:
    """`items` in the order for `workers` worksteal workers (see the module's docstring).
    Deterministic: every worker must collect the same order."""
    if workers < 2 or len(items) < 2 * workers:
        return items
    durations = known_durations() if durations is None else durations
    seconds = [estimate(item.nodeid, durations) for item in items]
    sizes = shares(len(items), workers)
    dealt: list[list[int]] = [[] for _ in sizes]
    work = [0.0] * workers
    for index in sorted(range(len(items)), key=lambda i: (-seconds[i], i)):
        share = min((w for w in range(workers) if len(dealt[w]) < sizes[w]),
                    key=lambda w: (work[w], w))
        dealt[share].append(index)
        work[share] += seconds[index]
    # within a share: the longest first, the rest in pytest's own order
    return [items[i] for share in dealt for i in sorted(share, key=lambda i: (-seconds[i], i))]


def durations_from_report(text: str) -> dict[str, float]:
    """Seconds per test (setup, call and teardown together) from a `--durations=0` report; of a
    test on both databases the longer one."""
    per_test: dict[str, dict[str, float]] = {}
    for match in re.finditer(r"^([0-9.]+)s (setup|call|teardown)\s+(\S.*?)\s*$", text, re.M):
        seconds, phase, nodeid = float(match.group(1)), match.group(2), match.group(3)
        per_test.setdefault(nodeid, {})[phase] = seconds
    found: dict[str, float] = {}
    for nodeid, phases in per_test.items():
        key = duration_key(nodeid)
        found[key] = max(found.get(key, 0.0), round(sum(phases.values()), 1))
    return {k: v for k, v in sorted(found.items()) if v >= LISTED_FROM_SECONDS}


if __name__ == "__main__":  # python -m tests.support.ordering run.log [more.log ...]
    merged: dict[str, float] = {}
    for name in sys.argv[1:]:
        for key, value in durations_from_report(Path(name).read_text(encoding="utf-8")).items():
            merged[key] = max(merged.get(key, 0.0), value)
    DURATIONS_FILE.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n",
                              encoding="utf-8")
    print(f"{DURATIONS_FILE}: {len(merged)} tests of {LISTED_FROM_SECONDS} s or more")
