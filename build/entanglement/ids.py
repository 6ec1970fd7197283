"""Ids made from text: the one definition of each rule.

- `slug()`: the text part of a generated row id (alias rows, non-quotation
  rows): lowercase ASCII letters and digits joined by hyphens; a text with
  none of them gets a short hash, so that the id is never empty.
- `record_slug()`: the id the extractor proposes for a new record (a person,
  an organization, a quotation): accents dropped (Unión -> union), at most
  60 characters, "unnamed" when nothing is left.
- `free_id()`: a proposed id not yet taken (base, base-2, base-3, ...).

They differ on purpose: row ids are published and must stay as they are;
record ids are proposals a curator reads and may edit.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata


def slug(text: str) -> str:
    """The text part of a generated row id (see the module's docstring)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or hashlib.sha1(text.encode()).hexdigest()[:8]


def record_slug(text: str) -> str:
    """The id proposed for a new record named `text` (see the module's docstring)."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")
    return s[:60].strip("-") or "unnamed"


def free_id(base: str, taken: set[str]) -> str:
    """`base`, or the first of base-2, base-3, ... that is not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
