"""The canned queries, read from their files: schema/queries/NN_<name>.sql.

Each file is one query, runnable alone (`sqlite3 entanglement.db < schema/queries/…`): it opens
with its Datasette metadata as YAML in `--` comment lines (title, description_html, params,
fragment, hide_sql), and the first line that is not such a comment starts the SQL. The number NN
orders the queries (on the database page, and in /entanglement.json); <name> is the query's URL,
/entanglement/<name>. plugins/canned_queries.py serves them through Datasette's canned_queries
hook, each with the instance's license, source and about merged in (Datasette does not pass them
down to canned query pages itself); the tests and the benchmark read them through read_queries().

The folder sits beside the schema, not inside it: the build applies only schema/*.sql, and these
files are not among the build's inputs (they change what is served, not the database).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader

DATABASE = "entanglement"
# plugins/entanglement_shared/ -> the project folder (or the deploy folder, which has the same layout)
QUERIES_DIR = Path(__file__).resolve().parents[2] / "schema" / "queries"
CREDITS = ("license", "license_url", "source", "source_url", "about", "about_url")
KEYS = ("title", "description_html", "params", "fragment", "hide_sql")   # the front matter's keys
FILE_NAME = re.compile(r"(\d\d)_([a-z][a-z0-9_]*)\.sql")
# a :name parameter; not the second colon of '::' nor a colon inside a word or a time ('12:30')
PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class QueryFileError(Exception):
    """Every problem found in the query files, one `file:line: what is wrong` per line."""


def read_queries(folder: Path = QUERIES_DIR) -> dict[str, dict]:
    """Every query of the folder, in file-name order: {name: {title, description_html, …, sql}}.
    Raises QueryFileError listing every problem of every file at once."""
    problems: list[str] = []
    queries: dict[str, dict] = {}
    paths = sorted(folder.glob("*.sql"))
    if not paths:
        problems.append(f"{folder}: no query files (NN_<name>.sql)")
    for path in paths:
        match = FILE_NAME.fullmatch(path.name)
        if not match:
            problems.append(f"{path}:1: the file name must be NN_<name>.sql (two digits, then the query's "
                            "name in lower case, digits and _)")
            continue
        name = match.group(2)
        if name in queries:
            problems.append(f"{path}:1: a second query named {name}")
            continue
        query = read_query_file(path, problems)
        if query is not None:
            queries[name] = query
    if problems:
        raise QueryFileError("\n".join(problems))
    return queries


def read_query_file(path: Path, problems: list[str]) -> dict | None:
    """One file's query, or None after appending its problems."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header: list[str] = []
    for line in lines:
        if not line.startswith("--"):
            break
        header.append(line[3:] if line.startswith("-- ") else line[2:])
    sql = "\n".join(lines[len(header):]).strip()
    count = len(problems)
    try:
        front = yaml.load("\n".join(header), Loader=_Loader) if header else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(f"{path}:{line}: the opening comment is not valid YAML: {getattr(e, 'problem', None) or e}")
        return None
    if not isinstance(front, dict):
        problems.append(f"{path}:1: the file must open with its metadata as YAML in `-- ` comment lines "
                        "(title:, description_html:, …)")
        return None
    for key in front:
        if key not in KEYS:
            problems.append(f"{path}:{_line_of(header, key)}: unknown key {key!r} (allowed: {', '.join(KEYS)})")
    if not isinstance(front.get("title"), str) or not front["title"].strip():
        problems.append(f"{path}:1: no title")
    params = front.get("params", [])
    if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
        problems.append(f"{path}:{_line_of(header, 'params')}: params must be a list of names")
        params = []
    if not sql:
        problems.append(f"{path}:{len(header) + 1}: no SQL after the opening comment")
    used = set(PARAMETER.findall(_without_literals_and_comments(sql)))
    for name in sorted(used - set(params)):
        problems.append(f"{path}:{_line_of_sql(lines, len(header), ':' + name)}: the SQL uses :{name}, "
                        "which is not in params (Datasette would not offer a field for it)")
    for name in [p for p in params if p not in used]:
        problems.append(f"{path}:{_line_of(header, 'params')}: params names {name}, which the SQL does not use")
    if len(problems) > count:
        return None
    return {**front, "sql": sql}


def served_queries(credits: dict, folder: Path = QUERIES_DIR) -> dict[str, dict]:
    """The queries as Datasette serves them: each with the instance's credits merged in, the query's
    own keys winning (as YAML's `<<:` merge did when the queries were in metadata.yml)."""
    shared = {key: credits[key] for key in CREDITS if key in credits}
    return {name: {**shared, **query} for name, query in read_queries(folder).items()}


def _without_literals_and_comments(sql: str) -> str:
    """The SQL with its string literals, quoted names and comments blanked: a ':' inside them is no
    parameter."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|--[^\n]*", " ", sql)


def _line_of(header: list[str], key: str) -> int:
    return next((i + 1 for i, line in enumerate(header) if line.startswith(f"{key}:")), 1)


def _line_of_sql(lines: list[str], start: int, text: str) -> int:
    return next((i + 1 for i, line in enumerate(lines) if i >= start and text in line), start + 1)
