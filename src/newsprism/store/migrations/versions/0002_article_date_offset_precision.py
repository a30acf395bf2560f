"""articles: published offset and precision, author kinds

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 10:00:00

SQLite stored ``published_at`` without its offset (``08:30+01:00`` came back as ``08:30+00:00``):
the instant is now stored in UTC and the page's offset (minutes) and precision ("day"/"time")
in their own columns. Rows stored before this revision keep a null offset and precision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_offset_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_precision", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("author_kinds", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("author_kinds")
        batch_op.drop_column("published_precision")
        batch_op.drop_column("published_offset_minutes")
