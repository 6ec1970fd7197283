-- title: Discrepancies between copies
-- description_html: >-
--   <p>Where copies of the same story differ: names misspelled, quotes reworded, titles, roles and
--   facts changed, passages omitted or added. Each row names the copy that differs, the copy it is
--   compared with, what the difference is about, and the passages that show it (read them in
--   context on the discrepancy's page). This query takes the place of the
--   <code>discrepancies</code> table's page; the table itself is in the download and in SQL:
--   <a href="/entanglement?sql=select+*+from+discrepancies">select * from discrepancies</a>.</p>
-- hide_sql: true

select
  d.kind,
  sc.title as copy,
  cc.title as compared_with,
  case d.subject_table
    when 'people' then (select name from people where id = d.subject_id)
    when 'organizations' then (select name from organizations where id = d.subject_id)
    when 'policies' then (select name from policies where id = d.subject_id)
    when 'cases' then (select title from cases where id = d.subject_id)
    when 'data_flows' then (select data from data_flows where id = d.subject_id)
    when 'demands' then (select text from demands where id = d.subject_id)
    when 'quotes' then (select speaker_name || ': “' || text || '”' from quotes where id = d.subject_id)
  end as about,
  d.description,
  (select group_concat('“' || coalesce(ci.excerpt, (select substr(s.text, ci.start + 1, ci."end" - ci.start)
                                                     from sources s where s.id = ci.source_id))
                       || '” (' || ci.source_id || ')', char(10))
   from citations ci where ci.fact_table = 'discrepancies' and ci.fact_id = d.id) as cited_passages,
  d.id as discrepancy_id,
  d.source_id,
  d.compared_to_source_id,
  d.subject_table,
  d.subject_id
from discrepancies d
join sources sc on sc.id = d.source_id
join sources cc on cc.id = d.compared_to_source_id
order by d.kind, d.id
