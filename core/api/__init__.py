"""The JSON API under ``/api/v1``.

Public reads: jurisdictions, boards and their entries with hashes, board
verification. With a personal token (``Authorization: Bearer xs_…``, made on
``/auth/tokens``): committees' topics, meetings, opinions and outcomes, through
the same services — and so the same rules and permissions — as the web forms.
The OpenAPI document at ``/api/v1/openapi.json`` is generated from the views'
docstrings and the marshmallow schemas (apispec).
"""

import re
from functools import wraps

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import bindparam, func, select

from core.api import schemas
from core.board import chain as disclosure
from core.consultation import dashboard, meetings, outcomes, subjects, topics
from core.consultation.procedures import latest_outcome
from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import csrf, db, read_rows
from core.models import BoardEntry, Jurisdiction, Meeting, Topic
from core.people import tokens
from core.places import tree

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


# -------------------------------------------------------------- plumbing


class ApiError(Exception):
    def __init__(self, status, message, fields=None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields


def error(status, message, fields=None):
    body = {"error": str(message)}
    if fields:
        body["fields"] = fields
    return jsonify(body), status


@bp.errorhandler(ApiError)
def _api_error(failure):
    return error(failure.status, failure.message, failure.fields)


@bp.errorhandler(DomainError)
def _refused(failure):
    db.session.rollback()
    status = failure.status if isinstance(failure, (NotFound, PermissionDenied)) else 422
    return error(status, failure.message)


def load(schema, source):
    """Read and check input with ``schema``; a 400 naming each bad field otherwise."""
    try:
        return schema().load(source)
    except ValidationError as failure:
        raise ApiError(400, _l("The input is not valid."), failure.normalized_messages()) from None


def body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _l("Send a JSON object (Content-Type: application/json)."))
    return data


def query(schema):
    return load(schema, request.args.to_dict())


def token_required(view):
    """The token's user is ``g.api_user``; without a valid token, 401."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        user = tokens.user_for(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            response = error(401, _l("A valid personal token is needed: "
                                     "Authorization: Bearer <token>."))
            response[0].headers["WWW-Authenticate"] = 'Bearer realm="xieshang"'
            return response
        g.api_user = user
        return view(*args, **kwargs)
    return wrapped


def _jurisdiction(code):
    try:
        return tree.by_code(code)
    except NotFound:
        raise ApiError(404, _l("No jurisdiction has this code.")) from None


def _topic(topic_id):
    topic = db.session.get(Topic, topic_id) if 0 < topic_id < 2**31 else None
    if topic is None or not permissions.can_read_topic(g.api_user, topic):
        raise ApiError(404, _l("No such topic."))
    return topics.get(topic_id)


def _meeting(topic, meeting_id):
    meeting = db.session.get(Meeting, meeting_id) if 0 < meeting_id < 2**31 else None
    if meeting is None or meeting.topic_id != topic.id:
        raise ApiError(404, _l("No such meeting."))
    return meeting


# ------------------------------------------------------------ dumping


def _jurisdiction_out(node, children=None):
    parent = node.path.strip("/").split("/")
    return {"code": node.code, "name": node.name, "level": node.level,
            "parent": parent[-2] if len(parent) > 1 else None,
            **({"children": children} if children is not None else {})}


def _entry_out(entry, board_code):
    return {"seq": entry.seq, "kind": entry.kind, "title": entry.title,
            "published_at": entry.published_at, "topic_id": entry.topic_id,
            "item_code": entry.item_code, "prev_hash": entry.prev_hash,
            "entry_hash": entry.entry_hash,
            "url": url_for("board.entry", code=board_code, seq=entry.seq, _external=True)}


def _topic_out(topic, code):
    return {"id": topic.id, "jurisdiction": code, "title": topic.title,
            "description": topic.description, "status": topic.status,
            "channel": topic.channel, "procedure": topic.procedure, "step": topic.step,
            "item_code": topic.item_code, "item_title": topic.item_title,
            "deciding_bodies": topic.deciding_body_list, "lead": topic.lead,
            "created_at": topic.created_at}


def _meeting_out(meeting):
    return {key: getattr(meeting, key) for key in (
        "id", "round_no", "form", "mode", "starts_at", "place", "host", "agenda",
        "notice_at", "held_at", "outcome")}


def dump(schema, data, status=200):
    return jsonify(schema().dump(data)), status


# ------------------------------------------------------------- public


def _errors(*codes):
    """Append to an operation's documented responses the errors it may give (``ErrorSchema``
    bodies, for the given status codes)."""
    blocks = "".join(f"""
        {code}:
          content:
            application/json:
              schema: ErrorSchema""" for code in codes)

    def document(view):
        view.__doc__ = view.__doc__.rstrip() + blocks + "\n"
        return view
    return document


_doc = _errors(400, 401, 403, 404, 422)  # every authenticated operation may give these


@bp.route("/jurisdictions")
@_errors(400, 404)
def jurisdictions_list():
    """List the roots of the tree, or the children of ``parent``.
    ---
    get:
      tags: [public]
      parameters:
      - in: query
        schema: JurisdictionQuery
      responses:
        200:
          content:
            application/json:
              schema: JurisdictionPageSchema
    """
    args = query(schemas.JurisdictionQuery)
    parent = _jurisdiction(args["parent"]) if args.get("parent") else None
    per_page = current_app.config["XS_PAGE_SIZE"]
    rows, total = tree.children_page(parent, page_number=args["page"], per_page=per_page)
    return dump(schemas.JurisdictionPageSchema, {
        "items": [_jurisdiction_out(node, children) for node, children in rows],
        "total": total, "page": args["page"], "per_page": per_page})


@bp.route("/jurisdictions/<code>")
@_errors(404)
def jurisdiction(code):
    """One jurisdiction.
    ---
    get:
      tags: [public]
      responses:
        200:
          content:
            application/json:
              schema: JurisdictionSchema
    """
    return dump(schemas.JurisdictionSchema, _jurisdiction_out(_jurisdiction(code)))


# The columns a list shows (the content JSON stays unread), newest first; ``entries``
# unpacks its rows in this order.
_NEWEST_ENTRIES = select(
    BoardEntry.seq, BoardEntry.kind, BoardEntry.title, BoardEntry.published_at,
    BoardEntry.topic_id, BoardEntry.item_code, BoardEntry.prev_hash, BoardEntry.entry_hash,
).where(BoardEntry.jurisdiction_id == bindparam("board_id")).order_by(
    BoardEntry.seq.desc()).limit(bindparam("limit"))


@bp.route("/boards/<code>/entries")
@_errors(400, 404)
def entries(code):
    """A board's published entries, newest first, with their hashes (keyset pages).
    ---
    get:
      tags: [public]
      parameters:
      - in: query
        schema: EntryQuery
      responses:
        200:
          content:
            application/json:
              schema: EntryPageSchema
    """
    node = _jurisdiction(code)
    args = query(schemas.EntryQuery)
    statement = _NEWEST_ENTRIES
    if args.get("before"):
        statement = statement.where(BoardEntry.seq < args["before"])
    if args.get("kind"):
        statement = statement.where(BoardEntry.kind == args["kind"])
    rows = read_rows(statement, {"board_id": node.id, "limit": args["limit"] + 1})
    more = len(rows) > args["limit"]
    rows = rows[:args["limit"]]
    base = url_for("board.index", code=node.code, _external=True)
    # Plain dicts in the document's shape (EntryPageSchema): the hot list skips marshmallow.
    return jsonify({
        "items": [{"seq": seq, "kind": kind, "title": title,
                   "published_at": published_at.isoformat(), "topic_id": topic_id,
                   "item_code": item_code, "prev_hash": prev_hash, "entry_hash": entry_hash,
                   "url": f"{base}/{seq}"}
                  for seq, kind, title, published_at, topic_id, item_code, prev_hash,
                  entry_hash in rows],
        "next_before": rows[-1].seq if more else None})


@bp.route("/boards/<code>/entries/<int:seq>")
@_errors(404)
def entry(code, seq):
    """One entry with the canonical content its hash covers.
    ---
    get:
      tags: [public]
      responses:
        200:
          content:
            application/json:
              schema: EntryDetailSchema
    """
    node = _jurisdiction(code)
    found = db.session.scalar(select(BoardEntry).where(
        BoardEntry.jurisdiction_id == node.id, BoardEntry.seq == seq)) if seq < 2**31 else None
    if found is None:
        raise ApiError(404, _l("No such entry on this board."))
    corrected_by = db.session.scalars(select(BoardEntry.seq).where(
        BoardEntry.corrects_id == found.id).order_by(BoardEntry.seq)).all()
    return dump(schemas.EntryDetailSchema, dict(_entry_out(found, node.code),
                                                content=found.content,
                                                corrected_by=corrected_by))


@bp.route("/boards/<code>/verify")
@_errors(404)
def verify(code):
    """Recompute the board's hash chain.
    ---
    get:
      tags: [public]
      responses:
        200:
          content:
            application/json:
              schema: VerificationSchema
    """
    result = disclosure.verify(_jurisdiction(code))
    return dump(schemas.VerificationSchema, {"ok": result.ok, "checked": result.checked,
                                             "bad_seq": result.bad_seq,
                                             "reason": str(result.reason)
                                             if result.reason else ""})


# ------------------------------------------------------- with a token

@bp.route("/topics")
@token_required
@_doc
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
    root = _jurisdiction(args["jurisdiction"]) if args.get("jurisdiction") else None
    statement = dashboard._scoped(g.api_user, root)
    if args.get("status"):
        statement = statement.where(Topic.status == args["status"])
    per_page = current_app.config["XS_PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.execute(
        statement.join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
        .with_only_columns(Topic, Jurisdiction.code).order_by(Topic.id.desc()).limit(per_page)
        .offset((args["page"] - 1) * per_page)).all()
    return dump(schemas.TopicPageSchema, {
        "items": [_topic_out(topic, code) for topic, code in rows],
        "total": total, "page": args["page"], "per_page": per_page})


@bp.route("/topics", methods=["POST"])
@token_required
@_doc
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
    village = _jurisdiction(data["jurisdiction"])
    topic = topics.propose(g.api_user, village, title=data["title"],
                           description=data["description"])
    return dump(schemas.TopicSchema, _topic_out(topic, village.code), 201)


@bp.route("/topics/<int:topic_id>")
@token_required
@_doc
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
    found = _topic(topic_id)
    missing = ([str(gap) for gap in topics.progress(found)["missing"]]
               if found.is_open and found.step else [])
    return dump(schemas.TopicDetailSchema, dict(_topic_out(found, found.jurisdiction.code),
                                                missing=missing))


@bp.route("/topics/<int:topic_id>/meetings")
@token_required
@_doc
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
    found = _topic(topic_id)
    return dump(schemas.MeetingListSchema,
                {"items": [_meeting_out(m) for m in meetings.meetings(found)]})


@bp.route("/topics/<int:topic_id>/meetings", methods=["POST"])
@token_required
@_doc
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
    found = _topic(topic_id)
    data = load(schemas.MeetingInput, body())
    meeting = meetings.schedule(g.api_user, found, **data)
    return dump(schemas.MeetingSchema, _meeting_out(meeting), 201)


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/opinions", methods=["POST"])
@token_required
@_doc
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
    found = _topic(topic_id)
    meeting = _meeting(found, meeting_id)
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
@_doc
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
    return dump(schemas.OutcomeSchema, _outcome_out(_outcome_of(_topic(topic_id))))


@bp.route("/topics/<int:topic_id>/outcome/confirm", methods=["POST"])
@token_required
@_doc
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
    found = _topic(topic_id)
    current = _outcome_of(found)
    outcomes.confirm(g.api_user, found, current)
    return dump(schemas.OutcomeSchema, _outcome_out(current))


# ------------------------------------------------------------- OpenAPI


def build_spec():
    spec = APISpec(
        title="xieshang API", version="1", openapi_version="3.0.3",
        info={"description": __doc__.split("\n\n")[1].replace("\n", " ")},
        servers=[{"url": "/"}],
        plugins=[FlaskPlugin(), MarshmallowPlugin()])
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    for name in ("ErrorSchema",):
        spec.components.schema(name.removesuffix("Schema"), schema=getattr(schemas, name))
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            spec.path(view=current_app.view_functions[rule.endpoint],
                      parameters=_path_parameters(rule.rule))
    return spec.to_dict()


def _path_parameters(rule):
    """The parameters of a route's path, as its URL rule declares them (``<int:seq>``)."""
    return [{"in": "path", "name": name, "required": True,
             "schema": {"type": "integer", "minimum": 1} if converter == "int"
             else {"type": "string"}}
            for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule)]


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI document, generated from this module."""
    cache = current_app.extensions.setdefault("xieshang.openapi", {})
    if "spec" not in cache:
        cache["spec"] = build_spec()
    return jsonify(cache["spec"])
