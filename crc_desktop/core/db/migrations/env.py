"""Alembic environment: runs on the connection handed over by `engine.upgrade`."""

from alembic import context

from crc_desktop.core.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Migrations run through crc_desktop.core.db.engine.upgrade only.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
