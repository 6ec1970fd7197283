"""Limits for a public instance that Datasette's settings do not cover.

sql_time_limit_ms stops queries that run long, but a query can be quick and
still ask for an enormous value (`hex(zeroblob(100000000))`,
`randomblob(2000000000)`), which the server would then have to hold and
serialise. SQLite's own per-connection limits refuse those at once, with
"string or blob too big". The largest value stored in the database is a source
text, far below these limits.
"""

import asyncio
import contextlib
import sqlite3
import time
from urllib.parse import parse_qsl

import datasette.database
from datasette import hookimpl

MAX_VALUE_BYTES = 4_000_000        # any string or blob a query may produce
MAX_SQL_BYTES = 100_000            # the text of a query


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)


# Datasette 0.65 enforces sql_time_limit_ms with a Python progress handler
# called every 1,000 SQLite instructions (about every 0.08 ms). Each call must
# take the GIL, so a handful of long hostile queries starve the event loop:
# every other page waits seconds (measured with bench/load.py). Checking every
# 100,000 instructions (about every 8 ms) keeps the limit as exact as anyone
# can notice and leaves the GIL to the pages.


CHECK_EVERY_INSTRUCTIONS = 100_000


@contextlib.contextmanager
def _coarse_sqlite_timelimit(conn, ms):
    deadline = time.perf_counter() + ms / 1000
    n = CHECK_EVERY_INSTRUCTIONS if ms > 20 else 1_000

    def handler():
        if time.perf_counter() >= deadline:
            return 1  # terminates the query: "interrupted"

    conn.set_progress_handler(handler, n)
    try:
        yield
    finally:
        conn.set_progress_handler(None, n)


datasette.database.sqlite_timelimit = _coarse_sqlite_timelimit


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
