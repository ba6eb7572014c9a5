"""satisfaction survey - one SKM response per closed request (PermenPANRB 14/2017)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

`scores` holds the nine elements' ratings in the regulation's order, each 1-4. The unique
request makes "rated once" the database's rule too, whichever channel submits it. `source` is
the kiosk, or a paper form a front-office officer (`entered_by`) typed in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("request.id"), nullable=False),
        sa.Column("scores", ARRAY(sa.SmallInteger), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("entered_by", sa.Integer, sa.ForeignKey("officer.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("request_id", name="survey_once"),
        sa.CheckConstraint(
            "cardinality(scores) = 9 AND 1 <= ALL(scores) AND 4 >= ALL(scores)",
            name="survey_scores",
        ),
        sa.CheckConstraint("source IN ('kiosk', 'paper')", name="survey_source"),
        sa.CheckConstraint(
            "(source = 'paper') = (entered_by IS NOT NULL)", name="survey_paper_by_officer"
        ),
    )
    op.create_index("survey_created", "survey", ["created_at"])


def downgrade() -> None:
    op.drop_table("survey")
