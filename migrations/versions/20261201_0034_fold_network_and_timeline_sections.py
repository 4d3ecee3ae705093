"""the plan's sections 'netwerk' and 'tijdlijn' are folded into the network map and the
timeline (issue 11): they duplicated those features, so they are no longer kinds of section

Each entry keeps its record (id, subjects, category, version, history, author), and becomes:
- a 'netwerk' entry: a person on the network map (`network_member`), named by the entry's
  title (or the first line of its text, cut to 200 characters), its whole text kept as the
  note. What the contact gives and whether it helps were never asked: nothing is given, and the
  contact is 'neutraal' (neither good nor bad) until someone who knows says otherwise;
- a 'tijdlijn' entry: a life event on the timeline (`timeline_event`, 'gebeurtenis'), dated on
  the day the entry was written (the entry had no date of its own), its title the entry's text
  when the text fits in a title (300 characters, and not both a title and a text);
- an entry whose text does not fit that shape (a tijdlijn entry with a title and a text, or a
  longer text), and any entry already taken off the plan: an entry of the section 'gegevens',
  as written, so nothing written is lost (taken off the plan, it stays off the plan).

Revision ID: 0034
Revises: 0028
Create Date: 2026-12-01 19:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0034'
down_revision = '0030'
branch_labels = None
depends_on = None

# the codes as they are at this revision and at the one before (a later vocabulary change
# brings its own migration)
BEFORE = ("perspectief", "toekomstperspectief", "wat_gaat_goed", "zorgen", "wat_we_zelf_doen",
          "hulp_nodig", "veiligheidsplan", "terugvalpreventie", "netwerk", "tijdlijn", "gegevens")
FOLDED = ("netwerk", "tijdlijn")
AFTER = tuple(code for code in BEFORE if code not in FOLDED)
KEPT_AS = "gegevens"

record = sa.table("record", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                  sa.column("created_at", sa.DateTime))
plan_section = sa.table(
    "plan_section", sa.column("id", sa.Integer), sa.column("section", sa.String),
    sa.column("title", sa.String), sa.column("body", sa.Text),
    sa.column("archived_at", sa.DateTime))
network_member = sa.table(
    "network_member", sa.column("id", sa.Integer), sa.column("name", sa.String),
    sa.column("relation", sa.String), sa.column("gives_now", sa.JSON),
    sa.column("could_give", sa.JSON), sa.column("effect", sa.String), sa.column("note", sa.Text))
timeline_event = sa.table(
    "timeline_event", sa.column("id", sa.Integer), sa.column("event_kind", sa.String),
    sa.column("title", sa.String), sa.column("helper", sa.String),
    sa.column("start_date", sa.Date), sa.column("worked", sa.Text),
    sa.column("not_worked", sa.Text))


def _check(codes) -> str:
    return "section IN ({})".format(", ".join(f"'{code}'" for code in codes))


def _first_line(text: str, limit: int) -> str:
    return (text or "").strip().splitlines()[0][:limit] if (text or "").strip() else ""


def upgrade() -> None:
    conn = op.get_bind()
    entries = conn.execute(
        sa.select(plan_section.c.id, plan_section.c.section, plan_section.c.title,
                  plan_section.c.body, plan_section.c.archived_at, record.c.created_at)
        .join(record, record.c.id == plan_section.c.id)
        .where(plan_section.c.section.in_(FOLDED))
    ).all()
    members, events, kept = [], [], []
    for entry in entries:
        title, body = (entry.title or "").strip(), (entry.body or "").strip()
        if entry.archived_at is not None:
            kept.append(entry.id)
        elif entry.section == "netwerk":
            members.append(dict(id=entry.id, name=title[:200] or _first_line(body, 200),
                                relation="", gives_now=[], could_give=[], effect="neutraal",
                                note=entry.body or ""))
        elif (not title or not body) and len(title or body) <= 300:
            events.append(dict(id=entry.id, event_kind="gebeurtenis", title=title or body,
                               helper="", start_date=(entry.created_at.date()
                                                      if entry.created_at else None),
                               worked="", not_worked=""))
        else:
            kept.append(entry.id)
    if members:
        conn.execute(network_member.insert(), members)
    if events:
        conn.execute(timeline_event.insert(), events)
    for kind, rows in (("network_member", members), ("timeline_event", events)):
        ids = [row["id"] for row in rows]
        if ids:
            conn.execute(plan_section.delete().where(plan_section.c.id.in_(ids)))
            conn.execute(record.update().where(record.c.id.in_(ids)).values(kind=kind))
    if kept:
        conn.execute(plan_section.update().where(plan_section.c.id.in_(kept))
                     .values(section=KEPT_AS))
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_section_section'), type_='check')
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_plan_section_section'), _check(AFTER))


def downgrade() -> None:
    # the network map and the timeline exist at the revision before too: what was folded
    # into them stays there; only the section kinds come back
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_section_section'), type_='check')
    with op.batch_alter_table('plan_section', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_plan_section_section'), _check(BEFORE))
