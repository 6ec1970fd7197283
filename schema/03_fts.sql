-- Full-text search: FTS5 with the porter stemmer, diacritics folded ("Union"
-- finds "Unión"). External-content tables keyed by the base table's rowid. The
-- build writes each base table in a fresh file, in id order, and never VACUUMs,
-- so rowids are stable for the same inputs; the indexes are rebuilt here, last,
-- from the rows as written.
-- content="table" (double quotes, not single) because that is the form
-- Datasette's and sqlite-utils' detect_fts() look for: so plain `datasette
-- entanglement.db` shows a search box and `sqlite-utils search` works on the
-- downloaded file, without this project's metadata.yml.
CREATE VIRTUAL TABLE sources_fts USING fts5(title, publisher, author, text, content="sources", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker_name, content="quotes", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE quote_appearances_fts USING fts5(text, attribution, content="quote_appearances", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE people_fts USING fts5(name, aliases, description, content="people", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE organizations_fts USING fts5(name, aliases, description, content="organizations", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE policies_fts USING fts5(name, description, content="policies", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE policy_provisions_fts USING fts5(text, content="policy_provisions", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE cases_fts USING fts5(title, subject_description, summary, outcome, content="cases", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE case_events_fts USING fts5(description, content="case_events", tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE data_flows_fts USING fts5(data, mechanism, content="data_flows", tokenize='porter unicode61 remove_diacritics 2');

INSERT INTO sources_fts(sources_fts) VALUES ('rebuild');
INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');
INSERT INTO quote_appearances_fts(quote_appearances_fts) VALUES ('rebuild');
INSERT INTO people_fts(people_fts) VALUES ('rebuild');
INSERT INTO organizations_fts(organizations_fts) VALUES ('rebuild');
INSERT INTO policies_fts(policies_fts) VALUES ('rebuild');
INSERT INTO policy_provisions_fts(policy_provisions_fts) VALUES ('rebuild');
INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');
INSERT INTO case_events_fts(case_events_fts) VALUES ('rebuild');
INSERT INTO data_flows_fts(data_flows_fts) VALUES ('rebuild');
