"""The public build: no redacted name and no protected paragraph anywhere in
the file, FTS vocabularies and free pages included; everything else still linked."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "entanglement.cli"]


@pytest.fixture(scope="module")
def public_db(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("public") / "entanglement-public.db"
    result = subprocess.run([*CLI, "build", "--profile", "public", "--root", str(ROOT), "--output", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def redacted_people():
    people = yaml.safe_load((ROOT / "raw/records/people.yml").read_text(encoding="utf-8"))
    return [p for p in people if p.get("redact")]


def secret_strings() -> set[str]:
    """Every name form of every redacted person, and each word of them."""
    out = set()
    for p in redacted_people():
        forms = [p["name"], *(a["name"] for a in p.get("aliases") or []), *(p.get("redact_also") or [])]
        for form in forms:
            out.add(form)
            out.update(w for w in re.split(r"[\s-]+", form) if len(w) > 3)
    return out


def protected_texts() -> dict[str, str]:
    sources = yaml.safe_load((ROOT / "raw/records/sources.yml").read_text(encoding="utf-8"))
    return {s["id"]: (ROOT / "raw/documents" / f"{s['id']}.txt").read_text(encoding="utf-8")
            for s in sources if s.get("document") is not False and not s.get("publish_full_text")}


def test_there_is_something_to_protect():
    assert len(redacted_people()) >= 2
    assert len(protected_texts()) >= 4


def test_no_redacted_name_in_the_file_bytes(public_db):
    data = public_db.read_bytes().lower()
    for secret in secret_strings():
        assert secret.lower().encode("utf-8") not in data, secret


def test_no_redacted_name_in_any_fts_vocabulary(public_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copyfile(public_db, copy)
    conn = sqlite3.connect(copy)
    fts_tables = [r[0] for r in conn.execute("select name from sqlite_master where sql like 'CREATE VIRTUAL TABLE%fts5(%'")]
    assert len(fts_tables) >= 7
    terms = set()
    for n, table in enumerate(fts_tables):
        conn.execute(f"CREATE VIRTUAL TABLE temp.v{n} USING fts5vocab(main, '{table}', 'row')")
        terms.update(t for (t,) in conn.execute(f"select term from temp.v{n}"))
    assert "fingerprint" in terms  # the vocabularies are real (porter-stemmed)
    for secret in secret_strings():
        for word in re.split(r"[\s-]+", secret.lower()):
            assert word not in terms, word


def test_no_free_pages_that_could_hold_deleted_content(public_db):
    conn = sqlite3.connect(public_db)
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0


def test_no_protected_paragraph_or_long_run_of_one(public_db):
    """No run of more than 50 consecutive words of a rights-reserved text."""
    window = 51
    shingles = set()
    for text in protected_texts().values():
        words = text.split()
        shingles.update(" ".join(words[i:i + window]) for i in range(len(words) - window + 1))
    assert shingles
    data = public_db.read_bytes()
    for text in protected_texts().values():
        for paragraph in text.splitlines():
            if len(paragraph.split()) >= window:
                assert paragraph.encode("utf-8") not in data
    conn = sqlite3.connect(public_db)
    for (table,) in conn.execute("select name from sqlite_master where type = 'table' and name not like '%fts%'"):
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[2].upper() == "TEXT"]
        for column in columns:
            for (value,) in conn.execute(f'select "{column}" from "{table}" where length("{column}") > 200'):
                words = value.split()
                for i in range(len(words) - window + 1):
                    assert " ".join(words[i:i + window]) not in shingles, (table, column)


def test_rights_reserved_sources_keep_metadata_and_short_excerpts(public_db):
    conn = sqlite3.connect(public_db)
    rows = conn.execute("select id, title, text, sha256 from sources where id = 'repost-fingerprints'").fetchall()
    assert rows and rows[0][1] and rows[0][2] is None and rows[0][3]
    longest = conn.execute("select max(length(excerpt) - length(replace(excerpt, ' ', '')) + 1) from citations "
                           "where source_id <> 'coalition-chiefs-directive'").fetchone()[0]
    assert longest <= 51  # 50 words and the ellipsis
    assert conn.execute("select text is not null from sources where id = 'coalition-chiefs-directive'").fetchone()[0]


def test_redacted_people_stay_linked_under_their_pseudonym(public_db):
    conn = sqlite3.connect(public_db)
    assert conn.execute("select name from people where id = 'case-subject-b'").fetchone() == ("case subject B",)
    quotes = conn.execute("select count(*) from quotes where speaker_person_id = 'case-subject-b'").fetchone()[0]
    assert quotes >= 1
    case = conn.execute("select charges from cases where subject_person_id = 'case-subject-a'").fetchone()
    assert case == ("declined",)
    assert conn.execute("select count(*) from mentions where person_id = 'case-subject-a'").fetchone()[0] > 0
    assert conn.execute("select value from build_info where key = 'profile'").fetchone() == ("public",)


def test_full_build_still_has_the_names(tmp_path):
    # Redaction is a property of the public profile only; the research build keeps the names.
    out = tmp_path / "full.db"
    subprocess.run([*CLI, "build", "--root", str(ROOT), "--output", str(out)], check=True, capture_output=True)
    conn = sqlite3.connect(out)
    assert conn.execute("select name from people where id = 'jose-juarez-basilio'").fetchone() == ("Jose Juarez-Basilio",)
    assert conn.execute("select count(*) from sources where text is null and held = 1").fetchone() == (0,)
