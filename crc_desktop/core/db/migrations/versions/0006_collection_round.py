"""The collection round: the forms communes and agencies sent back, the units from which no
report is expected, and the database's own id that every form carries.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00

"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "collection_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("values_changed", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("unit_kind IN ('commune', 'agency')", name=op.f("ck_collection_return_unit_kind")),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_collection_return_period_id_reporting_period"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_return")),
    )
    with op.batch_alter_table("collection_return", schema=None) as batch_op:
        batch_op.create_index(
            "ix_collection_return_period_unit", ["period_id", "unit_kind", "unit_code"], unique=False
        )
    op.create_table(
        "collection_exemption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "unit_kind IN ('commune', 'agency')", name=op.f("ck_collection_exemption_unit_kind")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_collection_exemption_period_id_reporting_period"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_exemption")),
        sa.UniqueConstraint(
            "period_id",
            "unit_kind",
            "unit_code",
            name=op.f("uq_collection_exemption_period_id_unit_kind_unit_code"),
        ),
    )
    # the id a form carries back, so that a form made from another database is recognised
    op.execute(
        sa.text("INSERT INTO app_info (key, value) VALUES ('database_id', :value)").bindparams(
            value=uuid.uuid4().hex
        )
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.execute(sa.text("DELETE FROM app_info WHERE key = 'database_id'"))
    op.drop_table("collection_exemption")
    with op.batch_alter_table("collection_return", schema=None) as batch_op:
        batch_op.drop_index("ix_collection_return_period_unit")
    op.drop_table("collection_return")
