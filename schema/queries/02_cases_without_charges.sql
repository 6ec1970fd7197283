-- title: Cases without charges
-- description_html: >-
--   <p>Cases where no local criminal charge was filed (<code>charges</code> = no) or the local
--   prosecutor declined to file one (declined), with the subject, the outcome, every agency that
--   acted in the case, and the dates of its first and last dated events. <em>federal_charges</em>
--   says whether a federal charge is known (yes, no, unknown) and <em>charges_note</em> what the
--   texts say of both: a case listed here may still involve a federal proceeding (Juarez-Basilio's
--   illegal re-entry, "a federal crime", and a hearing in federal court). Dates are mostly inferred
--   from the articles' publication: see each case's <a href="/entanglement/case_timeline">timeline</a>.
--   Cases whose local charges the sources do not mention (unknown) are not listed.</p>
-- hide_sql: true

select
  c.title as "case",
  coalesce(p.name, c.subject_description) as subject,
  c.subject_description,
  c.charges as local_charges,
  c.federal_charges,
  c.charges_note,
  c.outcome,
  (select group_concat(name, '; ') from (
     select distinct o.name from case_events e join organizations o on o.id = e.agency_id
     where e.case_id = c.id order by o.name)) as agencies,
  x.first_date,
  (select max(e.date) from case_events e where e.case_id = c.id) as last_date,
  (select count(*) from case_events e where e.case_id = c.id) as events,
  c.summary,
  c.id as case_id,
  c.subject_person_id
from (
  -- The cases in order of their first date, then the undated ones: events are read in
  -- (date, case_id) order from idx_case_events_date and each case is taken at its first dated
  -- event, so the first page is found without dating every case; the rest is looked up for the
  -- rows shown only.
  select * from (
    select e.case_id as case_id, e.date as first_date
    from case_events e
    cross join cases c on c.id = e.case_id
    where e.date is not null
      and c.charges in ('no', 'declined')
      and not exists (select 1 from case_events e2
                      where e2.case_id = e.case_id and e2.date is not null
                        and (e2.date < e.date or (e2.date = e.date and (e2.seq < e.seq or (e2.seq = e.seq and e2.rowid < e.rowid)))))
    order by e.date, e.case_id
    limit -1)
  union all
  select * from (
    select c.id, null
    from cases c
    where c.charges in ('no', 'declined')
      and not exists (select 1 from case_events e where e.case_id = c.id and e.date is not null)
    order by c.id
    limit -1)
) x
cross join cases c on c.id = x.case_id
left join people p on p.id = c.subject_person_id
