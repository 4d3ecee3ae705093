"""The audit log is hash-chained per family (issue 9): changing, removing or inserting an event
in any family's chain is found by `audit verify`; two families append at the same moment
without waiting for each other's chain and without forking either."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from samenplan.privacy import audit
from tests.support.clients import log_in_directly
from tests.support.people import SANDRA


@pytest.fixture
def two_families(app):
    """The demo family, and a second family with its own events."""
    from samenplan import db
    from samenplan.families.models import Family

    with app.app_context():
        session = db.session()
        other = Family(name="Familie Tweede")
        session.add(other)
        session.flush()
        audit.append(session, [audit.Event("note", family_id=other.id, params=(("n", n),)) for n in range(3)])
        session.commit()
        demo = session.scalar(select(Family.id).where(Family.name != "Familie Tweede"))
        return app, demo, other.id


def verify(app, *args):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def events_of(app, family_id):
    from samenplan import db
    from samenplan.privacy.models import AuditEvent

    with app.app_context():
        return db.session().execute(
            select(AuditEvent.id, AuditEvent.seq).where(AuditEvent.family_id == family_id)
            .order_by(AuditEvent.seq)
        ).all()


def sql(app, statement, **params):
    from samenplan import db

    with app.app_context():
        session = db.session()
        session.execute(text(statement), params)
        session.commit()


def test_each_family_has_its_own_chain(two_families):
    app, demo, other = two_families
    assert [seq for _id, seq in events_of(app, other)] == [1, 2, 3]
    assert [seq for _id, seq in events_of(app, demo)][:3] == [1, 2, 3]
    assert verify(app) == (0, verify(app)[1]) and "intact" in verify(app)[1]
    code, output = verify(app, "--family", str(other))
    assert code == 0 and "3 events checked" in output


def test_a_changed_event_is_found(two_families):
    app, _demo, other = two_families
    victim = events_of(app, other)[1][0]
    sql(app, """UPDATE audit_event SET params = '{"n": 7}' WHERE id = :i""", i=victim)
    code, output = verify(app)
    assert code == 1 and f"event {victim}" in output and "changed" in output


def test_an_event_removed_from_the_middle_is_found(two_families):
    app, _demo, other = two_families
    sql(app, "DELETE FROM audit_event WHERE id = :i", i=events_of(app, other)[1][0])
    code, output = verify(app, "--family", str(other))
    assert code == 1 and "missing" in output


def test_an_event_removed_from_the_end_is_found(two_families):
    app, _demo, other = two_families
    sql(app, "DELETE FROM audit_event WHERE id = :i", i=events_of(app, other)[-1][0])
    code, output = verify(app, "--family", str(other))
    assert code == 1 and "removed" in output


@pytest.mark.parametrize("well_made", [False, True])
def test_an_inserted_event_is_found(two_families, well_made):
    """An event added behind the chain's back: with a made-up hash it does not fit; even with
    a correctly computed hash the chain's head gives it away."""
    from samenplan import db
    from samenplan.privacy.models import AuditEvent

    app, demo, other = two_families
    with app.app_context():
        session = db.session()
        last = session.scalar(select(AuditEvent).where(AuditEvent.family_id == other)
                              .order_by(AuditEvent.seq.desc()).limit(1))
        row = {"seq": last.seq + 1, "at": last.at, "actor_user_id": None, "actor_participant_id": None,
               "family_id": other, "action": "note", "subject_ids": [], "items": [],
               "params": {"ingevoegd": True}, "hidden_from_family": False,
               "target_kind": None, "target_id": None, "prev_hash": last.hash}
        row["hash"] = audit._digest(last.hash, row) if well_made else "f" * 64
        session.add(AuditEvent(**row))
        session.commit()
    code, output = verify(app)
    assert code == 1, output
    assert verify(app, "--family", str(demo))[0] == 0  # the other chain is untouched


def test_two_families_append_at_once_without_forking(two_families, database_url):
    """Two sessions, one per family, each holding its chain's lock in an open transaction:
    neither waits for the other (on PostgreSQL; SQLite locks the whole file per write, so
    there the second waits its turn), and both chains stay whole."""
    from samenplan import db

    app, demo, other = two_families
    errors: list[BaseException] = []
    both_inside = threading.Barrier(2, timeout=20)

    def append_for(family_id):
        try:
            with app.app_context():
                session = db.session()
                for n in range(20):
                    audit.append(session, [audit.Event("note", family_id=family_id, params=(("n", n),))])
                    if n == 0 and database_url.startswith("postgresql"):
                        both_inside.wait()  # both hold their own chain's lock right now
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=append_for, args=(f,)) for f in (demo, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    for family_id in (demo, other):
        seqs = [seq for _id, seq in events_of(app, family_id)]
        assert seqs == list(range(1, len(seqs) + 1)), f"family {family_id}'s chain forked or has gaps"
    assert verify(app)[0] == 0


def test_a_page_view_appends_one_insert_to_its_own_family_only(two_families):
    from samenplan import db
    from samenplan.privacy.models import AuditEvent, AuditHead

    app, demo, other = two_families
    client = app.test_client()
    log_in_directly(client, SANDRA)
    with app.app_context():
        other_head = db.session().scalar(select(AuditHead.last_seq).where(AuditHead.chain == other))
        before = db.session().scalar(select(func.count(AuditEvent.id)).where(AuditEvent.family_id == demo))
    assert client.get(f"/gezin/{demo}").status_code == 200
    with app.app_context():
        assert db.session().scalar(select(AuditHead.last_seq).where(AuditHead.chain == other)) == other_head
        after = db.session().scalar(select(func.count(AuditEvent.id)).where(AuditEvent.family_id == demo))
    assert after > before
    assert verify(app)[0] == 0
