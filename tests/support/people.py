"""The eight demo logins of DESIGN.md §6, and what they log in with; and, at the end, the
demo's administrator and functioneel beheerders.

Family: Sandra (mother), Mark (father), Lisa (15); network: Riet (grandmother); professionals,
all with two-factor login: Fatima (Sociaal Wijkteam Noord, casusregisseur), Daan (GGZ Kompas),
Ilse (Schuldhulp Stad), Joris (Het Baken College).
"""
from __future__ import annotations

SANDRA = "sandra@demo.samenplan.nl"
MARK = "mark@demo.samenplan.nl"
LISA = "lisa@demo.samenplan.nl"
RIET = "riet@demo.samenplan.nl"
FATIMA = "fatima@wijkteam-noord.demo"
DAAN = "daan@ggz-kompas.demo"
ILSE = "ilse@schuldhulp-stad.demo"
JORIS = "joris@hetbaken.demo"

DEMO_USERS = [SANDRA, MARK, LISA, RIET, FATIMA, DAAN, ILSE, JORIS]
FAMILY = [SANDRA, MARK, LISA]
PROFESSIONALS = [FATIMA, DAAN, ILSE, JORIS]

DEMO_PASSWORD = "samen-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the professionals' second factor (demo only)

# Who manages, and sees no family data by that role (issue 10): the application administrator
# and a functioneel beheerder per demo organisation. Same password and TOTP secret as above.
ADMIN = "beheer@samenplan.demo"
BEHEER_WIJKTEAM = "beheer@wijkteam-noord.demo"
BEHEER_GGZ = "beheer@ggz-kompas.demo"
BEHEER_SCHULDHULP = "beheer@schuldhulp-stad.demo"
BEHEER_SCHOOL = "beheer@hetbaken.demo"
BEHEERDERS = [BEHEER_WIJKTEAM, BEHEER_GGZ, BEHEER_SCHULDHULP, BEHEER_SCHOOL]
