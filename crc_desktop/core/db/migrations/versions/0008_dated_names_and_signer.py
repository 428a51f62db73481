"""Dated names of areas, provinces named after a person, and the signer's block of the office.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:05:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["area.id"], name=op.f("fk_area_name_area_id_area"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_name")),
        sa.UniqueConstraint("area_id", "valid_from", name=op.f("uq_area_name_area_id_valid_from")),
    )
    with op.batch_alter_table("area_name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_name_area_id"), ["area_id"], unique=False)
    with op.batch_alter_table("province", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("named_after_person", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("office_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signing_for", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("recipients", sa.Text(), server_default="", nullable=False))
    op.execute(  # a boolean both SQLite and PostgreSQL (a national store) take
        sa.text("UPDATE province SET named_after_person = :yes WHERE code = '79'").bindparams(yes=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("office_profile", schema=None) as batch_op:
        batch_op.drop_column("recipients")
        batch_op.drop_column("signing_for")
    with op.batch_alter_table("province", schema=None) as batch_op:
        batch_op.drop_column("named_after_person")
    with op.batch_alter_table("area_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_name_area_id"))
    op.drop_table("area_name")
