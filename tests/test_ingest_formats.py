"""`entanglement ingest` of a saved web page and of a PDF (issue 13), in a copy
of the project: the received file is kept byte for byte in raw/originals/,
the extracted text becomes the document, page chrome stays out of it, and the
proposals are the article's only; every bad file is a clear error with nothing
written. The page and the PDFs are invented here (the PDFs are written by the
test with fpdf2)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import run_cli
import yaml

from entanglement.convert import ConversionError, html_to_text, pdf_to_text

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Council delays vote on plate-reader data | Eastside Ledger</title>
<meta property="og:title" content="Council delays vote on plate-reader data">
<meta property="og:site_name" content="Eastside Ledger">
<meta name="author" content="Paula Serrano">
<meta property="article:published_time" content="2026-03-04T09:30:00-08:00">
<script>window.dataLayer = []; var banner = "We value your privacy, said nobody";</script>
<style>.nav { color: #333 }</style>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>“We use cookies to improve your experience,” the notice says.</p>
<button>Accept all</button></div>
<header><nav class="main-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/politics">Politics</a></nav></header>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
<main>
<article>
<h1>Council delays vote on plate-reader data</h1>
<p class="byline">By Paula Serrano</p>
<p>The City Council on Tuesday postponed a vote on whether the police department may share license plate
data with federal agencies, after two members asked for an audit first.</p>
<p>“We should know where the data has already gone before we decide where it goes next,” said Councilmember
Ines Marroquin, who requested the audit.</p>
<p>Police officials said the department already limits access. "Every request is logged and reviewed,"
Deputy Chief Samuel Ortega told the council.</p>
<p>The audit is expected in June. The council will take up the question again after it is published.</p>
</article>
<aside class="related-stories">
<h3>Related stories</h3>
<ul><li><a href="/a">“This is a betrayal of every family in this city,” activists say of new jail contract</a></li>
<li><a href="/b">Sheriff defends release policy</a></li></ul>
</aside>
<div class="newsletter-signup"><p>Get the Eastside Ledger newsletter: “The local news you need, every morning.”</p>
<form><input type="email"><button>Sign up</button></form></div>
</main>
<footer class="site-footer"><p>© 2026 Eastside Ledger. All rights reserved.</p>
<p>“Independent local news since 1998,” our founder wrote.</p><a href="/privacy">Privacy</a></footer>
<script>console.log("tracking pixel loaded");</script>
</body>
</html>
"""

CHROME = ("betrayal", "cookies", "newsletter", "Independent local news", "tracking", "Share on", "Related stories",
          "Politics", "privacy", "All rights reserved", "Sign up")


run = run_cli


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "raw").rglob("*")) if p.is_file()}


def pieces(quote: dict) -> list[str]:
    text = quote["appearances"][0]["text"]
    return text if isinstance(text, list) else [text]


def review(root: Path, sid: str) -> dict:
    return yaml.safe_load((root / "raw" / "review" / f"{sid}.yml").read_text(encoding="utf-8"))


# --- web pages -----------------------------------------------------------------------------------

def test_web_page_is_kept_verbatim_and_its_article_text_becomes_the_document(project: Path, tmp_path: Path):
    page = tmp_path / "saved page.html"
    page.write_text(PAGE, encoding="utf-8")
    r = run("ingest", str(page), "--source-id", "ledger-plates", root=project)
    assert r.exit_code == 0, r.output
    kept = project / "raw" / "originals" / "ledger-plates.html"
    assert kept.read_bytes() == page.read_bytes()                     # the received original, byte for byte
    text = (project / "raw" / "documents" / "ledger-plates.txt").read_text(encoding="utf-8")
    assert text.startswith("Council delays vote on plate-reader data\n\n")
    assert "Ines Marroquin" in text and "Every request is logged and reviewed" in text
    for chrome in CHROME:
        assert chrome not in text, chrome
    rv = review(project, "ledger-plates")
    src = rv["sources"][0]
    assert src["converted_from"] == "ledger-plates.html" and src["original_file"] == "saved page.html"
    assert src["title"] == "Council delays vote on plate-reader data"
    assert "machine-proposed" in src["title_basis"] and "machine-proposed" in src["date_basis"]
    assert (src["publisher"], src["author"], src["date"]) == ("Eastside Ledger", "Paula Serrano", "2026-03-04")
    assert "trafilatura" in src["notes"] and "publisher, author" in src["notes"]
    speakers = {pieces(q)[0][:20]: q["speaker"] for q in rv["quotes"]}
    assert speakers == {"We should know where": "ines-marroquin", "Every request is log": "samuel-ortega"}

    # accepted as proposed, it builds and is published; an original nobody refers to stops the build
    path = project / "raw" / "review" / "ledger-plates.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("review: unreviewed", "review: accepted"), encoding="utf-8")
    r = run("build", root=project)
    assert r.exit_code == 0, r.output
    (project / "raw" / "originals" / "stray.pdf").write_bytes(b"%PDF-1.4\n")
    r = run("build", root=project)
    assert r.exit_code == 1
    assert "raw/originals/stray.pdf:0: original is not referenced by any source's converted_from" in r.output


def test_options_win_over_the_page_metadata(project: Path, tmp_path: Path):
    page = tmp_path / "page.htm"
    page.write_text(PAGE, encoding="utf-8")
    r = run("ingest", str(page), "--source-id", "ledger-plates", "--title", "Plate data vote delayed",
            "--publisher", "The Ledger", "--date", "2026-03", root=project)
    assert r.exit_code == 0, r.output
    src = review(project, "ledger-plates")["sources"][0]
    assert (src["title"], src["publisher"], src["date"], src["date_basis"]) == \
        ("Plate data vote delayed", "The Ledger", "2026-03", "given at ingest")
    assert "title_basis" not in src


@pytest.mark.parametrize("name, content, message", [
    ("latin1.html", PAGE.replace("Marroquin", "Marroquín").encode("latin-1", "replace"),
     "page is not valid UTF-8"),
    ("nav-only.html", b"<!DOCTYPE html><html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
                      b"<a href='/news'>News</a></nav><footer>(c) 2026</footer></body></html>",
     "no article text found in the page"),
    ("empty.html", b"<!DOCTYPE html><html><head></head><body></body></html>", "no article text found in the page"),
    ("not-html.html", b"Just a line of words that is no markup at all, saved with the wrong name.\n",
     "this is not an HTML page"),
])
def test_bad_web_pages_are_clear_errors_and_nothing_is_written(project: Path, tmp_path: Path, name, content, message):
    page = tmp_path / name
    page.write_bytes(content)
    before = snapshot(project)
    r = run("ingest", str(page), "--source-id", "bad-page", root=project)
    assert r.exit_code == 1
    assert f"{page}:" in r.output and message in r.output, r.output
    assert "Traceback" not in r.output
    assert snapshot(project) == before


# --- PDFs -------------------------------------------------------------------------------------------

QUOTE = ('"No record leaves this department without a written request, and every written request is kept for five '
         'years so that this Commission can read it," Deputy Chief Omar Haddad told the Commission.')
PARA = ("The Commission reviewed the department's practice of sharing booking records with outside agencies at "
        "its meeting of March 3. Commissioner Helena Strand asked the department to explain each kind of request.")


def notice_pdf(*, image_only: bool = False) -> bytes:
    """A two-page notice with a running header, 'Page N of 2' footers and a
    quotation that the layout breaks over two lines."""
    from fpdf import FPDF

    class Notice(FPDF):
        def header(self):
            if not image_only:
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, "LOS ANGELES POLICE COMMISSION - NOTICE 26-014", align="C")
            self.ln(12)

        def footer(self):
            if not image_only:
                self.set_y(-15)
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, f"Page {self.page_no()} of 2", align="C")

    pdf = Notice(format="Letter")
    pdf.set_title("Notice on the release of booking records")
    pdf.set_author("Office of the Commission Secretary")
    pdf.set_creation_date(__import__("datetime").datetime(2026, 3, 9, tzinfo=__import__("datetime").timezone.utc))
    pdf.add_page()
    if image_only:
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 150, 200, style="F")      # a scanned page: marks, no text layer
        pdf.add_page()
        pdf.rect(20, 20, 150, 200, style="F")
        return bytes(pdf.output())
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Release of Booking Records to Federal Agencies")
    pdf.ln(4)
    pdf.multi_cell(0, 6, PARA)
    pdf.ln(4)
    pdf.multi_cell(0, 6, QUOTE)
    pdf.add_page()
    pdf.multi_cell(0, 6, PARA)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "The Commission will receive a written report within sixty days, covering every request "
                         "made since January.")
    return bytes(pdf.output())


def test_pdf_is_kept_verbatim_and_its_lines_are_joined_into_paragraphs(project: Path, tmp_path: Path):
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(notice_pdf())
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert len(reader.pages) == 2
    raw = reader.pages[0].extract_text()
    assert "\n" in raw[raw.index('"No record'):raw.index('read it,"')]     # the layout breaks the quotation
    r = run("ingest", str(pdf), "--source-id", "commission-notice", root=project)
    assert r.exit_code == 0, r.output
    assert (project / "raw" / "originals" / "commission-notice.pdf").read_bytes() == pdf.read_bytes()
    text = (project / "raw" / "documents" / "commission-notice.txt").read_text(encoding="utf-8")
    assert text == ("Release of Booking Records to Federal Agencies\n\n" + PARA + "\n\n" + QUOTE + "\n\n" + PARA
                    + "\n\nThe Commission will receive a written report within sixty days, covering every request "
                      "made since January.\n")
    assert "NOTICE 26-014" not in text and "Page 1" not in text
    rv = review(project, "commission-notice")
    src = rv["sources"][0]
    assert src["converted_from"] == "commission-notice.pdf"
    assert src["title"] == "Notice on the release of booking records" and "PDF's metadata" in src["title_basis"]
    assert src["date"] == "2026-03-09" and "pypdf" in src["notes"] and "running header" in src["notes"]
    [quote] = rv["quotes"]
    assert pieces(quote) == [QUOTE[1:QUOTE.index('," ') + 1]]   # one quotation, whole
    assert quote["speaker"] == "omar-haddad"


def test_scanned_encrypted_and_damaged_pdfs_are_clear_errors_and_nothing_is_written(project: Path, tmp_path: Path):
    from pypdf import PdfReader, PdfWriter
    good = notice_pdf()
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(good)).pages:
        writer.add_page(page)
    writer.encrypt("secret", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    cases = {
        "scan.pdf": (notice_pdf(image_only=True), "no text layer"),
        "locked.pdf": (locked.getvalue(), "encrypted"),
        "broken.pdf": (good[:300], "damaged"),
        "garbage.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 4, "damaged"),
    }
    before = snapshot(project)
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        r = run("ingest", str(path), "--source-id", "bad-pdf", root=project)
        assert r.exit_code == 1, (name, r.output)
        assert f"{path}:0: " in r.output and message in r.output, (name, r.output)
        assert "Traceback" not in r.output
        assert snapshot(project) == before


def test_running_headers_are_told_from_body_lines_by_recurrence():
    with pytest.raises(ConversionError, match="no text layer"):
        pdf_to_text(notice_pdf(image_only=True))
    converted = pdf_to_text(notice_pdf())
    assert converted.left_out and all("running header" in x or "page number" in x for x in converted.left_out)
    assert html_to_text(PAGE.encode()).publisher == "Eastside Ledger"
