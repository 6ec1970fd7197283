-- title: A passage in its context
-- description_html: >-
--   <p>One passage of a source with up to 300 characters of text on either side, the passage
--   highlighted. <em>id</em> is the id of a citation, quote printing, mention, segment or
--   quotation span; the "read in context" links of the other queries fill it in.</p>
-- params: [id]
-- hide_sql: true

with target as (
  select 'citation' as what, c.fact_table || ' ' || c.fact_id || ' (' || c.field || ')' as supports,
         c.source_id, c.start, c."end"
  from citations c where c.id = trim(:id)
  union all
  select 'quote printing', 'quote ' || qa.quote_id || ' (' || qa.fidelity || ')', qa.source_id, qa.start, qa."end"
  from quote_appearances qa where qa.id = trim(:id)
  union all
  select 'mention', 'mention of ' || coalesce(m.person_id, m.organization_id), m.source_id, m.start, m."end"
  from mentions m where m.id = trim(:id)
  union all
  select 'segment', 'segment: ' || g.kind, g.source_id, g.start, g."end"
  from segments g where g.id = trim(:id)
  union all
  select 'quotation span', 'quotation marks', qs.source_id, qs.start, qs."end"
  from quotation_spans qs where qs.id = trim(:id)
)
select
  t.what,
  t.supports,
  s.title as source,
  s.publisher,
  s.date,
  case when t.start > 300 then '…' else '' end
    || substr(s.text, max(t.start - 300, 0) + 1, t.start - max(t.start - 300, 0))
    || '<mark>' || substr(s.text, t.start + 1, t."end" - t.start) || '</mark>'
    || substr(s.text, t."end" + 1, 300)
    || case when length(s.text) > t."end" + 300 then '…' else '' end as in_context,
  substr(s.text, t.start + 1, t."end" - t.start) as exact_text,
  t.start,
  t."end",
  t.source_id
from target t
join sources s on s.id = t.source_id
