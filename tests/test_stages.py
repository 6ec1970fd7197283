"""Each pipeline stage alone, on small inputs."""

from __future__ import annotations

import pytest
import yaml

from entanglement.citations import NotFound, SourceText, fold
from entanglement.load import _BaseLoader, load_yaml_file
from entanglement.mentions import Matcher, Name
from entanglement.problems import Problems
from entanglement.quotespans import find_spans
from entanglement.validate import validate_records


# ---- load ------------------------------------------------------------------

def test_c_loader_is_used_where_present():
    assert _BaseLoader.__name__ == ("CSafeLoader" if hasattr(yaml, "CSafeLoader") else "SafeLoader")


def test_mappings_remember_their_lines(tmp_path):
    path = tmp_path / "people.yml"
    path.write_text("# comment\n- id: a\n  name: A\n\n- id: b\n  name: B\n")
    data = load_yaml_file(path, "people.yml", Problems())
    assert [(r.line, r.line_of("name")) for r in data] == [(2, 3), (5, 6)]


def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "people.yml"
    path.write_text("- id: a\n  id: b\n")
    problems = Problems()
    assert load_yaml_file(path, "people.yml", problems) is None
    assert str(problems[0]) == "people.yml:2: duplicate key 'id' (first on line 1)"


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    import entanglement.load as load
    monkeypatch.setattr(load, "MAX_YAML_BYTES", 10)
    path = tmp_path / "people.yml"
    path.write_text("- id: a-long-enough-record\n")
    problems = Problems()
    assert load_yaml_file(path, "people.yml", problems) is None
    assert "records files are limited to 10 bytes" in problems[0].message


# ---- validate --------------------------------------------------------------

def _validate(kind, text, tmp_path):
    path = tmp_path / f"{kind}.yml"
    path.write_text(text)
    problems = Problems()
    records = validate_records({kind: load_yaml_file(path, path.name, problems)}, problems)
    return records[kind], problems


def test_dates_carry_their_precision(tmp_path):
    text = "".join(f"- id: p{i}\n  name: P\n  kind: other\n  status: unknown\n  description: d\n"
                   f"  cite: [{{source: s, excerpt: e}}]\n" + (f"  date: {d}\n" if d else "")
                   for i, d in enumerate(['"1979"', '"2025-07"', '"2025-07-11"', "2025-07-11", None]))
    records, problems = _validate("policies", text, tmp_path)
    assert not problems
    assert [(r["date"], r["date_precision"]) for r in records] == [
        ("1979", "year"), ("2025-07", "month"), ("2025-07-11", "day"), ("2025-07-11", "day"), (None, "unknown")]


def test_unquoted_yes_no_read_as_choices(tmp_path):
    text = "- id: c\n  title: T\n  summary: S\n  charges: no\n  federal_charges: no\n  cite: [{source: s, excerpt: e}]\n"
    records, problems = _validate("cases", text, tmp_path)
    assert not problems and records[0]["charges"] == "no" and records[0]["federal_charges"] == "no"


def test_ids_must_be_slugs(tmp_path):
    _, problems = _validate("people", "- id: Jim McDonnell\n  name: J\n  category: public_official\n"
                                      "  description: d\n  cite: [{source: s, excerpt: e}]\n", tmp_path)
    assert "ids are lowercase slugs" in problems[0].message


# ---- citations -------------------------------------------------------------

def test_excerpt_found_exactly():
    st = SourceText("He said “hello there” twice.")
    loc = st.locate("“hello there”")
    assert (loc.start, loc.end, loc.match) == (8, 21, "exact")


def test_excerpt_found_after_folding_quotes_and_whitespace():
    text = "He said “hello  there,\n friend” and left."
    loc = SourceText(text).locate('said "hello there, friend"')
    assert loc.match == "folded"
    assert text[loc.start:loc.end] == "said “hello  there,\n friend”"


def test_repeated_excerpt_needs_an_occurrence():
    st = SourceText("Khan said no. Later Khan said yes.")
    with pytest.raises(NotFound, match="occurs 2 times"):
        st.locate("Khan said")
    assert st.locate("Khan said", occurrence=2).start == 20


def test_missing_excerpt_names_the_nearest_passage():
    st = SourceText("Councilmember Hugo Soto-Martinez said the policy was right at the time.")
    with pytest.raises(NotFound) as err:
        st.locate("Councilmember Hugo Soto Martinez said")
    assert "nearest passage" in err.value.message and "Soto-Martinez" in err.value.message


def test_fold():
    assert fold("“a”  ‘b’\n\tc") == "\"a\" 'b' c"


# ---- quotation spans -------------------------------------------------------

def spans(text):
    return [(text[s.start:s.end], s.depth, s.unbalanced) for s in find_spans(text)]


def test_curly_and_straight_quotes():
    assert spans('“One,” he said. "Two," she said.') == [("One,", 0, False), ("Two,", 0, False)]


def test_apostrophes_are_not_quotes():
    text = "“Don’t you see? It’s the residents’ data,” he said. Rock ’n’ roll isn't quoted."
    assert spans(text) == [("Don’t you see? It’s the residents’ data,", 0, False)]


def test_nested_single_quotes():
    text = "“The community asked: ‘Don’t you protect us?’” she said."
    assert spans(text) == [("The community asked: ‘Don’t you protect us?’", 0, False),
                           ("Don’t you protect us?", 1, False)]


def test_quote_split_by_attribution():
    text = '"If LAPD could share any data," Soto-Martinez said, "the city needs to look."'
    assert [s for s, _, _ in spans(text)] == ["If LAPD could share any data,", "the city needs to look."]


def test_multi_paragraph_quote_without_closing_mark():
    text = "“First paragraph of the quote.\n“Second paragraph ends it,” she said.\nNext."
    [(inner, depth, unbalanced)] = spans(text)
    assert inner.startswith("First paragraph") and inner.endswith("ends it,") and not unbalanced


def test_quote_wrapped_mid_sentence_continues():
    text = "“To ensure the safety of this\ncity’s people, we act,” said Kim."
    assert spans(text) == [("To ensure the safety of this\ncity’s people, we act,", 0, False)]


def test_unbalanced_quote_ends_at_its_paragraph():
    text = "He called it “a tool.\nThe next paragraph has no quotes."
    assert spans(text) == [("a tool.", 0, True)]


# ---- mentions --------------------------------------------------------------

def test_longest_name_wins_and_case_matters():
    m = Matcher([Name("McDonnell", "jm", None), Name("Jim McDonnell", "jm", None), Name("ICE", None, "ice")])
    text = "Chief Jim McDonnell met ICE; McDonnell said police ice melts."
    assert [(text[s:e], n.person_id or n.organization_id) for s, e, n in m.find(text)] == [
        ("Jim McDonnell", "jm"), ("ICE", "ice"), ("McDonnell", "jm")]


def test_names_match_on_word_boundaries_only():
    m = Matcher([Name("Kim", "kk", None)])
    assert [s for s, _, _ in m.find("Kimberly and Kim’s office; Kim.")] == [13, 27]
