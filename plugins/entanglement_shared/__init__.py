"""Code that more than one of the plugins in plugins/ needs, in one place.

How the plugins reach it: `datasette serve --plugins-dir plugins` executes every top-level
plugins/*.py file as a plugin module of its own, outside Python's import system (Datasette 0.65's
module_from_path; again for every Datasette instance a process creates), so plugin files cannot
import one another. This package sits in a folder, which Datasette does not load as a plugin, and
is imported the ordinary way, once per process: a plugin file that needs it first appends its
own folder (plugins/) to sys.path, with these lines and no other mechanism:

    _PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
    if _PLUGINS not in sys.path:
        sys.path.append(_PLUGINS)

Appended, not prepended: an installed package or the standard library always wins over a file of
plugins/, so a plugin file can never shadow a module of the same name. `datasette publish
--plugins-dir` copies the whole folder, this package included, into the deploy folder.

- settings: the plugin's settings (`plugins: entanglement-publication:` in metadata.yml), read
  once per Datasette instance.
- row_pages: the primary key of the row a row page shows.
- canned_queries: the canned queries, read from schema/queries/NN_<name>.sql (served by
  plugins/canned_queries.py; the tests and the benchmark read them here too).
"""
