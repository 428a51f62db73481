"""What the office writes in each section of a period's report; the images of the visible
signature (a signer's handwritten signature, the office's seal); the programmes tasks and budget
lines are folded into ("lồng ghép").

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 11:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["reporting_period.id"], name=op.f("fk_report_text_period_id_reporting_period")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_text")),
        sa.UniqueConstraint("period_id", "section", name=op.f("uq_report_text_period_id_section")),
    )
    with op.batch_alter_table("report_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_text_period_id"), ["period_id"], unique=False)
    op.create_table(
        "signature_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=128), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_image")),
        sa.UniqueConstraint("kind", "fingerprint", name=op.f("uq_signature_image_kind_fingerprint")),
    )

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
    )
    op.create_table(
        "task_programme",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["plan_task.id"],
            name=op.f("fk_task_programme_task_id_plan_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "programme_code", name=op.f("pk_task_programme")),
    )
    op.create_table(
        "budget_line_programme",
        sa.Column("budget_line_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_line_id"],
            ["budget_line.id"],
            name=op.f("fk_budget_line_programme_budget_line_id_budget_line"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("budget_line_id", name=op.f("pk_budget_line_programme")),
    )


def downgrade() -> None:
    op.drop_table("budget_line_programme")
    op.drop_table("task_programme")
    op.drop_table("programme")
    op.drop_table("signature_image")
    with op.batch_alter_table("report_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_text_period_id"))
    op.drop_table("report_text")
