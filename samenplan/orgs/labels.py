"""Plain-language names for the kinds of organisation (DESIGN.md §2), by their code (marked for
translation; translated at render)."""
from samenplan.domain.i18n import _
from samenplan.orgs.models import ORGANISATION_KINDS

ORGANISATION_KIND_LABELS: dict[str, str] = {
    "wijkteam": _("Wijkteam"),
    "jeugdhulp": _("Jeugdhulp"),
    "ggz": _("GGZ (geestelijke gezondheidszorg)"),
    "schuldhulp": _("Schuldhulp"),
    "onderwijs": _("Onderwijs"),
    "jeugdbescherming": _("Jeugdbescherming"),
    "gemeente": _("Gemeente"),
    "other": _("Anders"),
}
assert set(ORGANISATION_KIND_LABELS) == set(ORGANISATION_KINDS)
