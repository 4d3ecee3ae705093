"""Marking user-facing strings in the pure domain.

The domain must not import Flask or flask-babel, so it cannot call
``lazy_gettext``. Instead every user-facing string is wrapped in ``_("...")``,
a no-op marker: it returns its argument unchanged, and Babel's extractor
(``pybabel extract``, keyword ``_``) still finds the string for the catalogue.

Dutch is the source language, so what the domain returns is ready to show.
Translation, when a catalogue for another language exists, happens at render
time: templates and views pass the (Dutch) message id through ``gettext``.

Strings with placeholders follow the usual gettext idiom: the template is
marked and formatted afterwards, e.g. ``_("Jullie hebben {count} doelen.").format(count=n)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["_", "Message"]


def _(s: str) -> str:
    """Mark `s` for extraction; return it unchanged."""
    return s


@dataclass(frozen=True)
class Message:
    """A message with parameters, translated where it is shown (`samenplan.web.say`):
    ``Message(_("Kies minstens %(n)s tekens."), {"n": 12})``. As a string: the Dutch."""

    msgid: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.msgid % self.params if self.params else self.msgid
