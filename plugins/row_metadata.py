"""Row pages show the instance's license, source and about links, as table pages do.

Datasette 0.65 gives row pages the table's metadata without the instance's license, source and
about; this adds them (the template's `metadata` variable, read by Datasette's _description_source_license.html).
"""

from __future__ import annotations

import sys
from pathlib import Path

from datasette import hookimpl

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.row_pages import is_row_page  # noqa: E402


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if not is_row_page(view_name, database, table, request):
        return {}
    metadata = dict(datasette.table_metadata(database, table))
    datasette.update_with_inherited_metadata(metadata)
    return {"metadata": metadata}
