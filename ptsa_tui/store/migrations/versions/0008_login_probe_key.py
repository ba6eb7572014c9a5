"""login probe key - a failed log-in's unknown username is kept only as an HMAC-SHA256

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

A username that matches no officer may be a password typed into the wrong field, so it is
never written down in clear: `login_name_hmac(name)` gives its HMAC-SHA256 under a key made
once, here, at random. The same name always gives the same hash, so repeated probing of one
name stays visible in the events.

`login_key` is owner-only: the runtime role gets no grant on it (nothing is granted to PUBLIC),
and computes the hash only through the SECURITY DEFINER function, which runs as its owner.
The key is stored as its two HMAC pads (K xor 0x36.., K xor 0x5c..), so the function needs
only the built-in sha256(), not pgcrypto.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BLOCK = 64  # SHA-256's block size: HMAC pads the key to it

LOGIN_NAME_HMAC = r"""
CREATE FUNCTION login_name_hmac(name text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT encode(sha256(outer_pad || sha256(inner_pad || convert_to(name, 'UTF8'))), 'hex')
    FROM login_key WHERE id = 1
$$;
"""


def upgrade() -> None:
    op.create_table(
        "login_key",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("inner_pad", sa.LargeBinary, nullable=False),
        sa.Column("outer_pad", sa.LargeBinary, nullable=False),
        sa.CheckConstraint("id = 1", name="login_key_single_row"),
    )
    key = secrets.token_bytes(32).ljust(_BLOCK, b"\0")
    op.execute(
        sa.text(
            "INSERT INTO login_key (id, inner_pad, outer_pad) VALUES (1, :inner, :outer)"
        ).bindparams(
            sa.bindparam("inner", bytes(b ^ 0x36 for b in key), type_=sa.LargeBinary),
            sa.bindparam("outer", bytes(b ^ 0x5C for b in key), type_=sa.LargeBinary),
        )
    )
    op.execute("REVOKE ALL ON login_key FROM PUBLIC")
    op.execute(LOGIN_NAME_HMAC)


def downgrade() -> None:
    op.execute("DROP FUNCTION login_name_hmac(text)")
    op.drop_table("login_key")
