-- Indexes, created after the rows are in (faster than maintaining them row by row).
-- Every foreign key is indexed, plus the columns canned queries filter and sort on.
-- A foreign key that is empty in most rows (one of a person-or-organization pair, an
-- optional link) has a partial index of the rows that set it: `col = ?` implies `col IS
-- NOT NULL`, so SQLite uses it for lookups and joins, and the empty rows take no space.
CREATE INDEX idx_sources_derived_from ON sources(derived_from);
-- source_lineage: each original followed by its copies, in the query's own ORDER BY (an index on expressions)
CREATE INDEX idx_sources_lineage ON sources(coalesce(derived_from, id), derived_from IS NOT NULL, id);
CREATE INDEX idx_segments_source ON segments(source_id, start);
CREATE INDEX idx_organizations_parent ON organizations(parent_id);
CREATE INDEX idx_aliases_person ON aliases(person_id) WHERE person_id IS NOT NULL;
CREATE INDEX idx_aliases_organization ON aliases(organization_id) WHERE organization_id IS NOT NULL;
CREATE INDEX idx_aliases_name ON aliases(name COLLATE NOCASE);
CREATE INDEX idx_affiliations_person ON affiliations(person_id);
CREATE INDEX idx_affiliations_organization ON affiliations(organization_id);
CREATE INDEX idx_memberships_organization ON memberships(organization_id);
CREATE INDEX idx_memberships_member_organization ON memberships(member_organization_id);
CREATE INDEX idx_memberships_member_person ON memberships(member_person_id);
CREATE INDEX idx_policies_issuer_organization ON policies(issuer_organization_id);
CREATE INDEX idx_policies_issuer_person ON policies(issuer_person_id);
CREATE INDEX idx_policies_amends ON policies(amends_policy_id);
-- timeline: policies by date
CREATE INDEX idx_policies_date ON policies(date);
CREATE INDEX idx_policy_provisions_policy ON policy_provisions(policy_id, position);
CREATE INDEX idx_policy_provisions_by_person ON policy_provisions(by_person_id) WHERE by_person_id IS NOT NULL;
CREATE INDEX idx_policy_provisions_by_organization ON policy_provisions(by_organization_id) WHERE by_organization_id IS NOT NULL;
CREATE INDEX idx_demands_policy ON demands(policy_id);
CREATE INDEX idx_demand_parties_demand ON demand_parties(demand_id);
CREATE INDEX idx_demand_parties_person ON demand_parties(person_id) WHERE person_id IS NOT NULL;
CREATE INDEX idx_demand_parties_organization ON demand_parties(organization_id) WHERE organization_id IS NOT NULL;
CREATE INDEX idx_cases_subject ON cases(subject_person_id);
-- (case_id, seq, date): case_timeline in order, and cases_without_charges' first and last dates from the index alone
CREATE INDEX idx_case_events_case ON case_events(case_id, seq, date);
CREATE INDEX idx_case_events_agency ON case_events(agency_id);
-- timeline: events by date in the query's order (date, case, seq), so its first page needs no sort of every
-- event; events_per_year counts them by date and date_precision from the index alone
CREATE INDEX idx_case_events_date ON case_events(date, case_id, seq, date_precision);
CREATE INDEX idx_quotes_speaker_person ON quotes(speaker_person_id) WHERE speaker_person_id IS NOT NULL;
CREATE INDEX idx_quotes_speaker_organization ON quotes(speaker_organization_id) WHERE speaker_organization_id IS NOT NULL;
CREATE INDEX idx_quotes_topic ON quotes(topic_policy_id) WHERE topic_policy_id IS NOT NULL;
-- quotes_by_speaker, quote_variants, quotes_per_speaker list quotes by speaker_name, id: read in this order
CREATE INDEX idx_quotes_speaker_name ON quotes(speaker_name, id);
-- (quote_id, fidelity, source_id): quote_variants, quotes_per_speaker and quotes_by_speaker read a quote's
-- printings from the index alone
CREATE INDEX idx_quote_appearances_quote ON quote_appearances(quote_id, fidelity, source_id);
CREATE INDEX idx_quote_appearances_source ON quote_appearances(source_id, start);
CREATE INDEX idx_non_quotations_source ON non_quotations(source_id);
CREATE INDEX idx_data_flows_from ON data_flows(from_organization_id);
CREATE INDEX idx_data_flows_to ON data_flows(to_organization_id);
CREATE INDEX idx_data_flow_intermediaries_flow ON data_flow_intermediaries(data_flow_id);
CREATE INDEX idx_data_flow_intermediaries_organization ON data_flow_intermediaries(organization_id);
CREATE INDEX idx_data_flow_claims_flow ON data_flow_claims(data_flow_id);
CREATE INDEX idx_data_flow_claims_person ON data_flow_claims(by_person_id) WHERE by_person_id IS NOT NULL;
CREATE INDEX idx_data_flow_claims_organization ON data_flow_claims(by_organization_id) WHERE by_organization_id IS NOT NULL;
CREATE INDEX idx_discrepancies_source ON discrepancies(source_id);
CREATE INDEX idx_discrepancies_compared_to ON discrepancies(compared_to_source_id);
-- quote_variants: the discrepancies recorded about a quote
CREATE INDEX idx_discrepancies_subject ON discrepancies(subject_id, subject_table);
CREATE INDEX idx_citations_fact ON citations(fact_table, fact_id);
-- quotes_by_speaker with inferred = yes: the quotes whose speaker is inferred, in speaker order
CREATE INDEX idx_quotes_inferred ON quotes(speaker_name, id) WHERE inferred IS NOT NULL;
-- a row's inferred links (row pages; quotes_by_speaker's speaker_inferred, for each row shown)
CREATE INDEX idx_inferred_links_fact ON inferred_links(fact_table, fact_id, link);
CREATE INDEX idx_citations_source ON citations(source_id, start);
CREATE INDEX idx_mentions_source ON mentions(source_id, start);
CREATE INDEX idx_mentions_person ON mentions(person_id) WHERE person_id IS NOT NULL;
CREATE INDEX idx_mentions_organization ON mentions(organization_id) WHERE organization_id IS NOT NULL;
CREATE INDEX idx_quotation_spans_source ON quotation_spans(source_id, start);
CREATE INDEX idx_quotation_spans_appearance ON quotation_spans(quote_appearance_id) WHERE quote_appearance_id IS NOT NULL;
CREATE INDEX idx_quotation_spans_non_quotation ON quotation_spans(non_quotation_id) WHERE non_quotation_id IS NOT NULL;
-- mentions_of: people and organizations in name order, so the first page of mentions needs no sort of all of them
CREATE INDEX idx_people_name ON people(name, id);
CREATE INDEX idx_organizations_name ON organizations(name, id);
-- Facets of the citations page (group by one column: a scan of a small index, not of the table;
-- the page takes 0.25 s at 10,000 documents without them, 0.12 s with them). Other facets of the big
-- tables' pages are on indexed columns already, or cheap enough without an index.
CREATE INDEX idx_citations_field ON citations(field);
CREATE INDEX idx_citations_match ON citations(match);
