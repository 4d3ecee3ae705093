"""What notifications say (marked for translation; translated at render). The names of
categories and roles are their vocabularies' labels (`privacy/facts.py`)."""
from samenplan.domain.i18n import _

#: What a notification says, by its kind; filled in with its parameters when shown.
NOTICE_TEXTS: dict[str, str] = {
    "reminder_action_due": _("Je hebt een actie voor morgen (%(due)s). Kijk in het plan."),
    "reminder_action_overdue": _("Je had een actie voor %(due)s. Lukt het nog? Kijk in het plan."),
    "reminder_action_overdue_chair": _("Een actie voor %(due)s is nog niet klaar. Kijk in het plan."),
    "evaluation_report": _("Het verslag van de evaluatie van %(day)s staat klaar. Kijk wat er is "
                           "afgesproken."),
    "reminder_evaluation_tomorrow": _("Morgen (%(day)s) is de evaluatie van het plan."),
    "reminder_aftercare_today": _("Hoe gaat het nu met je? Vandaag vragen we het je even. Kijk in het plan."),
    "aftercare_worry": _("Een antwoord bij de nazorg vraagt aandacht: het gaat minder goed, of "
                         "iemand wil graag contact. Kijk in het plan."),
    "escalation": _("%(by)s (%(organisation)s) vraagt je om contact op te nemen over een actie "
                    "van jouw organisatie die nog niet klaar is."),
    "escalation_in_plan": _("%(by)s heeft een actie die nog niet klaar is bij je opgeschaald. "
                            "Kijk in het plan."),
    "consent_recorded": _("%(actor)s heeft vastgelegd dat je toestemming gaf. Klopt dat niet? "
                          "Dan kun je het intrekken."),
    "consent_asked": _("%(actor)s vraagt om je toestemming. Kijk of je het goed vindt."),
    "consent_revoked": _("%(actor)s heeft vastgelegd dat een toestemming is ingetrokken."),
    "consent_declined": _("Je vraag om toestemming is niet gegeven."),
    "emergency": _("%(actor)s gebruikt doorbreken voor %(person)s (%(category)s), tot %(until)s."),
    "access_granted": _("Je mag nu meer zien in dit plan: %(what)s van %(person)s."),
    "access_lost": _("Je mag niet meer alles zien in dit plan: %(what)s van %(person)s is weer "
                     "alleen voor wie toestemming heeft."),
    "invitation_accepted": _("%(name)s doet nu mee aan het plan."),
    "professional_left": _("%(name)s werkt niet meer bij %(organisation)s en doet niet meer mee aan "
                           "dit plan. Kijk wie het werk overneemt."),
    "involvement_closed": _("%(name)s stopt met het werk in dit plan. Kijk in het team waarom."),
    "beheerder_removed": _("Je bent geen functioneel beheerder meer van %(organisation)s. Je werk als "
                           "hulpverlener blijft zoals het was."),
    "admin_removed": _("Je bent geen beheerder van samenplan meer."),
    "closure_proposed": _("Je vaste hulpverlener stelt voor om het plan af te ronden. Vind je dat "
                          "goed? Zeg het in het plan."),
    "closure_agreement_recorded": _("Je vaste hulpverlener heeft opgeschreven wat je aan tafel zei "
                                    "over het afronden van het plan. Klopt dat niet? Zeg het zelf "
                                    "in het plan."),
    "plan_closed": _("Het plan is afgerond. Het eindverslag staat klaar."),
    "plan_reopened": _("Het plan is weer open. Kijk wat er is veranderd."),
    "handover_you": _("%(chair)s vraagt je om casusregisseur van dit plan te worden, vanaf "
                      "%(day)s. Tot die dag zijn jullie allebei casusregisseur."),
    "handover_named_family": _("%(successor)s wordt je nieuwe vaste hulpverlener, vanaf %(day)s. "
                               "Eerst maken jullie kennis. Tot die dag kun je %(chair)s ook "
                               "gewoon bellen."),
    "handover_named_team": _("%(chair)s draagt het plan over aan %(successor)s. Vanaf %(day)s is "
                             "%(successor)s de casusregisseur."),
    "handover_done_family": _("Vanaf nu is %(successor)s je vaste hulpverlener. Bel %(successor)s "
                              "als je iets wilt vragen."),
    "handover_done_team": _("%(successor)s is nu de casusregisseur van dit plan, na %(chair)s."),
    "appointed_chair": _("Je bent nu de casusregisseur van een gezin dat %(chair)s had. Kijk in "
                         "het plan wat er nodig is."),
    "handover_cancelled_family": _("%(chair)s blijft je vaste hulpverlener. De overdracht gaat "
                                   "niet door."),
    "handover_cancelled_team": _("De overdracht aan %(successor)s gaat niet door. %(chair)s blijft "
                                 "de casusregisseur."),
}
