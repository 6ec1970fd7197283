-- Views for the common joins. Offsets are 0-based character offsets into
-- sources.text, end exclusive; SQLite's substr() is 1-based, hence the +1.

-- Each citation with the passage it points to and the text around it.
CREATE VIEW citation_passages AS
SELECT
    c.id,
    c.fact_table,
    c.fact_id,
    c.field,
    c.source_id,
    s.title AS source_title,
    s.publisher AS source_publisher,
    c.start,
    c."end",
    c.match,
    substr(s.text, max(c.start - 240, 0) + 1, c.start - max(c.start - 240, 0)) AS context_before,
    substr(s.text, c.start + 1, c."end" - c.start) AS passage,
    substr(s.text, c."end" + 1, 240) AS context_after,
    c.records_file,
    c.records_line
FROM citations c
JOIN sources s ON s.id = c.source_id;

-- Each printing of each quote, with its speaker and its source.
CREATE VIEW quote_appearances_detail AS
SELECT
    qa.id,
    qa.quote_id,
    q.speaker_name,
    q.speaker_person_id,
    q.speaker_organization_id,
    q.kind AS quote_kind,
    qa.text,
    qa.fidelity,
    qa.attribution,
    qa.source_id,
    s.title AS source_title,
    s.publisher AS source_publisher,
    s.kind AS source_kind,
    s.date AS source_date,
    s.date_precision AS source_date_precision,
    qa.start,
    qa."end"
FROM quote_appearances qa
JOIN quotes q ON q.id = qa.quote_id
JOIN sources s ON s.id = qa.source_id;

-- Every dated or ordered event: case events and the dates policies were issued.
CREATE VIEW timeline AS
SELECT
    'case_event' AS kind,
    ce.id,
    ce.date,
    ce.date_precision,
    ce.type,
    c.title AS subject,
    ce.description,
    ce.agency_id AS organization_id,
    ce.case_id,
    NULL AS policy_id
FROM case_events ce
JOIN cases c ON c.id = ce.case_id
UNION ALL
SELECT
    'policy' AS kind,
    p.id,
    p.date,
    p.date_precision,
    'policy_issued' AS type,
    p.name AS subject,
    p.description,
    p.issuer_organization_id AS organization_id,
    NULL AS case_id,
    p.id AS policy_id
FROM policies p;

-- Which document derives from which, with what each copy changed.
CREATE VIEW source_lineage AS
SELECT
    s.id,
    s.title,
    s.publisher,
    s.kind,
    s.date,
    s.date_precision,
    s.held,
    s.derived_from,
    parent.title AS derived_from_title,
    s.relation,
    (SELECT count(*) FROM discrepancies d WHERE d.source_id = s.id) AS discrepancies,
    (SELECT count(*) FROM quote_appearances qa WHERE qa.source_id = s.id AND qa.fidelity <> 'verbatim') AS altered_quotes
FROM sources s
LEFT JOIN sources parent ON parent.id = s.derived_from;
