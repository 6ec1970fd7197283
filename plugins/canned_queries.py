"""The canned queries, served from their files in schema/queries/ (one NN_<name>.sql per query).

Datasette's canned_queries hook adds them to the `entanglement` database, as if they were under
`databases: entanglement: queries:` in metadata.yml: how the files are laid out, and why they are
kept out of metadata.yml, is in entanglement_shared/canned_queries.py. The files are read once per
Datasette instance, at start, so that a broken file stops `datasette serve` with every problem
listed (`file:line: what is wrong`) instead of failing a page later.
"""

from __future__ import annotations

import sys
import weakref
from pathlib import Path

from datasette import hookimpl

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.canned_queries import DATABASE, QueryFileError, served_queries  # noqa: E402

_queries: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _instance_queries(datasette) -> dict[str, dict]:
    queries = _queries.get(datasette)
    if queries is None:
        queries = _queries[datasette] = served_queries(datasette.metadata() or {})
    return queries


@hookimpl
def startup(datasette):
    try:
        _instance_queries(datasette)
    except QueryFileError as e:
        # every problem, and no traceback: the message is the whole story
        raise SystemExit(f"canned queries (schema/queries/):\n{e}") from None


@hookimpl
def canned_queries(datasette, database):
    if database != DATABASE:
        return {}
    # copies: Datasette writes each query's "name" into the dict it is given
    return {name: dict(query) for name, query in _instance_queries(datasette).items()}
