"""A search that escapes to nothing is dropped, as if the search box had been left empty.

A table page's `?_search=` (or `_search_<column>=`) of only punctuation ('"', '""') escapes to an
empty full-text query, which makes SQLite's FTS5 raise a syntax error and Datasette answer 400.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import escape_fts


@hookimpl(specname="filters_from_request", tryfirst=True)
def drop_empty_search(request, database, table, datasette):
    """tryfirst: runs before Datasette's own search filter, which reads the request afterwards."""
    pairs = parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not (k.startswith("_search") and k != "_searchmode" and not escape_fts(v))]
    if len(kept) != len(pairs):
        request.scope["query_string"] = urlencode(kept).encode("latin-1")
    return None
