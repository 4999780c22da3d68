"""Postgres advisory locks: work that must not run twice at once (two imports of the same
pages) waits for the other holder of the same name. Nothing on SQLite, which lets one
writer in at a time anyway."""

import zlib
from contextlib import contextmanager

from django.db import DatabaseError, connection


@contextmanager
def advisory_lock(name):
    """Holds the lock `name` while the block runs. Within a transaction it is the
    transaction's (released when it ends); otherwise the session's, released at the end of
    the block (or when the connection closes, should the process die)."""
    if connection.vendor != "postgresql":
        yield
        return
    key = zlib.crc32(name.encode())
    in_transaction = connection.in_atomic_block
    with connection.cursor() as cursor:
        if in_transaction:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        else:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        if not in_transaction:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:
                connection.close()  # a broken session: closing it releases the lock
