"""Indicators say how they are made: counts, ratios of two counts, shares of communes, entered rates.

Every indicator already in the database becomes "entered": the values it holds stay as they
were typed, marked as entered, and nothing is recomputed from them. A province value set over
a computed figure keeps the source it was published with.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 11:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTS = ("measure", "numerator", "denominator", "factor")


def _parts(key_length: int) -> list[sa.Column]:
    return [
        sa.Column("measure", sa.String(length=16), server_default="entered", nullable=False),
        sa.Column("numerator", sa.String(length=key_length), server_default="", nullable=False),
        sa.Column("denominator", sa.String(length=key_length), server_default="", nullable=False),
        sa.Column("factor", sa.Float(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        for column in _parts(32):
            batch_op.add_column(column)
        batch_op.add_column(sa.Column("reported_by", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("population", sa.String(length=16), server_default="", nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_indicator_measure"), "measure IN ('count', 'ratio', 'share', 'entered')"
        )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "child_population",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("age_band", sa.String(length=16), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_population")),
        sa.UniqueConstraint(
            "area_code",
            "year",
            "age_band",
            "sex",
            name=op.f("uq_child_population_area_code_year_age_band_sex"),
        ),
    )
    with op.batch_alter_table("national_indicator", schema=None) as batch_op:
        for column in _parts(200):
            batch_op.add_column(column)
    with op.batch_alter_table("national_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("numerator", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("denominator", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("origin", sa.String(length=16), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("national_value", schema=None) as batch_op:
        for name in ("origin", "denominator", "numerator"):
            batch_op.drop_column(name)
    with op.batch_alter_table("national_indicator", schema=None) as batch_op:
        for name in reversed(_PARTS):
            batch_op.drop_column(name)
    op.drop_table("child_population")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_column("source")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_indicator_measure"), type_="check")
        batch_op.drop_column("population")
        batch_op.drop_column("reported_by")
        for name in reversed(_PARTS):
            batch_op.drop_column(name)
