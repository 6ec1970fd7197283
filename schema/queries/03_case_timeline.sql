-- title: Case timeline
-- description_html: >-
--   <p>A case's events in order (the curators' date order; undated events keep their place in
--   the story), with the acting agency and the passages cited for each event. <em>case</em> is a
--   case id (e.g. <a href="/entanglement/case_timeline?case=juarez-basilio">juarez-basilio</a>) or
--   any part of a case's title or subject's name; leave it empty for every case. The event's page
--   shows each cited passage in its surrounding text.</p>
-- params: [case]
-- hide_sql: true

select
  c.title as "case",
  e.seq,
  e.date,
  e.date_precision,
  e.date_basis,
  e.type,
  o.name as agency,
  e.description,
  (select group_concat('“' || coalesce(ci.excerpt, (select substr(s.text, ci.start + 1, ci."end" - ci.start)
                                                     from sources s where s.id = ci.source_id))
                       || '” (' || ci.source_id || ')', char(10))
   from citations ci where ci.fact_table = 'case_events' and ci.fact_id = e.id) as cited_passages,
  e.id as event_id,
  c.id as case_id,
  e.agency_id
from cases c
cross join case_events e on e.case_id = c.id
left join organizations o on o.id = e.agency_id
where trim(:case) = ''
  -- the matching cases, found before their events are read
  or c.id in (select c2.id from cases c2 left join people p on p.id = c2.subject_person_id
              where c2.id = lower(trim(:case))
                 or instr(lower(c2.title), lower(trim(:case))) > 0
                 or instr(lower(coalesce(p.name, '')), lower(trim(:case))) > 0)
order by c.id, e.seq
