"""Accounts, roles, the resident register and the subject organisations."""

import secrets
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.kernel.extensions import db
from core.models.jurisdiction import Jurisdiction
from core.models.types import UTCDateTime, utcnow


class Role:
    """Roles, each held on a jurisdiction subtree (platform admin: everywhere)."""

    PLATFORM_ADMIN = "platform_admin"
    TOWN_ADMIN = "town_admin"  # 乡镇(街道)信息管理员
    ORGANISER = "organiser"  # 村(社区)"两委"协商组织者
    SUPERVISOR = "supervisor"  # 村(居)务监督委员会
    LEGAL_ADVISER = "legal_adviser"  # 驻村(社区)法律顾问
    TOWN_OFFICIAL = "town_official"  # 乡镇(街道)干部
    RESIDENT = "resident"  # 居民

    ALL = (
        PLATFORM_ADMIN,
        TOWN_ADMIN,
        ORGANISER,
        SUPERVISOR,
        LEGAL_ADVISER,
        TOWN_OFFICIAL,
        RESIDENT,
    )

    @staticmethod
    def labels():
        return {
            Role.PLATFORM_ADMIN: _l("Platform administrator"),
            Role.TOWN_ADMIN: _l("Town administrator"),
            Role.ORGANISER: _l("Committee organiser"),
            Role.SUPERVISOR: _l("Supervision committee"),
            Role.LEGAL_ADVISER: _l("Legal adviser"),
            Role.TOWN_OFFICIAL: _l("Town official"),
            Role.RESIDENT: _l("Resident"),
        }

    @staticmethod
    def label(role):
        return Role.labels().get(role, role)


def new_session_token():
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    """An account: a person who signs in (staff, a resident, a legal adviser)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    #: Where e-mail notifications go; optional.
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    #: The user's chosen UI language; None follows the deployment default.
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    #: Named in every session cookie of the account; a new one (on logout, a password
    #: change or reset) ends every session made before, copied cookies included.
    session_token: Mapped[str | None] = mapped_column(String(32), default=new_session_token)

    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", lazy="raise", cascade="all, delete-orphan"
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """What the session cookie keeps: the account and its current session token."""
        return f"{self.id}:{self.session_token or ''}"

    def set_password(self, password):
        method = current_app.config.get("XS_PASSWORD_HASH", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.username}>"


class RoleAssignment(db.Model):
    """A role held on a jurisdiction and everything below it."""

    __tablename__ = "role_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))
    #: None only for platform administrators, whose role covers every node.
    jurisdiction_id: Mapped[int | None] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles", lazy="raise")
    jurisdiction: Mapped[Jurisdiction | None] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("user_id", "role", "jurisdiction_id"),
        Index("ix_role_assignment_user_id", "user_id"),
    )

    @property
    def role_label(self):
        return Role.label(self.role)


class DeputyRole:
    """"两代表一委员": deputies a resident may be, consulted through 接访."""

    PARTY_CONGRESS = "party_congress"  # 党代表
    PEOPLES_CONGRESS = "peoples_congress"  # 人大代表
    CPPCC = "cppcc"  # 政协委员
    ALL = (PARTY_CONGRESS, PEOPLES_CONGRESS, CPPCC)

    @staticmethod
    def labels():
        return {
            DeputyRole.PARTY_CONGRESS: _l("Party congress delegate"),
            DeputyRole.PEOPLES_CONGRESS: _l("People's congress deputy"),
            DeputyRole.CPPCC: _l("CPPCC member"),
        }


class Person(db.Model):  # 居民登记
    """A resident, kept minimal: what consultation rules need and nothing more."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The village/community whose register lists the person.
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"), index=True
    )
    #: The sub-unit (经济社, 小区, 楼栋 …) the person belongs to, if known.
    sub_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    registered: Mapped[bool] = mapped_column(default=True)  # 户籍 or 非户籍常住
    collective_member: Mapped[bool] = mapped_column(default=False)  # 集体经济组织成员
    shareholder: Mapped[bool] = mapped_column(default=False)  # 股东
    party_member: Mapped[bool] = mapped_column(default=False)
    #: Comma-separated ``DeputyRole`` values.
    deputy_roles: Mapped[str] = mapped_column(String(60), default="")
    needs_offline: Mapped[bool] = mapped_column(default=False)  # 老年人、残疾人线下渠道

    jurisdiction: Mapped[Jurisdiction] = relationship(
        foreign_keys=[jurisdiction_id], lazy="raise"
    )
    sub_unit: Mapped[Jurisdiction | None] = relationship(foreign_keys=[sub_unit_id], lazy="raise")

    @property
    def deputy_role_list(self):
        return [value for value in self.deputy_roles.split(",") if value]


class OrganisationKind:
    """The subject organisations (协商主体) the national opinion and the towns name."""

    TOWN_GOVERNMENT = "town_government"
    PARTY_ORGANISATION = "party_organisation"
    RESIDENTS_COMMITTEE = "residents_committee"
    SUPERVISION_COMMITTEE = "supervision_committee"
    VILLAGER_GROUP = "villager_group"
    RESIDENT_UNIT = "resident_unit"
    SOCIAL_ORGANISATION = "social_organisation"
    OWNERS_COMMITTEE = "owners_committee"
    COLLECTIVE_ECONOMY = "collective_economy"
    COOPERATIVE = "cooperative"
    PROPERTY_COMPANY = "property_company"
    MASS_ORGANISATION = "mass_organisation"
    OTHER_STAKEHOLDER = "other_stakeholder"

    @staticmethod
    def labels():
        return {
            OrganisationKind.TOWN_GOVERNMENT: _l("Town government or street office"),
            OrganisationKind.PARTY_ORGANISATION: _l("Village/community party organisation"),
            OrganisationKind.RESIDENTS_COMMITTEE: _l("Villagers'/residents' committee"),
            OrganisationKind.SUPERVISION_COMMITTEE: _l("Affairs supervision committee"),
            OrganisationKind.VILLAGER_GROUP: _l("Villager/resident group"),
            OrganisationKind.RESIDENT_UNIT: _l("Resident unit"),
            OrganisationKind.SOCIAL_ORGANISATION: _l("Community social organisation"),
            OrganisationKind.OWNERS_COMMITTEE: _l("Owners' committee"),
            OrganisationKind.COLLECTIVE_ECONOMY: _l("Collective economic organisation"),
            OrganisationKind.COOPERATIVE: _l("Farmers' cooperative"),
            OrganisationKind.PROPERTY_COMPANY: _l("Property management company"),
            OrganisationKind.MASS_ORGANISATION: _l("Mass organisation"),
            OrganisationKind.OTHER_STAKEHOLDER: _l("Other stakeholder"),
        }


class Organisation(db.Model):  # 协商主体组织
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))

    jurisdiction: Mapped[Jurisdiction] = relationship(lazy="raise")

    @property
    def kind_label(self):
        return OrganisationKind.labels().get(self.kind, self.kind)


class LoginAttempt(db.Model):
    """Login attempts, kept in the database so throttling holds across workers."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
    )


class ApiToken(db.Model):
    """A personal token for integrations: ``Authorization: Bearer <token>`` on the API.

    Only the SHA-256 of the token is kept; the token itself is shown once.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, to tell tokens apart in lists.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
