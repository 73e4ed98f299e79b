"""Cells of the spreadsheets and CSV files the platform writes.

A text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
by spreadsheet programs as a formula (CSV/XLSX injection: a narrative typed as
``=HYPERLINK(...)`` would run when a town opens the report). Such a text is written with
a leading apostrophe, as OWASP advises, so it shows as the text that was typed; numbers
stay numbers.
"""

FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """``value`` as a spreadsheet or CSV cell that can never be read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADERS):
        return "'" + value
    return value


def row(values):
    """Every value of a row as :func:`cell` writes it."""
    return [cell(value) for value in values]


def uncell(text):
    """A cell read back from a file this platform wrote: the text as it was typed."""
    if text.startswith("'") and text[1:].startswith(FORMULA_LEADERS):
        return text[1:]
    return text
