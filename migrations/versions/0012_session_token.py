"""Each account's session token: named in its session cookies, changed on logout and on a
password change or reset, so that every older session (a copied cookie too) ends. Accounts
that have none yet sign in once more after the upgrade.

Revision ID: 0012_session_token
Revises: 0011_dashboard_indexes
Create Date: 2026-12-08 04:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_session_token"
down_revision = "0011_dashboard_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_token")
