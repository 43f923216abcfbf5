"""PostgreSQL: the scale-out engine; many stateless nodes share one database."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from postback.storage.base import Database


def open_postgres(url: str) -> Database:
    driver_url = sa.make_url(url).set(drivername="postgresql+psycopg")
    writer = sa.create_engine(driver_url, pool_size=2, max_overflow=2, pool_pre_ping=True)
    reader = sa.create_engine(driver_url, pool_size=4, max_overflow=8, pool_pre_ping=True)
    return Database(url=url, writer=writer, reader=reader, insert=insert)
