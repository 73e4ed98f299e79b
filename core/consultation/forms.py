"""Forms committees use every day to run a consultation."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FileField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.consultation.catalogue import DecidingBody
from core.kernel.options import options
from core.models import (
    Channel,
    MeetingMode,
    MeetingOutcome,
    ParticipantKind,
    Position,
    TownResponse,
)
from core.models.types import require_within_calendar

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def to_utc(value):
    """A naive local date-time from a form, read in the deployment's time zone, as UTC."""
    if value is None:
        return None
    require_within_calendar(value)
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def local_now_text():
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.now(zone).strftime(LOCAL_FORMAT)


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TopicTextMixin:
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)],
                                render_kw={"rows": 6})
    files = MultipleFileField(_l("Attachments (PDF, images, Word, Excel, text; 10 MB each)"))


class ProposeForm(TopicTextMixin, FlaskForm):
    village = SelectField(_l("Village or community"), choices=[])
    submit = SubmitField(_l("Propose"))


class RecordForm(TopicTextMixin, FlaskForm):
    village = SelectField(_l("Village or community"), choices=[])
    channel = SelectField(_l("Came through"), choices=[])
    on_behalf_of = StringField(_l("From (resident or group)"),
                               validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Record proposal"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        labels = Channel.labels()
        self.channel.choices = options([(channel, labels[channel]) for channel in Channel.OFFLINE])


class AssignForm(TopicTextMixin, FlaskForm):
    village = SelectField(_l("Assign to"), choices=[])
    submit = SubmitField(_l("Assign topic"))


class ActionForm(FlaskForm):
    """A button that changes state (CSRF token only)."""

    submit = SubmitField(_l("Confirm"))


class ClassifyForm(FlaskForm):
    item = SelectField(_l("Catalogue item"), choices=[])
    submit = SubmitField(_l("Classify"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(min=2, max=2000)],
                           render_kw={"rows": 3})
    submit = SubmitField(_l("Confirm"))


class ScopeForm(FlaskForm):
    units = CheckboxList(_l("Affected units"), choices=[])
    submit = SubmitField(_l("Set scope"))


class InvitePersonForm(FlaskForm):
    person = SelectField(_l("Resident"), choices=[], coerce=int)
    votes = BooleanField(_l("Has a vote"), default=True)
    submit = SubmitField(_l("Invite"))


class InviteOrganisationForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), choices=[], coerce=int)
    representative = StringField(_l("Representative"), validators=[Length(max=100)])
    submit = SubmitField(_l("Invite"))


class InviteGuestForm(FlaskForm):
    kind = SelectField(_l("Invited as"), choices=[])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    note = StringField(_l("Note (title, expertise)"), validators=[Length(max=300)])
    submit = SubmitField(_l("Invite without a vote (列席)"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        labels = ParticipantKind.labels()
        self.kind.choices = options([(kind, labels[kind]) for kind in ParticipantKind.NON_VOTING])


class ScheduleForm(FlaskForm):
    form = SelectField(_l("Form"), choices=[])
    mode = SelectField(_l("Held"), choices=[])
    starts_at = DateTimeLocalField(_l("Date and time"), format=LOCAL_FORMAT,
                                   validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    host = StringField(_l("Host"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Usually the party secretary."))
    agenda = TextAreaField(_l("Agenda"), validators=[Length(max=5000)], render_kw={"rows": 3})
    offline_channel = StringField(
        _l("Offline channel"), validators=[Length(max=300)],
        description=_l("For online meetings: where people without the internet take part."))
    submit = SubmitField(_l("Schedule meeting"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        labels = MeetingMode.labels()
        self.mode.choices = options([(mode, labels[mode]) for mode in MeetingMode.ALL])


class RescheduleForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Date and time"), format=LOCAL_FORMAT,
                                   validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Move the meeting"))


class NoticeForm(FlaskForm):
    channels = CheckboxList(_l("Channels"), choices=[], default=["board"])
    notice_at = DateTimeLocalField(_l("Posted at (leave empty for now)"), format=LOCAL_FORMAT,
                                   validators=[Optional()])
    submit = SubmitField(_l("Publish notice"))


class SignInForm(FlaskForm):
    participant = SelectField(_l("Participant"), choices=[], coerce=int)
    submit = SubmitField(_l("Sign in"))


class OpinionForm(FlaskForm):
    participant = SelectField(_l("Participant"), choices=[], coerce=int)
    position = SelectField(_l("Position"), choices=[])
    text = TextAreaField(_l("Opinion"), validators=[DataRequired(), Length(max=5000)],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Record opinion"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.position.choices = options(Position.labels().items())


class ResultForm(FlaskForm):
    held_at = DateTimeLocalField(_l("Held at"), format=LOCAL_FORMAT,
                                 validators=[InputRequired()])
    minutes = TextAreaField(_l("Minutes"), validators=[DataRequired(), Length(max=50_000)],
                            render_kw={"rows": 6})
    outcome = SelectField(_l("Result"), choices=[])
    consensus_text = TextAreaField(_l("Consensus reached"), validators=[Length(max=20_000)],
                                   render_kw={"rows": 4})
    submit = SubmitField(_l("Record result"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.outcome.choices = options(MeetingOutcome.labels().items())


class ReferForm(FlaskForm):
    body = SelectField(_l("Refer to"), choices=[])
    submit = SubmitField(_l("Refer for a decision"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.body.choices = options(DecidingBody.labels().items())


class PaperSignatureForm(FlaskForm):
    participant = SelectField(_l("Participant"), choices=[], coerce=int)
    scan = FileField(_l("Scan of the signed paper"))
    submit = SubmitField(_l("Record paper signature"))


class WitnessRequiredForm(FlaskForm):
    required = BooleanField(_l("Major matter: needs a notary or lawyer as witness"))
    submit = SubmitField(_l("Save"))


class WitnessForm(FlaskForm):
    kind = SelectField(_l("Witness"), choices=[])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Record witness"))


class VoteForm(FlaskForm):
    body = SelectField(_l("Body"), choices=[])
    noticed_on = DateField(_l("Announced on"), validators=[InputRequired()])
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    eligible = IntegerField(_l("Members with a vote"),
                            validators=[InputRequired(), NumberRange(min=0)])
    with_meeting = BooleanField(_l("Held with the consultation meeting: count its attending "
                                   "voters"))
    present = IntegerField(_l("Present"), validators=[Optional(), NumberRange(min=0)])
    households_total = IntegerField(_l("Households (villager meeting)"),
                                    validators=[Optional(), NumberRange(min=0)])
    households_represented = IntegerField(_l("Households represented"),
                                          validators=[Optional(), NumberRange(min=0)])
    votes_for = IntegerField(_l("For"), validators=[InputRequired(), NumberRange(min=0)])
    votes_against = IntegerField(_l("Against"), validators=[InputRequired(), NumberRange(min=0)])
    votes_abstain = IntegerField(_l("Abstain"), validators=[InputRequired(), NumberRange(min=0)])
    submit = SubmitField(_l("Record vote"))


class TaskForm(FlaskForm):
    title = StringField(_l("Task"), validators=[DataRequired(), Length(max=200)])
    responsible = StringField(_l("Responsible"), validators=[DataRequired(), Length(max=100)])
    deadline = DateField(_l("Deadline"), validators=[InputRequired()])
    submit = SubmitField(_l("Add task"))


class ProgressForm(FlaskForm):
    task = SelectField(_l("Task"), choices=[], coerce=int)
    text = TextAreaField(_l("Progress"), validators=[DataRequired(), Length(max=5000)],
                         render_kw={"rows": 3})
    progress = IntegerField(_l("Per cent done"), validators=[InputRequired(),
                                                          NumberRange(min=0, max=100)])
    done = BooleanField(_l("Finished"))
    submit = SubmitField(_l("Publish progress"))


class TextForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=10_000)],
                         render_kw={"rows": 4})
    submit = SubmitField(_l("Save"))


class TownResponseForm(FlaskForm):
    response = SelectField(_l("Response"), choices=[])
    feedback = TextAreaField(_l("Feedback"), validators=[DataRequired(), Length(max=5000)],
                             render_kw={"rows": 3})
    submit = SubmitField(_l("Answer the report"))

    def __init__(self, **kwargs):

        super().__init__(**kwargs)
        self.response.choices = options(TownResponse.labels().items())


class ExplanationForm(FlaskForm):
    person = StringField(_l("Person"), validators=[DataRequired(), Length(max=100)])
    concern = TextAreaField(_l("Their concern"), validators=[DataRequired(), Length(max=5000)],
                            render_kw={"rows": 2})
    explanation = TextAreaField(_l("Explanation given"),
                                validators=[DataRequired(), Length(max=5000)],
                                render_kw={"rows": 3})
    submit = SubmitField(_l("Record explanation"))


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    code = StringField(_l("Jurisdiction code"), validators=[Optional(), Length(max=32)])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    item = StringField(_l("Catalogue item"), validators=[Optional(), Length(max=80)])
