"""An outside legal-adviser service (外部法律顾问服务机构), where a town contracts one.

Where the plugin is enabled, every review request and every new version of a draft
is sent to the service: ``POST XS_LEGAL_SERVICE_URL`` with a JSON body signed with
``XS_LEGAL_SERVICE_SECRET`` (see :mod:`plugins.legal_service.signing`) and an
``Idempotency-Key`` naming the review and version. Sending goes through the
platform's outbox: a service that is down is retried with a growing delay, nothing
is lost, and a delivery the service already took is not taken twice.

The service answers by posting opinions to ``/legal-service/webhook`` (signed the
same way, with a ``delivery_id`` taken once): they appear on the review as the
adviser's. Settings: ``XS_LEGAL_SERVICE_URL``, ``XS_LEGAL_SERVICE_SECRET``, and
``XS_LEGAL_SERVICE_CALLBACK`` (the webhook's public URL, sent with each request).
A reference service for trials and tests: ``python -m plugins.legal_service.reference``.
"""

import json

from flask import Blueprint, current_app, has_request_context, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError

from core.toolkit import (
    Channel,
    DomainError,
    DuplicateDelivery,
    Jurisdiction,
    LegalReview,
    _l,
    csrf_exempt,
    db,
    deliver_queued,
    frozen,
    hookimpl,
    post,
    queue_message,
    record_external_opinion,
    registry,
    village_of_review,
)
from plugins.legal_service import signing

__version__ = "1.0.0"
__title__ = _l("Outside legal-adviser service")
__description__ = _l("Sends drafts to a legal-adviser service and takes its signed opinions back.")

NAME = "legal_service"
CHANNEL = "legal_service"
MAX_BODY = 1024 * 1024


class ServiceError(RuntimeError):
    pass


# ------------------------------------------------------------------ sending


def _callback_url():
    configured = current_app.config.get("XS_LEGAL_SERVICE_CALLBACK")
    if configured:
        return configured
    if has_request_context():
        return url_for("legal_service.webhook", _external=True)
    return ""


@hookimpl
def xs_legal_review_requested(review, version):
    village = db.session.get(Jurisdiction, review.jurisdiction_id)
    key = f"legal-review:{review.id}:v{version.number}"
    body = json.dumps({
        "idempotency_key": key,
        "review_id": review.id,
        "version": version.number,
        "sha256": version.sha256,
        "village": {"code": village.code, "name": village.name},
        "subject": review.subject,
        "title": review.title,
        "text": version.text,
        "note": version.note,
        "due_on": review.due_on.isoformat(),
        "callback_url": _callback_url(),
    }, ensure_ascii=False, sort_keys=True)
    queue_message(CHANNEL, f"review:{review.id}", key, body, key=key)
    db.session.commit()
    deliver_queued()


def send(recipient, subject, body):
    """Post one queued request; ``subject`` carries its idempotency key."""
    config = current_app.config
    url = config.get("XS_LEGAL_SERVICE_URL")
    if not url:
        raise ServiceError("XS_LEGAL_SERVICE_URL is not set")
    data = body.encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8",
               signing.IDEMPOTENCY: subject,
               **signing.sign(config.get("XS_LEGAL_SERVICE_SECRET", ""), data)}
    post(url, data, headers, fail=ServiceError, who="service")


@hookimpl
def xs_register_notification_channels(jurisdiction):
    # "service" is no one's address: the channel never carries people's notifications.
    return [Channel(name=CHANNEL, address="service", send=send)]


# ------------------------------------------------------------------ webhook

bp = Blueprint("legal_service", __name__, url_prefix="/legal-service")
FIELDS = {"delivery_id": str, "review_id": int, "version": int, "opinion": str,
          "reasoning": str, "provisions": str, "adviser": str}


def _refuse(status, error):
    return jsonify({"error": error}), status


@bp.route("/webhook", methods=["POST"])
def webhook():
    """An opinion from the outside service, signed, taken once."""

    if (request.content_length or 0) > MAX_BODY:
        return _refuse(413, "body too large")
    body = request.get_data(cache=False)
    try:
        signing.verify(current_app.config.get("XS_LEGAL_SERVICE_SECRET", ""), request.headers,
                       body)
    except signing.SignatureError as error:
        return _refuse(401, str(error))
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, "the body is not JSON")
    if not isinstance(payload, dict) or any(
            not isinstance(payload.get(key), kind) or isinstance(payload.get(key), bool)
            for key, kind in FIELDS.items()):
        return _refuse(400, "fields: " + ", ".join(f"{k} ({t.__name__})"
                                                  for k, t in FIELDS.items()))
    if not 1 <= len(payload["delivery_id"]) <= 100:
        return _refuse(400, "delivery_id must be 1 to 100 characters")
    review = db.session.get(LegalReview, payload["review_id"])
    if review is None or NAME not in registry().enabled_names(village_of_review(review)):
        return _refuse(404, "no such review for this service")
    try:
        comment = record_external_opinion(
            review, version_number=payload["version"], opinion=payload["opinion"],
            reasoning=payload["reasoning"], provisions=payload["provisions"],
            adviser_name=payload["adviser"], external_id=payload["delivery_id"])
    except DuplicateDelivery:
        db.session.rollback()
        return _refuse(409, "delivery already received")
    except IntegrityError:  # the same delivery, arriving twice at once
        db.session.rollback()
        return _refuse(409, "delivery already received")
    except DomainError as error:
        db.session.rollback()
        return _refuse(422, frozen(error.message))
    return jsonify({"comment_id": comment.id}), 201


csrf_exempt(bp)


@hookimpl
def xs_register_blueprints(app):
    return [bp]
