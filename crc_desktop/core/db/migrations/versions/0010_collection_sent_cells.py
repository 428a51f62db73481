"""What each returned collection form held: a corrected form's blank cell clears what the unit sent.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 12:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # {"values": [cell ids], "comments": [cell ids]}; NULL for returns loaded before: not known
    with op.batch_alter_table("collection_return", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_cells", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("collection_return", schema=None) as batch_op:
        batch_op.drop_column("sent_cells")
