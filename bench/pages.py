"""What one page view costs: SQL statements, commits and audit inserts of the plan page and
a goal page, for a plan of 4 goals (the demo, plus nothing) and of 40, for a family member and
the casusregisseur. Prints figures; asserts nothing (DESIGN.md §5: budgets are measured, never
asserted on time).

    .venv/bin/python bench/pages.py              # SQLite in a temporary folder
    .venv/bin/python bench/pages.py --postgresql # also on PostgreSQL (127.0.0.1:5432)
    .venv/bin/python bench/pages.py --show       # and list the statements of the 40-goal page
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_KIB", "1024")

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from tests.support.apps import make_app  # noqa: E402
from tests.support.builders import add_goals, audit_inserts, page_statements, shapes  # noqa: E402
from tests.support.clients import log_in_directly  # noqa: E402
from tests.support.people import FATIMA, SANDRA  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def postgresql_database(prefix: str = "samenplan_bench"):
    """A new, empty PostgreSQL database for one benchmark, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def audited_goal_id(app) -> tuple[int, int]:
    from samenplan import db
    from samenplan.demo import DEMO_FAMILY
    from samenplan.families.models import Family
    from samenplan.goals.models import Goal

    with app.app_context():
        session = db.session()
        family = session.scalar(select(Family).where(Family.name == DEMO_FAMILY))
        # Sandra's GGZ goal (DESIGN.md §6 goal 2): not `algemeen`, so every view is audited
        goal = session.scalar(select(Goal).where(
            Goal.family_id == family.id, Goal.category == "gezondheid", Goal.priority == 2))
        return family.id, goal.id


def measure(url: str, show: bool) -> None:
    migrate(url)
    app = make_app(url)
    with app.app_context():
        from samenplan import db
        from samenplan.demo import seed_demo

        seed_demo(db.session())
    family_id, goal_id = audited_goal_id(app)
    dialect = app.extensions["samenplan.engine"].dialect.name
    pages = {"plan": f"/gezin/{family_id}", "goal": f"/gezin/{family_id}/doelen/{goal_id}"}
    rows = []
    for size, extra in (("4 goals", 0), ("40 goals", 36)):
        if extra:
            add_goals(app, extra)
        for email in (SANDRA, FATIMA):
            client = log_in_directly(app.test_client(), email)
            for name, path in pages.items():
                statements, _html = page_statements(app, client, path)
                rows.append((size, email.split("@")[0], name, len(statements),
                             statements.count("COMMIT"), audit_inserts(statements)))
                if show and extra and email == FATIMA:
                    print(f"\n--- {dialect} {name} page, 40 goals, {email}")
                    print("\n".join(shapes(statements)))
    app.extensions["samenplan.engine"].dispose()
    print(f"\n{dialect}: statements / commits / audit inserts per page view")
    print(f"{'plan size':<10} {'viewer':<8} {'page':<5} {'SQL':>4} {'commits':>8} {'audit':>6}")
    for size, who, name, count, commits, audits in rows:
        print(f"{size:<10} {who:<8} {name:<5} {count:>4} {commits:>8} {audits:>6}")


def main() -> None:
    show = "--show" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{folder}/bench.sqlite3", show)
    if "--postgresql" in sys.argv:
        with postgresql_database() as url:
            measure(url, show)


if __name__ == "__main__":
    main()
