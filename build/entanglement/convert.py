"""Saved web pages and PDFs to document text, for `entanglement ingest`.

A reporter saves the web page; the primary sources of this beat (department
notices, directives, Police Commission reports, council motions) are PDFs.
Ingest keeps such a file byte for byte as the received original
(raw/originals/<id>.html or .pdf) and stores the text converted here as the
document (raw/documents/<id>.txt), which is what every citation points into.

- Web pages: trafilatura (main-text extraction and page metadata in one
  well-kept library; it drops navigation, share buttons, cookie banners,
  related-story teasers, newsletter boxes, footers, scripts and styles, and it
  reads title, site name, author and date from the page's metadata, the date
  through htmldate). readability-lxml was the alternative: it returns the
  article as HTML, so text, metadata and dates would have been ours to write.
- PDFs: pypdf (pure Python, so pyproject installs it with nothing from the
  system; page by page text, which is what finding running headers and page
  numbers needs; it reports encryption and damage as such). The lines a PDF's
  layout breaks are joined back into paragraphs here, and the lines repeated at
  the top or bottom of the pages (running headers and footers) and page
  numbers are left out of the text.

Every failure is a ConversionError with a message naming the problem; nothing
is written by this module.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from .problems import not_utf8

HTML_EXTENSIONS = (".html", ".htm", ".xhtml")


class ConversionError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


@dataclass
class Converted:
    text: str                      # the document text (UTF-8, paragraphs separated by a blank line)
    extension: str                 # of the original kept in raw/originals/: ".html" or ".pdf"
    tool: str                      # library and version that extracted the text
    title: str | None = None       # from the file's metadata, where present
    author: str | None = None
    publisher: str | None = None
    date: str | None = None        # YYYY-MM-DD
    url: str | None = None
    left_out: list[str] = field(default_factory=list)   # what was kept out of the text, for the review file


def kind_of(name: str, data: bytes) -> str | None:
    """'html', 'pdf', or None for plain text: by content first, then by name."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")) or name.lower().endswith(HTML_EXTENSIONS):
        return "html"
    return None


# --- web pages -------------------------------------------------------------------------------

def html_to_text(data: bytes) -> Converted:
    try:
        page = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, where = not_utf8(data, exc)
        declared = re.search(rb"""charset=["']?([\w\-]+)""", data[:2048], re.I)
        raise ConversionError(line, f"the page is not valid UTF-8 ({where}"
                              + (f"; it declares charset {declared.group(1).decode('ascii', 'replace')}" if declared else "")
                              + "); save it again as UTF-8 or convert it (e.g. iconv -f windows-1252 -t utf-8)") from None
    if not re.search(r"<\s*(?:html|body|p|article|div|main)\b", page, re.I):
        raise ConversionError(1, "this is not an HTML page: no <html>, <body> or paragraph element found")
    import trafilatura
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)   # its own warnings would repeat ours
    try:
        doc = trafilatura.bare_extraction(page, include_comments=False, include_tables=False, include_images=False,
                                          include_links=False, favor_precision=True, with_metadata=True,
                                          deduplicate=False)
    except Exception as exc:  # lxml and trafilatura raise several kinds on broken markup
        raise ConversionError(1, f"the page cannot be parsed as HTML ({type(exc).__name__}: {exc})") from None
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    paragraphs = [" ".join(p.split()) for p in body.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs or sum(len(p.split()) for p in paragraphs) < 20:
        raise ConversionError(1, "no article text found in the page (an empty article, or a page that is only "
                                 "navigation, a paywall or a script-built page); save the article's own page or its text")
    title = _clean(getattr(doc, "title", None))
    if title and paragraphs[0] != title:
        paragraphs.insert(0, title)     # the headline opens the document, as in the other sources
    return Converted(
        text="\n\n".join(paragraphs) + "\n", extension=".html", tool=f"trafilatura {trafilatura.__version__}",
        title=title, author=_clean(getattr(doc, "author", None)), publisher=_clean(getattr(doc, "sitename", None)),
        date=_date(getattr(doc, "date", None)), url=_clean(getattr(doc, "url", None)),
        left_out=["navigation, share buttons, cookie banners, related-story teasers, newsletter boxes, footers, "
                  "scripts and styles (trafilatura keeps the article's main text only)"])


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _date(value) -> str | None:
    value = _clean(value)
    return value if value and re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value) else None


# --- PDFs ---------------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"""^\s*(?:
      (?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?       # Page 3, Page 3 of 4, p. 3
    | [-–—]?\s*\d{1,4}\s*[-–—]?                       # 3, - 3 -
    | \d+\s*(?:of|/)\s*\d+                            # 3 of 4, 3/4
    )\s*$""", re.I | re.VERBOSE)
SENTENCE_END = re.compile(r"""[.!?:;]["”’')\]]*$""")


def pdf_to_text(data: bytes) -> Converted:
    from pypdf import PdfReader, __version__ as pypdf_version
    from pypdf.errors import PdfReadError, PyPdfError
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ConversionError(0, "the PDF is encrypted (password-protected); save an unprotected copy first")
        pages = [_page_lines(page) for page in reader.pages]
        info = reader.metadata
    except ConversionError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ConversionError(0, f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # a malformed file reaches pypdf's internals
        raise ConversionError(0, f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise ConversionError(0, "the PDF has no pages")
    if not any(ln for p in pages for ln in p):
        raise ConversionError(0, f"the PDF has no text layer ({len(pages)} page(s) of images: a scan?); "
                                 "run it through OCR (e.g. ocrmypdf) or ingest a transcript")
    body, left_out = _body_lines(pages)
    text = _paragraphs(body)
    if not text.strip():
        raise ConversionError(0, "the PDF has no text besides its running headers, footers and page numbers")

    def meta(key: str) -> str | None:
        try:
            return _clean(info.get(key)) if info else None
        except Exception:
            return None

    return Converted(text=text, extension=".pdf", tool=f"pypdf {pypdf_version}", title=meta("/Title"),
                     author=meta("/Author"), publisher=None, date=_pdf_date(meta("/CreationDate")),
                     left_out=left_out)


def _pdf_date(value: str | None) -> str | None:
    m = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value or "")
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)


def _norm_repeat(line: str) -> str:
    """A line as it repeats from page to page: digits (page numbers, dates of
    printing) do not count."""
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _page_lines(page) -> list[str]:
    """A page's lines, blank lines kept where the layout leaves vertical space
    (pypdf's layout mode); its plain mode when layout fails on a page."""
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:
        text = page.extract_text() or ""
    return [" ".join(ln.split()) for ln in text.splitlines()]


def _body_lines(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Each page's lines without running headers and footers (a line among the
    first or last two of its page that recurs there on at least half of the
    pages, two at least) and page numbers."""
    def edges(p: list[str]) -> set[int]:
        idx = [j for j, ln in enumerate(p) if ln]
        return set(idx[:2] + idx[-2:])

    seen: Counter[str] = Counter()
    for p in pages:
        for key in {_norm_repeat(p[j]) for j in edges(p)}:
            seen[key] += 1
    need = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in seen.items() if n >= need} if len(pages) >= 2 else set()
    out: list[list[str]] = []
    dropped_running = dropped_numbers = 0
    for p in pages:
        edge = edges(p)
        keep = []
        for j, ln in enumerate(p):
            if j in edge and _norm_repeat(ln) in running:
                dropped_running += 1
            elif j in edge and PAGE_NUMBER.match(ln):
                dropped_numbers += 1
            else:
                keep.append(ln)
        out.append(keep)
    left_out = []
    if dropped_running:
        left_out.append(f"{dropped_running} running header or footer line(s) repeated at the top or bottom of the pages")
    if dropped_numbers:
        left_out.append(f"{dropped_numbers} page number line(s)")
    return out, left_out


def _join(cur: str, line: str) -> str:
    """Two lines of one paragraph: a word hyphenated at the line's end is joined
    without the hyphen when it goes on in lowercase ('enforce-' 'ment')."""
    if not cur:
        return line
    if re.search(r"[a-z]-$", cur) and line[:1].islower():
        return cur[:-1] + line
    if cur.endswith(("–", "—", "/")):
        return cur + line
    return cur + " " + line


def _paragraphs(pages: list[list[str]]) -> str:
    """Join the lines the layout broke back into paragraphs: a blank line (the
    layout's vertical space) ends a paragraph; a paragraph that runs over a page
    break (its page's last line does not end a sentence) goes on. On a page
    without blank lines, a line clearly shorter than the page's full lines that
    ends a sentence ends its paragraph."""
    paragraphs: list[str] = []
    cur = ""
    for p in pages:
        spaced = any(not ln for ln in p[1:-1])
        full = max((len(ln) for ln in p), default=0)
        if not cur and paragraphs and p and not SENTENCE_END.search(paragraphs[-1]) \
                and next((ln for ln in p if ln), "")[:1].islower():
            cur = paragraphs.pop()     # a paragraph that runs over the page break
        for ln in p:
            if not ln:
                if cur:
                    paragraphs.append(cur)
                    cur = ""
                continue
            cur = _join(cur, ln)
            if not spaced and len(ln) < 0.8 * full and SENTENCE_END.search(ln):
                paragraphs.append(cur)
                cur = ""
        if cur and SENTENCE_END.search(cur):
            paragraphs.append(cur)
            cur = ""
    if cur:
        paragraphs.append(cur)
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
