"""What every API view shares: reading input, tokens, errors, and the documents it returns."""

from functools import wraps

from flask import g, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from core.consultation import meetings, topics
from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound
from core.models.types import is_row_id
from core.people import tokens
from core.places import tree


class ApiError(Exception):
    def __init__(self, status, message, fields=None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields


def error(status, message, fields=None):
    body = {"error": str(message)}
    if fields:
        body["fields"] = fields
    return jsonify(body), status


def load(schema, source):
    """Read and check input with ``schema``; a 400 naming each bad field otherwise."""
    try:
        return schema().load(source)
    except ValidationError as failure:
        raise ApiError(400, _l("The input is not valid."), failure.normalized_messages()) from None


def body():
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested past what the parser takes: not a body we read
        data = None
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


def jurisdiction_or_404(code):
    try:
        return tree.by_code(code)
    except NotFound:
        raise ApiError(404, _l("No jurisdiction has this code.")) from None


def topic_or_404(topic_id):
    """The topic, if the token's user may read it; a 404 alike for both otherwise."""
    try:
        topic = topics.get(topic_id) if is_row_id(topic_id) else None
    except NotFound:
        topic = None
    if topic is None or not permissions.can_read_topic(g.api_user, topic):
        raise ApiError(404, _l("No such topic."))
    return topic


def meeting_or_404(topic, meeting_id):
    """The topic's meeting, or a 404."""
    try:
        if is_row_id(meeting_id):
            return meetings.get(topic, meeting_id)
    except DomainError:
        pass
    raise ApiError(404, _l("No such meeting."))


# ------------------------------------------------------------ dumping


def jurisdiction_out(node, children=None):
    parent = node.path.strip("/").split("/")
    return {"code": node.code, "name": node.name, "level": node.level,
            "parent": parent[-2] if len(parent) > 1 else None,
            **({"children": children} if children is not None else {})}


def entry_out(entry, board_code):
    return {"seq": entry.seq, "kind": entry.kind, "title": entry.title,
            "published_at": entry.published_at, "topic_id": entry.topic_id,
            "item_code": entry.item_code, "prev_hash": entry.prev_hash,
            "entry_hash": entry.entry_hash,
            "url": url_for("board.entry", code=board_code, seq=entry.seq, _external=True)}


def topic_out(topic, code):
    return {"id": topic.id, "jurisdiction": code, "title": topic.title,
            "description": topic.description, "status": topic.status,
            "channel": topic.channel, "procedure": topic.procedure, "step": topic.step,
            "item_code": topic.item_code, "item_title": topic.item_title,
            "deciding_bodies": topic.deciding_body_list, "lead": topic.lead,
            "created_at": topic.created_at}


def meeting_out(meeting):
    return {key: getattr(meeting, key) for key in (
        "id", "round_no", "form", "mode", "starts_at", "place", "host", "agenda",
        "notice_at", "held_at", "outcome")}


def dump(schema, data, status=200):
    return jsonify(schema().dump(data)), status


def documents_errors(*codes):
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


#: The errors every operation with a token may give.
with_token_errors = documents_errors(400, 401, 403, 404, 422)


