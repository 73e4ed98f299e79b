"""The jurisdiction tree (行政区划 and its sub-units), and the settings made at each node:
the core's and each plugin's."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.kernel.extensions import db


class Level:
    """The levels of the tree, top to bottom, with their Chinese names in the catalogue."""

    PROVINCE = "province"  # 省(自治区、直辖市)
    CITY = "city"  # 市
    DISTRICT = "district"  # 区/县
    TOWN = "town"  # 乡镇/街道
    VILLAGE = "village"  # 村/社区
    ECONOMIC_COOP = "economic_coop"  # 经济社
    VILLAGER_GROUP = "villager_group"  # 村(居)民小组
    COMPOUND = "compound"  # 小区
    GRID = "grid"  # 网格
    BUILDING = "building"  # 楼栋
    ENTRANCE = "entrance"  # 楼门

    ADMINISTRATIVE = (PROVINCE, CITY, DISTRICT, TOWN, VILLAGE)
    SUB_UNITS = (ECONOMIC_COOP, VILLAGER_GROUP, COMPOUND, GRID, BUILDING, ENTRANCE)
    ALL = ADMINISTRATIVE + SUB_UNITS

    #: The levels a node of each level may sit under; an empty tuple means
    #: it may not be a root. Municipalities (天津) hold districts directly;
    #: prefecture cities without districts (东莞) hold towns directly.
    PARENTS = {
        PROVINCE: (),
        CITY: (PROVINCE,),
        DISTRICT: (PROVINCE, CITY),
        TOWN: (CITY, DISTRICT),
        VILLAGE: (TOWN,),
        ECONOMIC_COOP: (VILLAGE,),
        VILLAGER_GROUP: (VILLAGE,),
        COMPOUND: (VILLAGE,),
        GRID: (VILLAGE,),
        BUILDING: (VILLAGE, COMPOUND, GRID, VILLAGER_GROUP),
        ENTRANCE: (BUILDING,),
    }

    #: Administrative levels that may stand at the top of a deployment.
    ROOTS = (PROVINCE, CITY, DISTRICT, TOWN)

    #: How many leading digits of the 12-digit statistical code a level owns:
    #: a child's code repeats its parent's first digits.
    CODE_PREFIX = {PROVINCE: 2, CITY: 4, DISTRICT: 6, TOWN: 9, VILLAGE: 12}

    @staticmethod
    def labels():
        return {
            Level.PROVINCE: _l("Province"),
            Level.CITY: _l("City"),
            Level.DISTRICT: _l("District/county"),
            Level.TOWN: _l("Town/street"),
            Level.VILLAGE: _l("Village/community"),
            Level.ECONOMIC_COOP: _l("Economic cooperative"),
            Level.VILLAGER_GROUP: _l("Villager group"),
            Level.COMPOUND: _l("Residential compound"),
            Level.GRID: _l("Grid"),
            Level.BUILDING: _l("Building"),
            Level.ENTRANCE: _l("Entrance"),
        }

    @staticmethod
    def label(level):
        return Level.labels().get(level, level)


class Jurisdiction(db.Model):  # 行政区划 / 社区单元
    """A node of the tree.

    ``path`` is the materialised path of codes from the root (``/4419.../``),
    so ancestors come from the path alone and a subtree is one indexed
    prefix query, whatever its depth.
    """

    __tablename__ = "jurisdiction"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    path: Mapped[str] = mapped_column(String(512))
    depth: Mapped[int] = mapped_column(default=0)

    parent: Mapped["Jurisdiction | None"] = relationship(remote_side=[id], lazy="raise")

    __table_args__ = (
        Index("ix_jurisdiction_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
        Index("ix_jurisdiction_level", "level"),
    )

    @property
    def ancestor_codes(self):
        """Codes from the root down to and including this node."""
        return self.path.strip("/").split("/")

    @property
    def level_label(self):
        return Level.label(self.level)

    @property
    def is_sub_unit(self):
        return self.level in Level.SUB_UNITS

    def contains(self, other):
        """Whether ``other`` is this node or lies below it."""
        return other.path.startswith(self.path)

    def __repr__(self):
        return f"<Jurisdiction {self.code} {self.name}>"


class PluginSetting(db.Model):
    """A plugin switched on (or explicitly off) at a node; the nearest setting wins."""

    __tablename__ = "plugin_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(String(100))
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"), index=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)

    jurisdiction: Mapped[Jurisdiction] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("plugin", "jurisdiction_id"),)


class JurisdictionSetting(db.Model):
    """A setting made at a node (procedure, notice days …); the nearest one wins."""

    __tablename__ = "jurisdiction_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[dict | list | str | int | None] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("jurisdiction_id", "key"),)
