"""The administrators' forms (WTForms through Flask-WTF, so every form carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from core.kernel.options import options
from core.models import DeputyRole, Level, OrganisationKind, Role
from core.people.accounts import MIN_PASSWORD


class JurisdictionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("12-digit statistical division code for administrative "
                                      "levels; a short code of your own for sub-units."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    level = SelectField(_l("Level"), choices=[])
    submit = SubmitField(_l("Save"))

    def __init__(self, parent=None, **kwargs):
        super().__init__(**kwargs)
        allowed = [level for level in Level.ALL
                   if (parent is None and level in Level.ROOTS)
                   or (parent is not None and parent.level in Level.PARENTS[level])]
        self.level.choices = options([(level, Level.label(level)) for level in allowed])


class RenameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (code,name,level,parent_code)"),
                     validators=[FileRequired(), FileAllowed(["csv", "txt"],
                                                             _l("Upload a .csv file."))])
    submit = SubmitField(_l("Import"))


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[
        DataRequired(), Regexp(r"^[A-Za-z0-9_.-]{3,64}$",
                               message=_l("3 to 64 letters, digits, dots, dashes or "
                                          "underscores."))])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=100)])
    password = PasswordField(_l("Initial password"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Create account"))


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=100)])
    email = StringField(_l("E-mail (for notifications)"), validators=[
        Optional(), Length(max=200), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                           message=_l("An e-mail address such as a@b.cn."))])
    active = BooleanField(_l("Account active"))
    submit = SubmitField(_l("Save"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
                             render_kw={"autocomplete": "new-password"})
    reset = SubmitField(_l("Set password"))


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    jurisdiction_code = StringField(
        _l("Jurisdiction code"), validators=[Optional(), Length(max=32)],
        description=_l("Leave empty only for a platform administrator."))
    grant = SubmitField(_l("Grant role"))

    def __init__(self, roles=Role.ALL, **kwargs):
        super().__init__(**kwargs)
        self.role.choices = options([(role, Role.label(role)) for role in roles])


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    phone = StringField(_l("Phone"), validators=[
        Optional(), Regexp(r"^[0-9+\- ]{5,20}$", message=_l("Digits, spaces, + or - only."))])
    sub_unit_code = StringField(_l("Sub-unit code"), validators=[Optional(), Length(max=32)])
    registered = BooleanField(_l("Registered household (户籍)"), default=True)
    collective_member = BooleanField(_l("Member of the collective economic organisation"))
    shareholder = BooleanField(_l("Shareholder"))
    party_member = BooleanField(_l("Party member"))
    party_congress = BooleanField(DeputyRole.labels()[DeputyRole.PARTY_CONGRESS])
    peoples_congress = BooleanField(DeputyRole.labels()[DeputyRole.PEOPLES_CONGRESS])
    cppcc = BooleanField(DeputyRole.labels()[DeputyRole.CPPCC])
    needs_offline = BooleanField(_l("Needs an offline channel (elderly, disabled)"))
    submit = SubmitField(_l("Add to register"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])
    submit = SubmitField(_l("Add organisation"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.kind.choices = options(OrganisationKind.labels().items())


class SettingsForm(FlaskForm):
    """A jurisdiction's own settings; an empty field inherits from above."""

    procedure = SelectField(_l("Procedure"), choices=[])
    notice_days = StringField(_l("Days of notice before a meeting"),
                              validators=[Optional(), Regexp(r"^\d{1,2}$",
                                                             message=_l("A number of days."))])
    shareholder_quorum = StringField(_l("Shareholder meeting quorum (share of members, e.g. 2/3)"),
                                     validators=[Optional(), Length(max=10)])
    shareholder_majority = StringField(
        _l("Shareholder meeting majority (more than this share of those present)"),
        validators=[Optional(), Length(max=10)])
    progress_publish_days = StringField(
        _l("Days within which implementation progress must be published"),
        validators=[Optional(), Regexp(r"^\d{1,3}$", message=_l("A number of days."))])
    legal_unlawful_blocks = SelectField(
        _l("An \"unlawful\" legal opinion"),
        choices=[SelectChoice("", _l("as above")),
                 SelectChoice("True", _l("stops confirmation until resolved or overridden by "
                                         "the town")),
                 SelectChoice("False", _l("informs, without stopping confirmation"))],
        validate_choice=False)  # the service reads the value and refuses anything else
    legal_review_days = StringField(
        _l("Days a legal adviser has to answer a review"),
        validators=[Optional(), Regexp(r"^\d{1,2}$", message=_l("A number of days."))])
    submit = SubmitField(_l("Save"))
