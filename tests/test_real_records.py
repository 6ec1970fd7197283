"""The full build of the real records: counts, selected facts, and the rule
that every fact carries a verified citation."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FACT_TABLES = ("people", "organizations", "aliases", "affiliations", "memberships", "policies", "policy_provisions",
               "demands", "cases", "case_events", "quote_appearances", "data_flows", "data_flow_claims",
               "discrepancies")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "entanglement.db"
    result = subprocess.run([sys.executable, "-m", "entanglement.cli", "build", "--root", str(ROOT), "--output", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(out)
    yield conn
    conn.close()


def one(db, sql, *params):
    return db.execute(sql, params).fetchone()


def test_row_counts(db):
    assert one(db, "select count(*), sum(held) from sources") == (6, 5)
    counts = {t: one(db, f"select count(*) from {t}")[0] for t in FACT_TABLES + ("quotes", "mentions", "citations")}
    assert counts["people"] >= 20 and counts["organizations"] >= 60
    assert counts["quotes"] >= 19 and counts["quote_appearances"] > counts["quotes"]
    assert counts["policies"] >= 5 and counts["cases"] >= 5 and counts["data_flows"] >= 5
    assert counts["citations"] > 500 and counts["mentions"] > 200


@pytest.mark.parametrize("table", FACT_TABLES)
def test_every_fact_is_cited(db, table):
    uncited = db.execute(f"select id from {table} where id not in "
                         f"(select fact_id from citations where fact_table = '{table}')").fetchall()
    assert uncited == []


def test_every_quotation_in_every_document_is_accounted_for(db):
    assert one(db, "select count(*) from quotation_spans")[0] >= 35
    assert one(db, "select count(*) from quotation_spans where quote_appearance_id is null "
                   "and non_quotation_id is null")[0] == 0


def test_every_quote_has_exactly_one_speaker(db):
    rows = db.execute("select id, speaker_person_id, speaker_organization_id from quotes").fetchall()
    assert rows and all((p is None) != (o is None) for _, p, o in rows)


def test_lineage_of_the_fingerprints_story(db):
    assert one(db, "select held, kind from sources where id = 'lat-fingerprints'") == (0, "original_report")
    copies = dict(db.execute("select id, kind from sources where derived_from = 'lat-fingerprints'").fetchall())
    assert copies == {"repost-fingerprints": "repost", "rewrite-fingerprints": "machine_rewrite",
                      "latintimes-fingerprints": "summary"}


def test_misspelling_mcdonald_is_an_alias_of_mcdonnell_seen_in_the_rewrite(db):
    alias = one(db, "select a.kind, c.source_id from aliases a join citations c on c.fact_table = 'aliases' "
                    "and c.fact_id = a.id where a.name = 'McDonald'")
    assert alias == ("misspelling", "rewrite-fingerprints")
    assert one(db, "select person_id from aliases where name = 'McDonald'") == ("jim-mcdonnell",)
    assert one(db, "select count(*) from mentions where person_id = 'jim-mcdonnell' and name = 'McDonald'")[0] >= 1


def test_released_without_charges_case_has_its_events_in_date_order(db):
    assert one(db, "select charges, outcome, subject_person_id from cases where id = 'juarez-basilio'") == (
        "declined", "deported", "jose-juarez-basilio")
    events = db.execute("select seq, date, type, agency_id from case_events where case_id = 'juarez-basilio' "
                        "order by seq").fetchall()
    types = [e[2] for e in events]
    assert types[0] == "arrest" and types[-1] == "deportation"
    assert {"booking", "fingerprinting", "release", "charges_declined", "ice_detention"} <= set(types)
    agencies = {t: a for _, _, t, a in events}
    assert agencies["arrest"] == "lapd" and agencies["deportation"] == "ice"
    assert agencies["charges_declined"] == "la-county-da"
    dated = [d for _, d, _, _ in events if d]
    for earlier, later in zip(dated, dated[1:]):
        n = min(len(earlier), len(later))      # compare at the coarser precision
        assert earlier[:n] <= later[:n], (earlier, later)


def test_garbled_copy_quote_is_an_appearance_of_the_original_quote(db):
    rows = dict(db.execute("select source_id, fidelity from quote_appearances "
                           "where quote_id = 'soto-martinez-meet-the-moment'").fetchall())
    assert rows == {"latintimes-fingerprints": "verbatim", "rewrite-fingerprints": "garbled"}
    assert one(db, "select speaker_person_id from quotes where id = 'soto-martinez-meet-the-moment'") == (
        "hugo-soto-martinez",)
    # The rewrite says "he said" there; the speaker is resolved by meaning.
    assert one(db, "select attribution from quote_appearances where id = "
                   "'soto-martinez-meet-the-moment--rewrite-fingerprints'")[0].startswith("he said")


def test_coalition_members(db):
    members = db.execute("select member_organization_id, member_person_id from memberships "
                         "where organization_id = 'coalition-safe-la'").fetchall()
    assert len(members) == 38
    assert sum(1 for o, p in members if p) == 2


def test_fingerprints_flow_to_ice(db):
    rows = db.execute("select id, from_organization_id, to_organization_id from data_flows "
                      "where category = 'biometrics'").fetchall()
    assert any(f == "lapd" and t == "ice" for _, f, t in rows)


def test_special_order_40(db):
    assert one(db, "select date, date_precision, issuer_organization_id from policies where id = 'special-order-40'") == (
        "1979", "year", "lapd")
    kinds = {k for (k,) in db.execute("select kind from policy_provisions where policy_id = 'special-order-40'")}
    assert {"bars", "exception"} <= kinds


def test_mentions_reach_across_copies(db):
    sources = {s for (s,) in db.execute("select distinct source_id from mentions where person_id = 'jim-mcdonnell'")}
    assert {"repost-fingerprints", "rewrite-fingerprints", "latintimes-fingerprints", "lat-activists-data"} <= sources


# --- evidence rules (raw/records/README.md): the real records pass every one, with no exception list


def test_real_records_pass_every_evidence_rule():
    # `check` runs the evidence stage; a breach of any rule would make it fail
    result = subprocess.run([sys.executable, "-m", "entanglement.cli", "check", "--root", str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "evidence" not in result.stderr


def test_no_flow_goes_to_ice_on_words_that_do_not_name_it(db):
    # the second reading's first finding: "federal authorities" is not ICE
    assert one(db, "select to_organization_id from data_flows where id = 'felony-arrest-notifications'") == ("federal-authorities",)
    assert one(db, "select to_organization_id from data_flows where id = 'county-jail-access-under-mcdonnell'") == \
        ("federal-immigration-authorities",)


def test_flows_known_only_from_demands_are_demanded(db):
    demanded = {r[0] for r in db.execute("select id from data_flows where status = 'demanded'")}
    assert {"release-times-court-dates", "crime-victim-applicant-status", "ice-access-lapd-jails"} <= demanded
    for flow in demanded:
        assert one(db, "select count(*) from data_flow_claims where data_flow_id = ? and stance = 'demands_stop'", flow)[0]


def test_inferred_links_are_marked_on_their_rows_with_their_basis_cited(db):
    rows = db.execute("select fact_table, fact_id, link from inferred_links").fetchall()
    assert len(rows) >= 10
    for table, fact_id, link in rows:
        if table == "demands":       # a demand's parties are rows of demand_parties
            marked = one(db, "select group_concat(inferred) from demand_parties where demand_id = ?", fact_id)
        elif table == "data_flows" and link == "through":
            marked = one(db, "select group_concat(inferred) from data_flow_intermediaries where data_flow_id = ?", fact_id)
        else:
            marked = one(db, f"select inferred from {table} where id = ?", fact_id)
        assert marked and link in marked[0], (table, fact_id, link)
    uncited = db.execute("select id from inferred_links where id not in "
                         "(select fact_id from citations where fact_table = 'inferred_links')").fetchall()
    assert uncited == []
    # the rewrite's unattributed quotation and McDonnell's "he said" are inferences, not statements
    assert one(db, "select inferred from quotes where id = 'stop-lapd-spying-eyes-and-ears'") == ("speaker",)
    assert one(db, "select inferred from quotes where id = 'mcdonnell-people-stand-up'") == ("speaker",)
    assert one(db, "select inferred from quotes where id = 'lopez-keep-city-safe'") == (None,)


def test_charges_say_their_jurisdiction(db):
    assert one(db, "select charges, federal_charges from cases where id = 'juarez-basilio'") == ("declined", "unknown")
    assert "federal crime" in one(db, "select charges_note from cases where id = 'juarez-basilio'")[0]


def test_mcdonnell_does_not_deny_the_county_jail_flow(db):
    assert one(db, "select count(*) from data_flow_claims where data_flow_id = 'county-jail-access-under-mcdonnell' "
                   "and stance = 'denies'") == (0,)
