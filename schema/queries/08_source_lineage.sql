-- title: Source lineage
-- description_html: >-
--   <p>Which document derives from which (each original followed by its copies), how each copy
--   relates to its original, and what it changed: the number of discrepancies recorded against it,
--   how many of its quote printings are not verbatim, and the discrepancies themselves. The Los
--   Angeles Times original of the fingerprints story is known only through its three copies
--   (held = 0). See also <a href="/entanglement/discrepancies">every discrepancy</a>, and
--   <a href="/entanglement/compare">the machine rewrite against the repost, passage by passage</a>
--   (any two sources: <code>/entanglement/compare?copy=…&amp;against=…</code>). This query
--   takes the place of the <code>source_lineage</code> view's page; the view is in SQL:
--   <a href="/entanglement?sql=select+*+from+source_lineage">select * from source_lineage</a>.</p>
-- hide_sql: true

select
  s.title,
  s.publisher,
  s.kind,
  s.date,
  s.date_precision,
  s.held,
  parent.title as derived_from,
  s.relation,
  (select count(*) from discrepancies d where d.source_id = s.id) as discrepancies,
  (select count(*) from quote_appearances qa where qa.source_id = s.id and qa.fidelity <> 'verbatim') as altered_quotes,
  (select group_concat(d.kind || ': ' || d.description, char(10)) from discrepancies d where d.source_id = s.id) as what_changed,
  s.id as source_id,
  s.derived_from as derived_from_id
from sources s
left join sources parent on parent.id = s.derived_from
order by coalesce(s.derived_from, s.id), s.derived_from is not null, s.id
