"""Choices for the select fields of the web forms."""

from wtforms.fields.choices import SelectChoice


def options(pairs):
    """(value, label) pairs as the choices of a select field."""
    return [SelectChoice(value, label) for value, label in pairs]
