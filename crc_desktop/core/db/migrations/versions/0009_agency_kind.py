"""The kind of an agency (a specialised agency of the People's Committee, a central body in the
province, the Fatherland Front and its organisations, other), set for the agencies we ship.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the codes of resources/catalogs/agencies.json and agencies_optional.json, as they were then
_SHIPPED = {
    "specialised": (
        "SNV SCT STP STC SNNMT SXD SKHCN SVHTTDL SGDDT SYT TTR VPUBND SQHKT SNGV SDTTG SDL"
    ).split(),
    "central": ["CA", "BHXH", "VKSND", "TAND"],
    "front": ["MTTQ", "DTN", "HLHPN", "LDLD", "HND", "HCCB"],
}


def upgrade() -> None:
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=40), server_default="", nullable=False))
    agency = sa.table("agency", sa.column("code", sa.String), sa.column("kind", sa.String))
    for kind, codes in _SHIPPED.items():
        op.execute(agency.update().where(agency.c.code.in_(codes)).values(kind=kind))


def downgrade() -> None:
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_column("kind")
