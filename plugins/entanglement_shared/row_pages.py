"""What the row-page plugins (plugins/row_*.py) need to know about the page they add to."""

from __future__ import annotations

from datasette.utils import urlsafe_components


def is_row_page(view_name, database, table, request) -> bool:
    """True for a row page of a table (extra_template_vars is called for every page)."""
    return view_name == "row" and bool(database) and bool(table) and request is not None


def single_pk(request) -> str | None:
    """The primary key value of the row a row page shows, or None for a compound key (every table of
    the publication has a single `id`)."""
    pks = urlsafe_components(request.url_vars.get("pks", ""))
    return pks[0] if len(pks) == 1 else None


def row_pk(view_name, database, table, request) -> str | None:
    """The primary key of the row a row page shows; None on any other page (or a compound key)."""
    return single_pk(request) if is_row_page(view_name, database, table, request) else None
