"""Topics remember whether their catalogue item is a major matter needing a witness.

Revision ID: 0006_topic_witness
Revises: 0005_notifications
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_topic_witness"
down_revision = "0005_notifications"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.add_column(sa.Column("witness_required", sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("topic", schema=None) as batch_op:
        batch_op.drop_column("witness_required")
