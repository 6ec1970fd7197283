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


def row_page_vars(vars_for_row):
    """An `extra_template_vars` hook that adds, on a row page only, what the coroutine
    `vars_for_row(datasette, db, table, pk)` returns; every other page gets nothing.
    Use: `extra_template_vars = hookimpl(row_page_vars(my_vars))`."""
    def extra_template_vars(template, database, table, view_name, request, datasette):
        pk = row_pk(view_name, database, table, request)
        if pk is None:
            return {}

        async def inner():
            return await vars_for_row(datasette, datasette.get_database(database), table, pk)

        return inner

    return extra_template_vars
