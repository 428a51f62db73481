"""An index for the history of one value (or task) in the audit log: its entries, in order.

Without it, each cursor move in the grid read the whole log (~96 ms at 300,000 entries).
SQLite keeps the row id at the end of every index, so the entries come out in their order.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
