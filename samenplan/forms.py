"""Form pieces shared by the features."""
from flask import g
from markupsafe import Markup, escape
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes (large touch targets) instead of a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(choices: list[tuple]) -> Markup:
    """The `<option>`s of a select written as plain HTML (the plan page's cards have no form
    object: issue 14), escaped as the template would; those of a list of choices that many
    cards share are made once a request (the list is kept with them, so it is the same one)."""
    made = g.setdefault("samenplan_options", {})
    hit = made.get(id(choices))
    if hit is not None and hit[0] is choices:
        return hit[1]
    html = Markup("".join(f'<option value="{escape(value)}">{escape(label)}</option>'
                          for value, label in choices))
    made[id(choices)] = (choices, html)
    return html
