"""The API's request and response schemas (marshmallow); the OpenAPI document is made
from them and from the views' docstrings."""

from marshmallow import Schema, ValidationError, fields, validate

from core.models import MeetingMode, Position, TopicStatus
from core.models.disclosure import EntryKind

STATUSES = (TopicStatus.PROPOSED, TopicStatus.ACCEPTED, TopicStatus.DECLINED, TopicStatus.CLOSED)


class Text(fields.String):
    """Text a person typed: no NUL characters, no unpaired surrogates (neither can be
    stored), trimmed."""

    default_error_messages = {"unstorable": "Contains characters that cannot be stored."}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("unstorable")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("unstorable") from None
        return text.strip()


def _code():
    return Text(required=True, validate=validate.Regexp(r"^\d{12}$"),
                metadata={"description": "A 12-digit jurisdiction code"})


# ------------------------------------------------------------------ output


class ErrorSchema(Schema):
    error = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", keys=fields.String(), values=fields.Raw())


class JurisdictionSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True)
    parent = fields.String(allow_none=True, required=True,
                           metadata={"description": "The parent's code"})
    children = fields.Integer(metadata={"description": "How many units are directly below"})


class JurisdictionPageSchema(Schema):
    items = fields.List(fields.Nested(JurisdictionSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class EntrySchema(Schema):
    seq = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(EntryKind.ALL))
    title = fields.String(required=True)
    published_at = fields.DateTime(required=True)
    topic_id = fields.Integer(allow_none=True, required=True)
    item_code = fields.String(allow_none=True, required=True)
    prev_hash = fields.String(required=True)
    entry_hash = fields.String(required=True)
    url = fields.String(required=True)


class EntryDetailSchema(EntrySchema):
    content = fields.Dict(required=True, metadata={
        "description": "The canonical content the hash covers (payload, author, times)"})
    corrected_by = fields.List(fields.Integer(), required=True,
                               metadata={"description": "Sequence numbers of corrections"})


class EntryPageSchema(Schema):
    items = fields.List(fields.Nested(EntrySchema), required=True)
    next_before = fields.Integer(allow_none=True, required=True, metadata={
        "description": "Pass as `before` for the next (older) page; null at the end"})


class VerificationSchema(Schema):
    ok = fields.Boolean(required=True)
    checked = fields.Integer(required=True)
    bad_seq = fields.Integer(allow_none=True, required=True)
    reason = fields.String(required=True)


class TopicSchema(Schema):
    id = fields.Integer(required=True)
    jurisdiction = fields.String(required=True, metadata={"description": "Owning unit's code"})
    title = fields.String(required=True)
    description = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    channel = fields.String(required=True)
    procedure = fields.String(allow_none=True, required=True)
    step = fields.String(allow_none=True, required=True)
    item_code = fields.String(allow_none=True, required=True)
    item_title = fields.String(allow_none=True, required=True)
    deciding_bodies = fields.List(fields.String(), required=True)
    lead = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class TopicPageSchema(Schema):
    items = fields.List(fields.Nested(TopicSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class TopicDetailSchema(TopicSchema):
    missing = fields.List(fields.String(), required=True, metadata={
        "description": "What the current step still needs"})


class MeetingSchema(Schema):
    id = fields.Integer(required=True)
    round_no = fields.Integer(required=True)
    form = fields.String(required=True)
    mode = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    place = fields.String(required=True)
    host = fields.String(required=True)
    agenda = fields.String(required=True)
    notice_at = fields.DateTime(allow_none=True, required=True)
    held_at = fields.DateTime(allow_none=True, required=True)
    outcome = fields.String(allow_none=True, required=True)


class MeetingListSchema(Schema):
    items = fields.List(fields.Nested(MeetingSchema), required=True)


class OpinionSchema(Schema):
    id = fields.Integer(required=True)
    participant_id = fields.Integer(required=True)
    position = fields.String(required=True)
    text = fields.String(required=True)
    on_behalf = fields.Boolean(required=True)


class OutcomeSchema(Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)
    signatures = fields.Integer(required=True)
    witness_required = fields.Boolean(required=True)
    witnessed = fields.Boolean(required=True)
    confirmed_at = fields.DateTime(allow_none=True, required=True)
    missing = fields.List(fields.String(), required=True)


# ------------------------------------------------------------------- input


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))


class JurisdictionQuery(PageQuery):
    parent = Text(validate=validate.Regexp(r"^\d{12}$"),
                  metadata={"description": "List this unit's children (roots without it)"})


class EntryQuery(Schema):
    before = fields.Integer(validate=validate.Range(1, 2**31 - 1),
                            metadata={"description": "Entries older than this sequence number"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100))
    kind = Text(validate=validate.OneOf(EntryKind.ALL))


class TopicQuery(PageQuery):
    jurisdiction = Text(validate=validate.Regexp(r"^\d{12}$"),
                        metadata={"description": "Only topics in this unit's subtree"})
    status = Text(validate=validate.OneOf(STATUSES))


class ProposeInput(Schema):
    jurisdiction = _code()
    title = Text(required=True, validate=validate.Length(1, 200))
    description = Text(load_default="", validate=validate.Length(0, 10_000))


class MeetingInput(Schema):
    form = Text(required=True, validate=validate.Length(1, 60))
    mode = Text(required=True, validate=validate.OneOf(MeetingMode.ALL))
    starts_at = fields.AwareDateTime(required=True, metadata={
        "description": "ISO 8601 with a time zone"})
    place = Text(required=True, validate=validate.Length(1, 200))
    host = Text(required=True, validate=validate.Length(1, 100))
    agenda = Text(load_default="", validate=validate.Length(0, 10_000))
    offline_channel = Text(load_default="", validate=validate.Length(0, 300))


class OpinionInput(Schema):
    participant_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))
    position = Text(required=True, validate=validate.OneOf(Position.ALL))
    text = Text(required=True, validate=validate.Length(1, 5000))
    on_behalf = fields.Boolean(load_default=False)


__all__ = ["ValidationError"]
