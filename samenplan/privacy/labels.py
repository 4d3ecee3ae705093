"""Plain-language names for categories and roles (marked for translation; translated at render)."""
from samenplan.domain.i18n import _
from samenplan.privacy.facts import Category, Role

CATEGORY_LABELS: dict[str, str] = {
    Category.ALGEMEEN.value: _("Algemeen"),
    Category.GEZONDHEID.value: _("Gezondheid (ook psychisch)"),
    Category.VEILIGHEID.value: _("Veiligheid"),
    Category.FINANCIEN.value: _("Geld en schulden"),
    Category.JUSTITIE.value: _("Politie en justitie"),
    Category.VERBLIJFPLAATS.value: _("Adres en waar iemand is"),
}

ROLE_LABELS: dict[str, str] = {
    Role.FAMILY.value: _("Gezin"),
    Role.NETWORK.value: _("Netwerk"),
    Role.PROFESSIONAL.value: _("Hulpverlener"),
    Role.CASUSREGISSEUR.value: _("Casusregisseur"),
}
