"""Forms that came back blank or were refused: the board tells them apart from the returned ones.

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-07 11:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collection_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "unit_kind IN ('commune', 'agency')", name=op.f("ck_collection_attempt_unit_kind")
        ),
        sa.CheckConstraint("outcome IN ('blank', 'refused')", name=op.f("ck_collection_attempt_outcome")),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_collection_attempt_period_id_reporting_period"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_attempt")),
    )
    with op.batch_alter_table("collection_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_collection_attempt_period_unit", ["period_id", "unit_kind", "unit_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("collection_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_collection_attempt_period_unit")
    op.drop_table("collection_attempt")
