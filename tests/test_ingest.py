"""`entanglement ingest` and the review workflow, end to end, in a copy of the
project: ingest an unseen article, build (held back, nothing published),
accept every proposal unchanged, build (published: quotes, speakers,
mentions), and every kind of bad input (clear message, exit 1, no traceback,
nothing touched)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "extraction_articles"


run = run_cli


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def accept_all(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("review: unreviewed", "review: accepted"), encoding="utf-8")


def test_ingest_then_accept_everything_unchanged_publishes_it(project: Path):
    records_before = tree_hash(project / "raw" / "records")
    src = ARTICLES / "council-audit.txt"
    r = run("ingest", str(src), "--source-id", "council-audit", "--publisher", "Test Daily", "--date", "2025-08",
            root=project)
    assert r.exit_code == 0, r.output
    doc = project / "raw" / "documents" / "council-audit.txt"
    assert doc.read_bytes() == src.read_bytes()                      # verbatim
    review = project / "raw" / "review" / "council-audit.yml"
    text = review.read_text(encoding="utf-8")
    assert "\n  review: accepted" not in text and "\n- review: accepted" not in text
    assert text.count("- review: unreviewed") >= 10
    assert tree_hash(project / "raw" / "records") == records_before   # records never touched

    # unreviewed: the build passes, publishes nothing of it, and reports it
    r = run("build", "-o", str(project / "db.sqlite"), root=project)
    assert r.exit_code == 0, r.output
    assert "review raw/review/council-audit.yml: " in r.output and "unreviewed" in r.output
    conn = sqlite3.connect(project / "db.sqlite")
    assert conn.execute("select count(*) from sources where id = 'council-audit'").fetchone()[0] == 0
    cov = dict(conn.execute("select kind, unreviewed from review_coverage where source_id = 'council-audit'"))
    assert cov["quotes"] >= 7 and cov["sources"] == 1
    conn.close()
    r = run("check", "--strict", root=project)
    assert r.exit_code == 1
    assert re.search(r"raw/review/council-audit\.yml:\d+: \d+ quotes proposal\(s\) still unreviewed", r.output)

    # accepted unchanged: valid records, published with speakers and mentions
    accept_all(review)
    r = run("build", "-o", str(project / "db.sqlite"), root=project)
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(project / "db.sqlite")
    speakers = dict(conn.execute(
        "select substr(qa.text, 1, 30), q.speaker_name from quote_appearances qa join quotes q on q.id = qa.quote_id "
        "where qa.source_id = 'council-audit'"))
    assert speakers["We have promised immigrant fam"] == "Rosa Alvarado"
    assert speakers["My neighbors stopped calling t"] == "Marisol Ortega"
    assert conn.execute("select count(*) from mentions where source_id = 'council-audit' and person_id = "
                        "'jim-mcdonnell'").fetchone()[0] == 1
    unaccounted = conn.execute("select count(*) from quotation_spans where source_id = 'council-audit' and "
                               "quote_appearance_id is null and non_quotation_id is null").fetchone()[0]
    assert unaccounted == 0
    conn.close()
    assert run("check", "--strict", root=project).exit_code == 0


def test_every_test_article_accepted_unchanged_builds(project: Path):
    for path in sorted(ARTICLES.glob("*.txt")):
        r = run("ingest", str(path), "--source-id", path.stem, root=project)
        assert r.exit_code == 0, r.output
    for review in sorted((project / "raw" / "review").glob("*.yml")):
        accept_all(review)
    r = run("build", "-o", str(project / "db.sqlite"), root=project)
    assert r.exit_code == 0, r.output


def test_accepted_source_with_unreviewed_quotes_is_pending_and_rejecting_one_fails(project: Path):
    run("ingest", str(ARTICLES / "vigil.txt"), "--source-id", "vigil", root=project)
    review = project / "raw" / "review" / "vigil.yml"
    text = review.read_text(encoding="utf-8")
    # accept the source record only (and the people and organizations quotes may name)
    head, quotes = text.split("\nquotes:\n", 1)
    review.write_text(head.replace("review: unreviewed", "review: accepted") + "\nquotes:\n" + quotes, encoding="utf-8")
    r = run("build", "-o", str(project / "db.sqlite"), root=project)
    assert r.exit_code == 0, r.output
    assert "quotation span(s) pending review" in r.output
    conn = sqlite3.connect(project / "db.sqlite")
    pending = conn.execute("select unreviewed from review_coverage where id = 'vigil--quotation-spans'").fetchone()[0]
    assert pending >= 5
    conn.close()
    # rejecting a quotation leaves its span unaccounted for: the build says so
    review.write_text(review.read_text(encoding="utf-8").replace("\nquotes:\n- review: unreviewed", "\nquotes:\n- review: rejected", 1),
                      encoding="utf-8")
    r = run("build", "-o", str(project / "db.sqlite"), root=project)
    assert r.exit_code == 1
    assert "raw/documents/vigil.txt:" in r.output and "is not accounted for" in r.output


def test_reingest_needs_force_and_identical_bytes(project: Path):
    src = ARTICLES / "drone-vote.txt"
    assert run("ingest", str(src), "--source-id", "drone-vote", root=project).exit_code == 0
    r = run("ingest", str(src), "--source-id", "drone-vote", root=project)
    assert r.exit_code == 1 and "raw/review/drone-vote.yml:0: " in r.output and "--force" in r.output
    assert run("ingest", str(src), "--source-id", "drone-vote", "--force", root=project).exit_code == 0
    other = ARTICLES / "vigil.txt"
    before = tree_hash(project / "raw")
    r = run("ingest", str(other), "--source-id", "drone-vote", "--force", root=project)
    assert r.exit_code == 1 and "raw/documents/drone-vote.txt:0: a different document is already stored" in r.output
    assert tree_hash(project / "raw") == before


def test_reingesting_a_curated_source_proposes_only_what_is_not_recorded(project: Path):
    src = project / "raw" / "documents" / "lat-activists-data.txt"
    copy = project / "copy.txt"
    copy.write_bytes(src.read_bytes())
    r = run("ingest", str(copy), "--source-id", "lat-activists-data", root=project)
    assert r.exit_code == 0, r.output
    text = (project / "raw" / "review" / "lat-activists-data.yml").read_text(encoding="utf-8")
    assert "\nsources:" not in text and "\nquotes:" not in text


# --- bad input ----------------------------------------------------------------------------

def bad(project: Path, *args: str) -> str:
    before = tree_hash(project / "raw")
    r = run("ingest", *args, root=project)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert tree_hash(project / "raw") == before, "bad input must not touch raw/"
    return r.output


def test_empty_file(project: Path, tmp_path: Path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert f"{p}:1: the document is empty" in bad(project, str(p), "--source-id", "empty")
    p.write_bytes(b"  \n\n \t\n")
    assert "the document is empty" in bad(project, str(p), "--source-id", "empty")


def test_not_utf8(project: Path, tmp_path: Path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Line one\nCaf\xe9 owner said \u201chi\u201d\n".encode("latin-1", errors="replace"))
    out = bad(project, str(p), "--source-id", "latin1")
    assert f"{p}:2: document is not valid UTF-8 (byte 0xe9" in out


def test_missing_file_bad_id_bad_date_and_folder(project: Path, tmp_path: Path):
    assert f"{tmp_path / 'nope.txt'}:0: no such file" in bad(project, str(tmp_path / "nope.txt"), "--source-id", "x")
    good = ARTICLES / "drone-vote.txt"
    assert "--source-id:0: 'Bad Id' is not an id" in bad(project, str(good), "--source-id", "Bad Id")
    assert "--date:0: '2025/07' is not a date" in bad(project, str(good), "--source-id", "x", "--date", "2025/07")
    assert "is a folder" in bad(project, str(tmp_path), "--source-id", "x")


def test_unbalanced_quotation_marks_and_no_quotations_are_fine(project: Path, tmp_path: Path):
    p = tmp_path / "unbalanced.txt"
    p.write_text('Rosa Alvarado, a councilmember, spoke.\n"We will not stop, she said.\n\nAnd “this one ‘never closes either.\n',
                 encoding="utf-8")
    r = run("ingest", str(p), "--source-id", "unbalanced", root=project)
    assert r.exit_code == 0, r.output
    q = tmp_path / "plain.txt"
    q.write_text("The commission postponed its vote on drones.\n", encoding="utf-8")
    r = run("ingest", str(q), "--source-id", "plain", root=project)
    assert r.exit_code == 0 and "no quotation marks found" in r.output
    for review in (project / "raw" / "review").glob("*.yml"):
        accept_all(review)
    r = run("build", "-o", str(project / "db.sqlite"), root=project)
    assert r.exit_code == 0, r.output


def test_a_one_megabyte_document_in_seconds(project: Path, tmp_path: Path):
    import time
    base = (ARTICLES / "aclu-jail-letter.txt").read_text(encoding="utf-8")
    text = (base * (1_000_000 // len(base) + 1))[:1_000_000]
    text = text[: text.rfind("\n") + 1]
    p = tmp_path / "big.txt"
    p.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    r = run("ingest", str(p), "--source-id", "big", root=project)
    assert r.exit_code == 0, r.output
    assert time.perf_counter() - t0 < 90
    assert (project / "raw" / "documents" / "big.txt").read_bytes() == p.read_bytes()


def test_console_script_reports_bad_input_without_traceback(project: Path, tmp_path: Path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"\xff\xfe not utf-8")
    exe = Path(sys.executable).with_name("entanglement")
    proc = subprocess.run([str(exe), "ingest", str(p), "--source-id", "bad", "--root", str(project)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{p}:1: document is not valid UTF-8")
    assert "Traceback" not in proc.stderr + proc.stdout


def test_malformed_review_file_is_reported_with_its_line(project: Path):
    review = project / "raw" / "review"
    review.mkdir(parents=True)
    (review / "x.yml").write_text("people:\n- id: someone\n  review: maybe\n", encoding="utf-8")
    r = run("check", root=project)
    assert r.exit_code == 1
    assert "raw/review/x.yml:3: field 'review' is 'maybe'; expected one of: unreviewed, accepted, rejected" in r.output
    (review / "x.yml").write_text("gadgets:\n- review: accepted\n", encoding="utf-8")
    r = run("check", root=project)
    assert r.exit_code == 1 and "raw/review/x.yml:1: unknown record kind 'gadgets'" in r.output


def test_extension_must_not_change_an_existing_record(project: Path):
    review = project / "raw" / "review"
    review.mkdir(parents=True)
    (review / "x.yml").write_text(
        "people:\n- review: accepted\n  id: jim-mcdonnell\n  name: James McDonnell\n", encoding="utf-8")
    r = run("check", root=project)
    assert r.exit_code == 1
    assert "raw/review/x.yml:4: field 'name' differs from the person 'jim-mcdonnell' it extends" in r.output
