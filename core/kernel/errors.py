"""Errors the services raise; the web layer turns them into messages and status codes."""


class DomainError(Exception):
    """A refused operation, with a message for the user (a lazy translatable string)."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    """A refusal because the acting user may not do this here (403)."""

    status = 403


class NotFound(DomainError):
    """A refusal because what was asked for does not exist (404)."""

    status = 404


def bounded_text(text, low, high, message):
    """``text`` stripped, if it has ``low`` to ``high`` characters; else a refusal with
    ``message``."""
    text = (text or "").strip()
    if not low <= len(text) <= high:
        raise DomainError(message)
    return text
