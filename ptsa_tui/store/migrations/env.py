"""Alembic environment: runs on the connection handed in by ptsa_tui.store.migrate."""

from alembic import context
from sqlmodel import SQLModel

import ptsa_tui.store.models  # noqa: F401  (registers the tables on the metadata)

target_metadata = SQLModel.metadata
connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
