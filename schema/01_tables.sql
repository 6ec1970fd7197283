-- Entanglement: tables. Applied first, to an empty database; the build then
-- inserts the rows and applies the remaining files (indexes, full-text search,
-- views) in file-name order.
--
-- Ids are slugs from the curated records (or derived from them), never from
-- insertion order. Where a fact may belong to a person OR an organization there
-- are two nullable foreign keys, exactly one of them set.

CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_basis TEXT,
    publisher TEXT,
    author TEXT,
    url TEXT,
    date TEXT,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('day', 'month', 'year', 'unknown')),
    date_basis TEXT,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    derived_from TEXT REFERENCES sources(id),
    relation TEXT,
    voice_organization_id TEXT REFERENCES organizations(id),
    rights TEXT,
    original_file TEXT,
    document_path TEXT,
    held INTEGER NOT NULL,
    text TEXT,
    sha256 TEXT,
    length INTEGER,
    word_count INTEGER,
    notes TEXT
);

CREATE TABLE segments (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    excerpt TEXT NOT NULL,
    note TEXT
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    parent_id TEXT REFERENCES organizations(id),
    description TEXT NOT NULL,
    aliases TEXT
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    aliases TEXT
);

CREATE TABLE aliases (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    person_id TEXT REFERENCES people(id),
    organization_id TEXT REFERENCES organizations(id),
    note TEXT
);

CREATE TABLE affiliations (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL,
    date TEXT,
    date_precision TEXT NOT NULL,
    date_basis TEXT,
    current INTEGER,
    inferred TEXT
);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    member_organization_id TEXT REFERENCES organizations(id),
    member_person_id TEXT REFERENCES people(id),
    member_name TEXT NOT NULL,
    role TEXT,
    inferred TEXT
);

CREATE TABLE policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    issuer_organization_id TEXT REFERENCES organizations(id),
    issuer_person_id TEXT REFERENCES people(id),
    date TEXT,
    date_precision TEXT NOT NULL,
    date_basis TEXT,
    status TEXT NOT NULL,
    amends_policy_id TEXT REFERENCES policies(id),
    description TEXT NOT NULL,
    inferred TEXT
);

CREATE TABLE policy_provisions (
    id TEXT PRIMARY KEY,
    policy_id TEXT NOT NULL REFERENCES policies(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    by_person_id TEXT REFERENCES people(id),
    by_organization_id TEXT REFERENCES organizations(id),
    inferred TEXT
);

CREATE TABLE demands (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    policy_id TEXT REFERENCES policies(id),
    status TEXT NOT NULL
);

CREATE TABLE demand_parties (
    id TEXT PRIMARY KEY,
    demand_id TEXT NOT NULL REFERENCES demands(id),
    role TEXT NOT NULL CHECK (role IN ('by', 'addressed_to')),
    person_id TEXT REFERENCES people(id),
    organization_id TEXT REFERENCES organizations(id),
    name TEXT NOT NULL,
    inferred TEXT
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    subject_person_id TEXT REFERENCES people(id),
    subject_description TEXT,
    summary TEXT NOT NULL,
    charges TEXT NOT NULL CHECK (charges IN ('yes', 'no', 'declined', 'unknown')),
    federal_charges TEXT NOT NULL CHECK (federal_charges IN ('yes', 'no', 'unknown')),
    charges_note TEXT,
    outcome TEXT,
    inferred TEXT
);

CREATE TABLE case_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    date TEXT,
    date_precision TEXT NOT NULL,
    date_basis TEXT,
    type TEXT NOT NULL,
    agency_id TEXT REFERENCES organizations(id),
    description TEXT NOT NULL,
    inferred TEXT
);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    speaker_person_id TEXT REFERENCES people(id),
    speaker_organization_id TEXT REFERENCES organizations(id),
    speaker_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    topic_policy_id TEXT REFERENCES policies(id),
    text TEXT NOT NULL,
    appearance_count INTEGER NOT NULL,
    note TEXT,
    inferred TEXT
);

CREATE TABLE quote_appearances (
    id TEXT PRIMARY KEY,
    quote_id TEXT NOT NULL REFERENCES quotes(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    attribution TEXT,
    attribution_start INTEGER,
    attribution_end INTEGER,
    fidelity TEXT NOT NULL CHECK (fidelity IN ('verbatim', 'reworded', 'garbled')),
    note TEXT
);

CREATE TABLE non_quotations (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    occurrences INTEGER NOT NULL,
    note TEXT
);

CREATE TABLE data_flows (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    category TEXT NOT NULL,
    from_organization_id TEXT NOT NULL REFERENCES organizations(id),
    to_organization_id TEXT NOT NULL REFERENCES organizations(id),
    through TEXT,
    mechanism TEXT NOT NULL,
    status TEXT NOT NULL,
    inferred TEXT
);

CREATE TABLE data_flow_intermediaries (
    id TEXT PRIMARY KEY,
    data_flow_id TEXT NOT NULL REFERENCES data_flows(id),
    position INTEGER NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    inferred TEXT
);

CREATE TABLE data_flow_claims (
    id TEXT PRIMARY KEY,
    data_flow_id TEXT NOT NULL REFERENCES data_flows(id),
    stance TEXT NOT NULL,
    by_person_id TEXT REFERENCES people(id),
    by_organization_id TEXT REFERENCES organizations(id),
    by_name TEXT NOT NULL,
    text TEXT NOT NULL,
    inferred TEXT
);

CREATE TABLE discrepancies (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    compared_to_source_id TEXT NOT NULL REFERENCES sources(id),
    subject_table TEXT,
    subject_id TEXT,
    description TEXT NOT NULL
);

-- One row per cited passage. fact_table/fact_id name the row the passage
-- supports; field says what it supports there ('cite' for the row as a whole,
-- 'rights', 'text', 'attribution', 'excerpt').
-- A link (a speaker, a claim's party, a flow's destination...) that no cited
-- passage states, kept as the curators' inference: how it was inferred, with its
-- own citations (fact_table 'inferred_links'). The linking row's `inferred`
-- column names the same link.
CREATE TABLE inferred_links (
    id TEXT PRIMARY KEY,
    fact_table TEXT NOT NULL,
    fact_id TEXT NOT NULL,
    link TEXT NOT NULL,
    person_id TEXT REFERENCES people(id),
    organization_id TEXT REFERENCES organizations(id),
    basis TEXT NOT NULL CHECK (basis IN ('pronoun', 'other_copy', 'context', 'role', 'other')),
    note TEXT NOT NULL
);

CREATE TABLE citations (
    id TEXT PRIMARY KEY,
    fact_table TEXT NOT NULL,
    fact_id TEXT NOT NULL,
    field TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    excerpt TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    match TEXT NOT NULL CHECK (match IN ('exact', 'folded')),
    records_file TEXT NOT NULL,
    records_line INTEGER NOT NULL
);

-- Every occurrence of every known name or alias in every source, computed by the build.
CREATE TABLE mentions (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    person_id TEXT REFERENCES people(id),
    organization_id TEXT REFERENCES organizations(id),
    name TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    segment_kind TEXT
);

-- Every span between quotation marks that the build found in a source, and what accounts for it.
CREATE TABLE quotation_spans (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    text TEXT NOT NULL,
    quote_appearance_id TEXT REFERENCES quote_appearances(id),
    non_quotation_id TEXT REFERENCES non_quotations(id)
);

CREATE TABLE build_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The file's own documentation, generated by every build from metadata.yml
-- (build/entanglement/documentation.py), so that a downloaded copy says what
-- it holds, under what license, and how to cite it.
CREATE TABLE about (
    id TEXT PRIMARY KEY,
    heading TEXT NOT NULL,
    text TEXT NOT NULL
);

CREATE TABLE about_tables (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    internal INTEGER NOT NULL CHECK (internal IN (0, 1)),
    fts_table TEXT
);

CREATE TABLE about_columns (
    id TEXT PRIMARY KEY,
    table_name TEXT NOT NULL REFERENCES about_tables(name),
    column_name TEXT NOT NULL,
    description TEXT NOT NULL
);

-- Machine-proposed records in raw/review/<source>.yml, counted per review file
-- and record kind by review status (kind 'quotation_spans': spans of a
-- published source that only unreviewed proposals account for). Only accepted
-- proposals are published; `entanglement check --strict` fails while any
-- count is unreviewed. The source may itself be unpublished (under review).
CREATE TABLE review_coverage (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    review_file TEXT NOT NULL,
    kind TEXT NOT NULL,
    unreviewed INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    first_unreviewed_line INTEGER
);
