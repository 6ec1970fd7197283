-- title: Quote variants between copies
-- description_html: >-
--   <p>Quotes that a copy prints differently: each printing that is not verbatim (reworded or
--   garbled), side by side with the most faithful printing of the same quote in another copy, if
--   any is held, and what the curators recorded as changed. Most garbled printings come from the
--   machine rewrite (<a href="/entanglement/sources/rewrite-fingerprints">rewrite-fingerprints</a>);
--   when no other copy prints the quote (the original article is not held), the right-hand
--   columns are empty.</p>
-- hide_sql: true

select
  q.speaker_name as speaker,
  sv.title as copy,
  v.fidelity,
  v.text as as_printed_in_copy,
  v.attribution as attributed_in_copy,
  sr.title as compared_with,
  r.fidelity as fidelity_there,
  r.text as as_printed_there,
  coalesce(
    (select group_concat(d.description, char(10)) from discrepancies d
     where d.subject_table = 'quotes' and d.subject_id = q.id and v.source_id in (d.source_id, d.compared_to_source_id)),
    v.note) as what_changed,
  v.id as copy_passage,
  r.id as other_passage,
  q.id as quote_id,
  v.source_id as copy_source_id,
  r.source_id as other_source_id
from (
  -- The altered printings in order (those that another copy also prints first), each part by
  -- speaker and quote in the order of idx_quotes_speaker_name: the first page is found without
  -- reading the rest, and the other columns are looked up for the rows shown only.
  select * from (
    select q.id as quote_id, v.rowid as v_rowid
    from quotes q
    cross join quote_appearances v on v.quote_id = q.id
    where v.fidelity <> 'verbatim'
      and exists (select 1 from quote_appearances r2 where r2.quote_id = v.quote_id and r2.source_id <> v.source_id)
    order by q.speaker_name, q.id, v.id
    limit -1)
  union all
  select * from (
    select q.id, v.rowid
    from quotes q
    cross join quote_appearances v on v.quote_id = q.id
    where v.fidelity <> 'verbatim'
      and not exists (select 1 from quote_appearances r2 where r2.quote_id = v.quote_id and r2.source_id <> v.source_id)
    order by q.speaker_name, q.id, v.id
    limit -1)
) x
cross join quote_appearances v on v.rowid = x.v_rowid
join quotes q on q.id = x.quote_id
join sources sv on sv.id = v.source_id
left join quote_appearances r on r.id = (
  select r2.id from quote_appearances r2
  where r2.quote_id = v.quote_id and r2.source_id <> v.source_id
  order by case r2.fidelity when 'verbatim' then 0 when 'reworded' then 1 else 2 end, r2.id
  limit 1)
left join sources sr on sr.id = r.source_id
