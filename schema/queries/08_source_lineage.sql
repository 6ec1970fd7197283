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
  l.title,
  l.publisher,
  l.kind,
  l.date,
  l.date_precision,
  l.held,
  l.derived_from_title as derived_from,
  l.relation,
  l.discrepancies,
  l.altered_quotes,
  (select group_concat(d.kind || ': ' || d.description, char(10)) from discrepancies d where d.source_id = l.id) as what_changed,
  l.id as source_id,
  l.derived_from as derived_from_id
from source_lineage l
order by coalesce(l.derived_from, l.id), l.derived_from is not null, l.id
