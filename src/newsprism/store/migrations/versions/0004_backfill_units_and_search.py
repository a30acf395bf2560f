"""backfill checkpoints and PostgreSQL full-text indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "backfill_units",
        sa.Column("key", sa.String(length=1024), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_stories_headline_fts",
            "stories",
            [sa.text("to_tsvector('simple'::regconfig, headline)")],
            postgresql_using="gin",
        )
        op.create_index(
            "ix_articles_title_fts",
            "articles",
            [sa.text("to_tsvector('simple'::regconfig, title)")],
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_articles_title_fts", table_name="articles")
        op.drop_index("ix_stories_headline_fts", table_name="stories")
    op.drop_table("backfill_units")
