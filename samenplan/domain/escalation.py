"""When an action may be escalated (*opschalen*, DESIGN §2): pure, no database, no Flask.

"An action still undone after a reminder can be escalated by the casusregisseur to a named
contact of that organisation": so it must be undone, reminded of (a reminder was sent about
it), done by a professional whose organisation the casusregisseur may know of, and not
escalated already (one open escalation at a time; a closed one may be followed by another)."""
from __future__ import annotations

from samenplan.domain.i18n import _

NOT_WHILE_DONE = _("Deze actie is al klaar. Opschalen is niet nodig.")
NOT_BEFORE_REMINDER = _("Er is nog geen herinnering over deze actie verstuurd. Opschalen kan pas "
                        "als de actie na een herinnering nog niet klaar is.")
NO_ORGANISATION = _("Deze actie doet geen hulpverlener van een organisatie. Opschalen kan "
                    "alleen naar een organisatie.")
ALREADY_OPEN = _("Deze actie is al opgeschaald. Rond die opschaling eerst af.")


def refusal(*, done: bool, reminded: bool, organisation_known: bool,
            already_open: bool) -> str | None:
    """Why an action cannot be escalated now (a message marked for translation), or None."""
    if done:
        return NOT_WHILE_DONE
    if not reminded:
        return NOT_BEFORE_REMINDER
    if not organisation_known:
        return NO_ORGANISATION
    if already_open:
        return ALREADY_OPEN
    return None
