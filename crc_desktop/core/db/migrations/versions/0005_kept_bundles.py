"""Every signed bundle kept, byte for byte, beside its export record: a bundle file that was
lost is saved again, the same signature, instead of being signed a second time.
Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 08:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kept_bundle",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"], ["bundle_export.id"], name=op.f("fk_kept_bundle_export_id_bundle_export")
        ),
        sa.PrimaryKeyConstraint("export_id", name=op.f("pk_kept_bundle")),
    )


def downgrade() -> None:
    op.drop_table("kept_bundle")
