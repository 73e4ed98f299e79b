"""Choices for the select fields of the web forms."""

from flask_babel.speaklater import LazyString
from wtforms.fields.choices import SelectChoice


def options(pairs):
    """(value, label) pairs as the choices of a select field, each lazy label translated
    here once (WTForms reads a label twice to write its option)."""
    return [SelectChoice(value, str(label) if isinstance(label, LazyString) else label)
            for value, label in pairs]
