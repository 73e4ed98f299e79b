"""With a personal token: committees' topics, meetings, opinions and outcomes, through the
same services (and so the same rules and permissions) as the web forms."""


from flask import current_app, g
from flask_babel import lazy_gettext as _l

from core.api import bp, schemas
from core.api.common import (
    ApiError,
    body,
    dump,
    jurisdiction_or_404,
    load,
    meeting_or_404,
    meeting_out,
    query,
    token_required,
    topic_or_404,
    topic_out,
    with_token_errors,
)
from core.consultation import dashboard, meetings, outcomes, subjects, topics
from core.consultation.procedures import latest_outcome


@bp.route("/topics")
@token_required
@with_token_errors
def topics_list():
    """Topics the token's user may read (staff in their subtree), newest first.
    ---
    get:
      tags: [committees]
      security: [{token: []}]
      parameters:
      - in: query
        schema: TopicQuery
      responses:
        200:
          content:
            application/json:
              schema: TopicPageSchema
    """
    args = query(schemas.TopicQuery)
    root = jurisdiction_or_404(args["jurisdiction"]) if args.get("jurisdiction") else None
    per_page = current_app.config["XS_PAGE_SIZE"]
    rows, total = dashboard.readable_page(g.api_user, root, status=args.get("status"),
                                          page_number=args["page"], per_page=per_page)
    return dump(schemas.TopicPageSchema, {
        "items": [topic_out(topic, code) for topic, code in rows],
        "total": total, "page": args["page"], "per_page": per_page})


@bp.route("/topics", methods=["POST"])
@token_required
@with_token_errors
def propose():
    """Propose a topic in a village or community (as a resident would).
    ---
    post:
      tags: [committees]
      security: [{token: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: ProposeInput
      responses:
        201:
          content:
            application/json:
              schema: TopicSchema
    """
    data = load(schemas.ProposeInput, body())
    village = jurisdiction_or_404(data["jurisdiction"])
    topic = topics.propose(g.api_user, village, title=data["title"],
                           description=data["description"])
    return dump(schemas.TopicSchema, topic_out(topic, village.code), 201)


@bp.route("/topics/<int:topic_id>")
@token_required
@with_token_errors
def topic(topic_id):
    """One topic, with what its current step still needs.
    ---
    get:
      tags: [committees]
      security: [{token: []}]
      responses:
        200:
          content:
            application/json:
              schema: TopicDetailSchema
    """
    found = topic_or_404(topic_id)
    missing = ([str(gap) for gap in topics.progress(found)["missing"]]
               if found.is_open and found.step else [])
    return dump(schemas.TopicDetailSchema, dict(topic_out(found, found.jurisdiction.code),
                                                missing=missing))


@bp.route("/topics/<int:topic_id>/meetings")
@token_required
@with_token_errors
def meetings_list(topic_id):
    """The topic's meetings, one per round.
    ---
    get:
      tags: [committees]
      security: [{token: []}]
      responses:
        200:
          content:
            application/json:
              schema: MeetingListSchema
    """
    found = topic_or_404(topic_id)
    return dump(schemas.MeetingListSchema,
                {"items": [meeting_out(m) for m in meetings.meetings(found)]})


@bp.route("/topics/<int:topic_id>/meetings", methods=["POST"])
@token_required
@with_token_errors
def schedule(topic_id):
    """Plan the next round's meeting (the committee; the same rules as the form).
    ---
    post:
      tags: [committees]
      security: [{token: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: MeetingInput
      responses:
        201:
          content:
            application/json:
              schema: MeetingSchema
    """
    found = topic_or_404(topic_id)
    data = load(schemas.MeetingInput, body())
    meeting = meetings.schedule(g.api_user, found, **data)
    return dump(schemas.MeetingSchema, meeting_out(meeting), 201)


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/opinions", methods=["POST"])
@token_required
@with_token_errors
def opinion(topic_id, meeting_id):
    """Record a participant's opinion (their own, or on their behalf by the committee).
    ---
    post:
      tags: [committees]
      security: [{token: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: OpinionInput
      responses:
        201:
          content:
            application/json:
              schema: OpinionSchema
    """
    found = topic_or_404(topic_id)
    meeting = meeting_or_404(found, meeting_id)
    data = load(schemas.OpinionInput, body())
    participant = subjects.get(found, data["participant_id"])
    recorded = meetings.add_opinion(g.api_user, found, meeting, participant,
                                    position=data["position"], text=data["text"],
                                    on_behalf=data["on_behalf"])
    return dump(schemas.OpinionSchema, {
        "id": recorded.id, "participant_id": participant.id, "position": recorded.position,
        "text": recorded.text, "on_behalf": recorded.on_behalf}, 201)


def _outcome_out(outcome):
    return {"id": outcome.id, "text": outcome.text,
            "signatures": len(outcomes.signatures(outcome)),
            "witness_required": outcome.witness_required,
            "witnessed": outcome.witnessed_at is not None,
            "confirmed_at": outcome.confirmed_at,
            "missing": [] if outcome.confirmed_at else
            [str(gap) for gap in outcomes.missing_for_confirmation(outcome)]}


def _outcome_of(found):
    outcome = latest_outcome(found)
    if outcome is None:
        raise ApiError(404, _l("The topic has no outcome yet."))
    return outcome


@bp.route("/topics/<int:topic_id>/outcome")
@token_required
@with_token_errors
def outcome(topic_id):
    """The latest round's outcome, its signatures and what its confirmation still needs.
    ---
    get:
      tags: [committees]
      security: [{token: []}]
      responses:
        200:
          content:
            application/json:
              schema: OutcomeSchema
    """
    return dump(schemas.OutcomeSchema, _outcome_out(_outcome_of(topic_or_404(topic_id))))


@bp.route("/topics/<int:topic_id>/outcome/confirm", methods=["POST"])
@token_required
@with_token_errors
def confirm(topic_id):
    """Confirm the outcome (every attendee signed, the witness if needed, no open
    "unlawful" legal opinion where that rule is on).
    ---
    post:
      tags: [committees]
      security: [{token: []}]
      responses:
        200:
          content:
            application/json:
              schema: OutcomeSchema
    """
    found = topic_or_404(topic_id)
    current = _outcome_of(found)
    outcomes.confirm(g.api_user, found, current)
    return dump(schemas.OutcomeSchema, _outcome_out(current))


