"""flask --app samenplan seed-demo | audit verify"""
from __future__ import annotations

import click
from flask import Flask, current_app

from samenplan import db


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Create the Jansen / de Boer demo family (DESIGN.md §6). Safe to run twice."""
        if current_app.config["SAMENPLAN_ENV"] == "production":
            raise click.ClickException("seed-demo refuses to run when SAMENPLAN_ENV=production")
        from samenplan.demo import seed_demo

        created = seed_demo(db.session())
        click.echo("Demo family created." if created else "Demo family already there; nothing changed.")

    audit_group = click.Group("audit", help="The tamper-evident audit log.")

    @audit_group.command("verify")
    def verify_command():
        """Check the hash chain; exit 1 at the first broken link."""
        from samenplan.privacy.audit import verify

        result = verify(db.session())
        if result.ok:
            click.echo(f"Audit log intact: {result.checked} events checked.")
            return
        click.echo(
            f"Audit log BROKEN at event {result.broken_id}: {result.reason} "
            f"({result.checked} events before it are intact).", err=True,
        )
        raise SystemExit(1)

    app.cli.add_command(audit_group)
