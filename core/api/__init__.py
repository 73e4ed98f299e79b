"""The JSON API under ``/api/v1``.

Public reads: jurisdictions, boards and their entries with hashes, board
verification. With a personal token (``Authorization: Bearer xs_…``, made on
``/auth/tokens``): committees' topics, meetings, opinions and outcomes, through
the same services — and so the same rules and permissions — as the web forms.
The OpenAPI document at ``/api/v1/openapi.json`` is generated from the views'
docstrings and the marshmallow schemas (apispec).
"""

from flask import Blueprint

from core.api.common import ApiError, error
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(ApiError)
def _api_error(failure):
    return error(failure.status, failure.message, failure.fields)


@bp.errorhandler(DomainError)
def _refused(failure):
    db.session.rollback()
    status = failure.status if isinstance(failure, (NotFound, PermissionDenied)) else 422
    return error(status, failure.message)


# The operations, one module a part (imported for their registrations).
from core.api import committees, openapi, public  # noqa: E402, F401
