"""dongguan: the 8+X council's standing seats and the expert pool.

Revision ID: dg_0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "dg_0001"
down_revision = None
branch_labels = ("dongguan",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "dongguan_council_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sector", sa.String(length=100), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jurisdiction_id"], ["jurisdiction.id"],
                                name=op.f("fk_dongguan_council_seat_jurisdiction_id_jurisdiction"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_dongguan_council_seat_person_id_person"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dongguan_council_seat")),
    )
    op.create_index(op.f("ix_dongguan_council_seat_jurisdiction_id"), "dongguan_council_seat",
                    ["jurisdiction_id"], unique=False)
    op.create_table(
        "dongguan_expert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jurisdiction_id"], ["jurisdiction.id"],
                                name=op.f("fk_dongguan_expert_jurisdiction_id_jurisdiction"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dongguan_expert")),
    )
    op.create_index(op.f("ix_dongguan_expert_jurisdiction_id"), "dongguan_expert",
                    ["jurisdiction_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_dongguan_expert_jurisdiction_id"), table_name="dongguan_expert")
    op.drop_table("dongguan_expert")
    op.drop_index(op.f("ix_dongguan_council_seat_jurisdiction_id"),
                  table_name="dongguan_council_seat")
    op.drop_table("dongguan_council_seat")
