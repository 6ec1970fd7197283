-- title: Search everything
-- description_html: >-
--   <p>One full-text search across sources, quotes (and each copy's printing of them), people,
--   organizations, policies and their provisions, cases, case events and data flows, best matches
--   first, with the matching words highlighted. <em>relevance</em> is 1 for the best match of each
--   kind and smaller for weaker ones (<em>rank</em> is SQLite's bm25 score, lower is better); words are matched with English stemming
--   ("fingerprint" finds "fingerprints") and without accents ("Union" finds "Unión"); every word
--   must occur; punctuation is ignored. Try
--   <a href="/entanglement/search?q=fingerprints">fingerprints</a>,
--   <a href="/entanglement/search?q=Special+Order+40">Special Order 40</a>,
--   <a href="/entanglement/search?q=fusion+centers">fusion centers</a>.</p>
-- params: [q]
-- hide_sql: true

with m as (
  select case when trim(escape_fts(:q)) = '' then '""' else escape_fts(:q) end as q
),
-- The best 200 matches of each kind (the page shows at most 200 in all, and within a kind in this
-- order), ranked without reading their text; titles and snippets are made for the page's rows only.
hits as (
  select * from (
    select 'source' as kind, t.rid as rid, t.rank as rank, 'sources' as row_table, b.id as row_id
    from (select rowid as rid, bm25(sources_fts) as rank from sources_fts where sources_fts match (select q from m)
          order by rank, rowid limit 200) t
    join sources b on b.rowid = t.rid)
  union all
  select * from (
    select 'quote', t.rid, t.rank, 'quotes', b.id
    from (select rowid as rid, bm25(quotes_fts) as rank from quotes_fts where quotes_fts match (select q from m)
          order by rank, rowid limit 200) t
    join quotes b on b.rowid = t.rid)
  union all
  select * from (
    select 'quote as printed', t.rid, t.rank, 'quote_appearances', b.id
    from (select rowid as rid, bm25(quote_appearances_fts) as rank from quote_appearances_fts where quote_appearances_fts match (select q from m)
          order by rank, rowid limit 200) t
    join quote_appearances b on b.rowid = t.rid)
  union all
  select * from (
    select 'person', t.rid, t.rank, 'people', b.id
    from (select rowid as rid, bm25(people_fts) as rank from people_fts where people_fts match (select q from m)
          order by rank, rowid limit 200) t
    join people b on b.rowid = t.rid)
  union all
  select * from (
    select 'organization', t.rid, t.rank, 'organizations', b.id
    from (select rowid as rid, bm25(organizations_fts) as rank from organizations_fts where organizations_fts match (select q from m)
          order by rank, rowid limit 200) t
    join organizations b on b.rowid = t.rid)
  union all
  select * from (
    select 'policy', t.rid, t.rank, 'policies', b.id
    from (select rowid as rid, bm25(policies_fts) as rank from policies_fts where policies_fts match (select q from m)
          order by rank, rowid limit 200) t
    join policies b on b.rowid = t.rid)
  union all
  select * from (
    select 'policy provision', t.rid, t.rank, 'policy_provisions', b.id
    from (select rowid as rid, bm25(policy_provisions_fts) as rank from policy_provisions_fts where policy_provisions_fts match (select q from m)
          order by rank, rowid limit 200) t
    join policy_provisions b on b.rowid = t.rid)
  union all
  select * from (
    select 'case', t.rid, t.rank, 'cases', b.id
    from (select rowid as rid, bm25(cases_fts) as rank from cases_fts where cases_fts match (select q from m)
          order by rank, rowid limit 200) t
    join cases b on b.rowid = t.rid)
  union all
  select * from (
    select 'event', t.rid, t.rank, 'case_events', b.id
    from (select rowid as rid, bm25(case_events_fts) as rank from case_events_fts where case_events_fts match (select q from m)
          order by rank, rowid limit 200) t
    join case_events b on b.rowid = t.rid)
  union all
  select * from (
    select 'data flow', t.rid, t.rank, 'data_flows', b.id
    from (select rowid as rid, bm25(data_flows_fts) as rank from data_flows_fts where data_flows_fts match (select q from m)
          order by rank, rowid limit 200) t
    join data_flows b on b.rowid = t.rid)
),
page as (
  select kind, rid, round(rank / min(rank) over (partition by kind), 3) as relevance, rank, row_table, row_id
  from hits
  order by relevance desc, rank, kind, row_id
  limit 200
)
select
  kind,
  case kind
    when 'source' then (select title from sources where rowid = rid)
    when 'quote' then (select speaker_name from quotes where rowid = rid)
    when 'quote as printed' then (select q.speaker_name || ' in ' || s.title from quote_appearances qa
      join quotes q on q.id = qa.quote_id join sources s on s.id = qa.source_id where qa.rowid = rid)
    when 'person' then (select name from people where rowid = rid)
    when 'organization' then (select name from organizations where rowid = rid)
    when 'policy' then (select name from policies where rowid = rid)
    when 'policy provision' then (select p.name || ' (' || pp.kind || ')' from policy_provisions pp
      join policies p on p.id = pp.policy_id where pp.rowid = rid)
    when 'case' then (select title from cases where rowid = rid)
    when 'event' then (select c.title || ' (' || e.type || coalesce(', ' || e.date, '') || ')' from case_events e
      join cases c on c.id = e.case_id where e.rowid = rid)
    when 'data flow' then (select data from data_flows where rowid = rid)
  end as title,
  case kind
    when 'source' then (select snippet(sources_fts, -1, '<mark>', '</mark>', '…', 24) from sources_fts
      where sources_fts match (select q from m) and rowid = rid)
    when 'quote' then (select snippet(quotes_fts, -1, '<mark>', '</mark>', '…', 24) from quotes_fts
      where quotes_fts match (select q from m) and rowid = rid)
    when 'quote as printed' then (select snippet(quote_appearances_fts, -1, '<mark>', '</mark>', '…', 24)
      from quote_appearances_fts where quote_appearances_fts match (select q from m) and rowid = rid)
    when 'person' then (select snippet(people_fts, -1, '<mark>', '</mark>', '…', 24) from people_fts
      where people_fts match (select q from m) and rowid = rid)
    when 'organization' then (select snippet(organizations_fts, -1, '<mark>', '</mark>', '…', 24) from organizations_fts
      where organizations_fts match (select q from m) and rowid = rid)
    when 'policy' then (select snippet(policies_fts, -1, '<mark>', '</mark>', '…', 24) from policies_fts
      where policies_fts match (select q from m) and rowid = rid)
    when 'policy provision' then (select snippet(policy_provisions_fts, -1, '<mark>', '</mark>', '…', 24)
      from policy_provisions_fts where policy_provisions_fts match (select q from m) and rowid = rid)
    when 'case' then (select snippet(cases_fts, -1, '<mark>', '</mark>', '…', 24) from cases_fts
      where cases_fts match (select q from m) and rowid = rid)
    when 'event' then (select snippet(case_events_fts, -1, '<mark>', '</mark>', '…', 24) from case_events_fts
      where case_events_fts match (select q from m) and rowid = rid)
    when 'data flow' then (select snippet(data_flows_fts, -1, '<mark>', '</mark>', '…', 24) from data_flows_fts
      where data_flows_fts match (select q from m) and rowid = rid)
  end as snippet,
  relevance, rank, row_table, row_id
from page
order by relevance desc, rank, kind, row_id
