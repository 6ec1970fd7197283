"""An in-memory response cache for an immutable database.

When every database is served immutable (`-i`), a GET of the same URL always
returns the same page, so the server can answer repeats from memory instead
of running SQL and rendering templates again. This is what keeps ordinary
pages fast while hostile queries hold SQL threads (see bench/load.py).

Only successful (200) GET responses of at most MAX_ENTRY_BYTES are kept, in an
LRU bounded by MAX_TOTAL_BYTES; Set-Cookie headers are never cached or
replayed. Responses carry `x-entanglement-cache: hit|miss`, and
`x-entanglement-warming: 1` while the warm-up below still runs (a benchmark
waits for it to end before timing anything).

When `datasette serve` starts, the pages a visitor opens first (home, database,
every visible table and view, every canned query with its defaults) are
rendered once in the background, so the first visitors after a deploy do not
queue behind each other's cold pages.
"""

from __future__ import annotations

import asyncio
import sys
import weakref
from collections import OrderedDict

from datasette import hookimpl

MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 1024 * 1024


class LRU:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict = OrderedDict()

    def get(self, key):
        item = self.items.get(key)
        if item is not None:
            self.items.move_to_end(key)
        return item

    def put(self, key, value, size: int) -> None:
        if key in self.items:
            return
        self.items[key] = (value, size)
        self.size += size
        while self.size > self.max_bytes and self.items:
            _, (_, old) = self.items.popitem(last=False)
            self.size -= old


_caches: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def cache_for(datasette) -> LRU:
    """One cache per Datasette instance, shared by every app it builds
    (datasette.client builds its own, and must fill the same cache)."""
    if datasette not in _caches:
        _caches[datasette] = LRU(MAX_TOTAL_BYTES)
    return _caches[datasette]


def _served_immutable(datasette) -> bool:
    # _internal is Datasette's own in-memory catalogue, not served data.
    return all(not db.is_mutable for name, db in datasette.databases.items() if not name.startswith("_"))


async def _warm(datasette) -> None:
    paths = ["/"]
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        paths.append(datasette.urls.database(name))
        hidden = set(await db.hidden_table_names())
        for table in await db.table_names():
            if table not in hidden:
                paths.append(datasette.urls.table(name, table))
        for view in await db.view_names():
            paths.append(datasette.urls.table(name, view))
        for query in (await datasette.get_canned_queries(name, None)).values():
            paths.append(datasette.urls.query(name, query["name"]))
    for path in paths:
        try:
            await datasette.client.get(path)
        except Exception:  # a page that fails now fails for its visitor too; nothing to warm
            pass
    _warming.difference_update({t for t in _warming if t.done() or t is asyncio.current_task()})


# Datasette runs the startup hooks in an event loop of its own and then hands
# over to uvicorn, which starts a new one: a task created in `startup` would
# never run (and Python would say "Task was destroyed but it is pending!" on the
# first screen of `make serve`). So startup only asks for the warm-up, and the
# ASGI wrapper starts it on the first event of the serving loop (uvicorn's
# lifespan start-up, or the first request).
_warm_wanted: "weakref.WeakSet" = weakref.WeakSet()
_warming: set = set()       # the running warm-up task, referenced until it ends


def _warming_header() -> list:
    return [(b"x-entanglement-warming", b"1")] if any(not t.done() for t in _warming) else []


@hookimpl
def startup(datasette):
    # Only under `datasette serve`: test clients and `datasette inspect` need no warm cache.
    if "serve" in sys.argv[1:3] and _served_immutable(datasette):
        _warm_wanted.add(datasette)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        cache = cache_for(datasette)

        async def cached(scope, receive, send):
            if datasette in _warm_wanted:
                _warm_wanted.discard(datasette)
                _warming.add(asyncio.get_running_loop().create_task(_warm(datasette)))
            if scope["type"] != "http" or scope.get("method") != "GET" or not _served_immutable(datasette):
                return await app(scope, receive, send)
            if scope.get("path", "").endswith(".db"):
                # The database download: streamed, never cached here, but
                # cacheable by browsers and proxies (Datasette sends an ETag
                # and answers If-None-Match with 304).
                async def with_cache_control(message):
                    if message["type"] == "http.response.start" and message.get("status") == 200:
                        message = {**message, "headers": list(message.get("headers", []))
                                   + [(b"cache-control", b"public, max-age=3600")]}
                    await send(message)

                return await app(scope, receive, with_cache_control)
            key = (scope.get("path"), scope.get("query_string", b""))
            hit = cache.get(key)
            if hit is not None:
                (start, body), _ = hit
                await send({**start, "headers": start["headers"] + [(b"x-entanglement-cache", b"hit")] + _warming_header()})
                await send({"type": "http.response.body", "body": body})
                return
            captured = {"start": None, "chunks": [], "size": 0, "ok": True}

            async def capture(message):
                if message["type"] == "http.response.start":
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"set-cookie"]
                    captured["start"] = {**message, "headers": headers}
                    captured["ok"] = message.get("status") == 200
                    message = {**message, "headers": list(message.get("headers", [])) + [(b"x-entanglement-cache", b"miss")]
                               + _warming_header()}
                elif message["type"] == "http.response.body" and captured["ok"]:
                    captured["size"] += len(message.get("body", b""))
                    if captured["size"] > MAX_ENTRY_BYTES:
                        captured["ok"] = False
                        captured["chunks"] = []
                    else:
                        captured["chunks"].append(message.get("body", b""))
                    if not message.get("more_body") and captured["ok"]:
                        body = b"".join(captured["chunks"])
                        cache.put(key, (captured["start"], body), len(body) + 512)
                await send(message)

            await app(scope, receive, capture)

        return cached

    return wrap
