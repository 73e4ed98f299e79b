"""village_notes: its notes table.

Revision ID: vn_0001
Revises:
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "vn_0001"
down_revision = None
branch_labels = ("village_notes",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "village_notes_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["jurisdiction_id"], ["jurisdiction.id"],
                                name=op.f("fk_village_notes_note_jurisdiction_id_jurisdiction"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village_notes_note")),
    )
    op.create_index(op.f("ix_village_notes_note_jurisdiction_id"), "village_notes_note",
                    ["jurisdiction_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_village_notes_note_jurisdiction_id"), table_name="village_notes_note")
    op.drop_table("village_notes_note")
