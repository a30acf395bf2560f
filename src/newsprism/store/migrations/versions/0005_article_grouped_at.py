"""an undated article's place in the grouping order (``articles.grouped_at``)

Rows stored before this revision were grouped with every undated article after all dated ones
(``pipeline.by_publication``), so they get the newest stored publication time: the order they
were grouped in is kept.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grouped_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_articles_grouped_at", ["grouped_at"], unique=False)
    op.execute(
        "UPDATE articles SET grouped_at = (SELECT max(published_at) FROM articles) WHERE published_at IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_grouped_at")
        batch_op.drop_column("grouped_at")
