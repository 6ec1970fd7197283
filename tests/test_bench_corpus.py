"""The benchmark's synthetic corpus (bench/corpus.py) is valid input and deterministic.

No timings here: the benchmark itself runs with `make bench`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bench import corpus
from entanglement.pipeline import Layout, check

ROOT = Path(__file__).resolve().parents[1]


def _generate(out: Path, docs: int = 20, seed: int = 7) -> Path:
    corpus.write_corpus(corpus.generate(docs, seed), out, seed, ROOT / "schema")
    return out


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted((folder / "raw").rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_synthetic_corpus_passes_every_check(tmp_path):
    root = _generate(tmp_path / "corpus")
    tables = check(Layout(root)).tables       # raises BuildFailed, listing every problem, if anything is wrong
    # Every kind of record is exercised, even at 20 documents.
    for table in ("sources", "segments", "people", "organizations", "aliases", "affiliations", "memberships",
                  "policies", "policy_provisions", "demands", "cases", "case_events", "quotes", "quote_appearances",
                  "non_quotations", "data_flows", "data_flow_claims", "discrepancies", "citations", "mentions"):
        assert tables[table], f"no {table} in the synthetic corpus"
    assert {r["kind"] for r in tables["sources"]} >= {"original_report", "press_release", "repost",
                                                      "machine_rewrite", "summary"}
    assert {r["fidelity"] for r in tables["quote_appearances"]} >= {"verbatim", "reworded"}
    assert {r["match"] for r in tables["citations"]} == {"exact", "folded"}
    assert {r["kind"] for r in tables["aliases"]} >= {"short_name", "title_form", "misspelling"}
    # Split quotations and quotations over two paragraphs: appearances printed in pieces.
    assert any(" … " in r["text"] for r in tables["quote_appearances"])


def test_synthetic_corpus_is_deterministic(tmp_path):
    assert _digest(_generate(tmp_path / "a")) == _digest(_generate(tmp_path / "b"))
    assert _digest(_generate(tmp_path / "c", seed=8)) != _digest(tmp_path / "a")
