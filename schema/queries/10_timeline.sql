-- title: Timeline
-- description_html: >-
--   <p>Every dated event, oldest first: case events and the issuing of policies, with how precise
--   each date is and how it was inferred. Dates of different precision sort as text ('2025' before
--   '2025-03' before '2025-03-23'). Undated events (the Chief's Directive, some case events) are
--   left out; they are in each <a href="/entanglement/case_timeline">case's timeline</a>. This
--   query takes the place of the <code>timeline</code> view's page; the view, undated events
--   included, is in SQL: <a href="/entanglement?sql=select+*+from+timeline">select * from timeline</a>.</p>
-- hide_sql: true

select
  x.date,
  x.date_precision,
  x.date_basis,
  x.kind,
  x.type,
  x.subject,
  x.description,
  o.name as organization,
  x.row_table,
  x.row_id,
  x.case_id,
  x.policy_id,
  x.organization_id
from (
  -- The rows of the timeline view, by date, each part in the order of its date index
  -- (idx_case_events_date, idx_policies_date): the first page is found without sorting the rest.
  select e.date, e.date_precision, e.date_basis, 'case event' as kind, e.type, c.title as subject,
    e.description, 'case_events' as row_table, e.id as row_id, e.case_id, null as policy_id,
    e.agency_id as organization_id, e.case_id as case_order, e.seq as seq_order
  from case_events e
  join cases c on c.id = e.case_id
  where e.date is not null
  union all
  select p.date, p.date_precision, p.date_basis, 'policy issued', 'policy_issued', p.name,
    p.description, 'policies', p.id, null, p.id,
    p.issuer_organization_id, '', 0
  from policies p
  where p.date is not null
  order by 1, case_order, seq_order, row_id
  limit -1
) x
left join organizations o on o.id = x.organization_id
