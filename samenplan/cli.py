"""flask --app samenplan seed-demo | admin create | audit verify | org sso"""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

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

    @app.cli.command("send-reminders")
    @click.option("--now", "now_iso", default=None,
                  help="Pretend it is this moment (ISO, UTC; for tests). Default: now.")
    def send_reminders_command(now_iso):
        """Actions due tomorrow and overdue, evaluations tomorrow: each reminded once (safe to
        run from cron often)."""
        from datetime import datetime, timezone

        from samenplan.db import utcnow
        from samenplan.notices.reminders import send_reminders

        if now_iso:
            now = datetime.fromisoformat(now_iso)
            if now.tzinfo is not None:
                now = now.astimezone(timezone.utc).replace(tzinfo=None)
        else:
            now = utcnow()
        from contextlib import nullcontext

        from samenplan.notices.services import without_mail

        session = db.session()
        mail_off = nullcontext()
        if not current_app.config.get("PUBLIC_URL"):  # no safe link to mail: tell in the app only
            click.echo("PUBLIC_URL is not set: reminders go to the notifications only, no mail.",
                       err=True)
            mail_off = without_mail(session)
        with mail_off:
            from samenplan.team.services import end_finished_parts

            left = end_finished_parts(session, now)
            tally = send_reminders(session, now)
        click.echo(f"{tally.sent} herinneringen verstuurd, {tally.already} al eerder verstuurd")
        if left:
            click.echo(f"{left} deelnames beëindigd")

    audit_group = AppGroup("audit", help="The tamper-evident audit log.")

    @audit_group.command("verify")
    @click.option("--family", "family_id", type=int, default=None,
                  help="Check only this family's chain (default: every chain).")
    def verify_command(family_id):
        """Check the hash chains; exit 1 at the first broken link."""
        from samenplan.privacy.audit import verify

        result = verify(db.session(), family_id)
        if result.ok:
            click.echo(f"Audit log intact: {result.checked} events checked.")
            return
        click.echo(
            f"Audit log BROKEN at event {result.broken_id or '(end)'}: {result.reason} "
            f"({result.checked} events before it are intact).", err=True,
        )
        raise SystemExit(1)

    app.cli.add_command(audit_group)

    org_group = AppGroup("org", help="Organisations.")

    @org_group.command("sso")
    @click.argument("name")
    @click.option("--issuer", required=True, help="The provider's issuer URL.")
    @click.option("--client-id", required=True)
    @click.option("--client-secret", required=True, envvar="SSO_CLIENT_SECRET",
                  help="Or set SSO_CLIENT_SECRET, to keep it out of the shell history.")
    @click.option("--domains", required=True, help="E-mail domains it covers, comma separated.")
    def org_sso_command(name, issuer, client_id, client_secret, domains):
        """Let an organisation's professionals log in through its OpenID Connect provider."""
        from sqlalchemy import select

        from samenplan.orgs.models import Organisation

        session = db.session()
        organisation = session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            raise click.ClickException(f"no organisation called {name!r}")
        organisation.oidc_issuer = issuer
        organisation.oidc_client_id = client_id
        organisation.oidc_client_secret = client_secret
        organisation.oidc_domains = ",".join(d.strip().lower() for d in domains.split(",") if d.strip())
        session.commit()
        click.echo(f"{name}: single sign-on through {issuer} for {organisation.oidc_domains}")

    app.cli.add_command(org_group)

    admin_group = AppGroup("admin", help="Application administrators.")

    @admin_group.command("create")
    @click.argument("email")
    @click.option("--name", prompt="Name", help="The administrator's name (asked for when not given).")
    @click.option("--another", is_flag=True,
                  help="Add an administrator although there is one already.")
    def admin_create_command(email, name, another):
        """Make the application administrator: they add organisations and name their
        functioneel beheerders. Mails them a link to choose a password (then they set up
        two-factor login); without SMTP_HOST the one-time link is printed instead. Safe in
        production; refuses when an administrator exists, unless --another."""
        from samenplan.auth.admins import AdminRefused, create_admin

        try:
            made = create_admin(db.session(), email, name, another=another)
        except AdminRefused as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(made.summary)
        if made.link is None:
            return
        if current_app.config.get("SMTP_HOST"):
            try:
                made.send_mail()
            except Exception as exc:  # noqa: BLE001 - the operator is told, and gets the link
                click.echo(f"The mail to {made.user.email} could not be sent ({exc.__class__.__name__}: {exc}). "
                           "Give them this one-time link yourself (it works 7 days, once):", err=True)
                click.echo(made.link)
                return
            click.echo(f"A mail with a link to choose a password went to {made.user.email} "
                       "(it works 7 days, once).")
        else:
            click.echo("No mail is configured (SMTP_HOST): give them this one-time link yourself "
                       "(it works 7 days, once):")
            click.echo(made.link)

    app.cli.add_command(admin_group)
