"""Limits for a public instance that Datasette's settings do not cover.

sql_time_limit_ms stops queries that run long, but a query can be quick and
still ask for an enormous value (`hex(zeroblob(100000000))`,
`randomblob(2000000000)`), which the server would then have to hold and
serialise. SQLite's own per-connection limits refuse those at once, with
"string or blob too big". The largest value stored in the database is a source
text, far below these limits.

The time limit itself (sql_time_limit_ms) is checked every 100,000 SQLite instructions instead
of Datasette's 1,000, so that a few long hostile queries do not starve every other page: that
replaces a Datasette internal, so it is in datasette_patches.py with the other replacements.
"""

import asyncio
import sqlite3
from urllib.parse import parse_qsl

from datasette import hookimpl

MAX_VALUE_BYTES = 4_000_000        # any string or blob a query may produce
MAX_SQL_BYTES = 100_000            # the text of a query


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)


# Arbitrary SQL (?sql=, and _where= fragments on table pages) is the one kind
# of request a visitor can make as expensive as the time limit allows. Running
# at most MAX_ARBITRARY_SQL of them at once keeps Datasette's SQL threads free
# for table, row and canned-query pages; the others wait their turn (each is
# still stopped by sql_time_limit_ms when it runs), and a request that has
# waited ARBITRARY_SQL_QUEUE_SECONDS is refused with 429 and Retry-After.


MAX_ARBITRARY_SQL = 1
ARBITRARY_SQL_QUEUE_SECONDS = 20


def _is_arbitrary_sql(scope) -> bool:
    query = scope.get("query_string", b"").decode("latin-1")
    return any(key in ("sql", "_where") for key, _ in parse_qsl(query, keep_blank_values=True))


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        gate = {"semaphore": None}

        async def gated(scope, receive, send):
            if scope["type"] != "http" or not _is_arbitrary_sql(scope):
                return await app(scope, receive, send)
            if gate["semaphore"] is None:  # created inside the server's event loop
                gate["semaphore"] = asyncio.Semaphore(MAX_ARBITRARY_SQL)
            try:
                await asyncio.wait_for(gate["semaphore"].acquire(), ARBITRARY_SQL_QUEUE_SECONDS)
            except asyncio.TimeoutError:
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"30")]})
                await send({"type": "http.response.body",
                            "body": b"Too many custom SQL queries are running; try again shortly."})
                return
            try:
                await app(scope, receive, send)
            finally:
                gate["semaphore"].release()

        return gated

    return wrap
