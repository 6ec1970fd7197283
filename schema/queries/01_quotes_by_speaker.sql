-- title: Quotes by speaker
-- description_html: >-
--   <p>Every printing of every quote, one row per copy that prints it: the speaker and their role
--   (current roles; former ones when the sources give no current one; every role is on the
--   speaker's page),
--   the words exactly as that copy prints them, how faithful the printing is (verbatim, reworded,
--   garbled), how the copy attributes it, and the source. <em>speaker</em> matches any part of a
--   name or of any recorded spelling, ignoring case ("McDonald", the garbled copy's misspelling,
--   finds Jim McDonnell); <em>topic</em> matches the name of the policy the quote is about
--   (e.g. "Special Order 40"). Leave both empty for every quote. "read in context" opens the
--   passage with the text around it.</p>
--   <p><em>speaker_inferred</em> is empty when a printing's attribution names the speaker; otherwise
--   it says how the curators inferred who spoke (a "he said" resolved to the person named before,
--   an unattributed quotation placed by its context), with the passage it rests on in
--   <a href="/entanglement/inferred_links">inferred_links</a>. Type <em>no</em> in
--   <em>inferred</em> to keep only quotes whose speaker a passage states, <em>yes</em> for only the
--   inferred ones.</p>
-- params: [speaker, topic, inferred]
-- hide_sql: true

with all_speaker_names as materialized (select distinct speaker_name from quotes where trim(:speaker) <> ''),
speaker_names as materialized (
  select speaker_name from all_speaker_names where instr(lower(speaker_name), lower(trim(:speaker))) > 0),
topic_policies as materialized (
  select id from policies where instr(lower(name), lower(trim(:topic))) > 0 or id = lower(trim(:topic))),
picked(r) as materialized (
  select q.rowid from speaker_names n cross join quotes q on q.speaker_name = n.speaker_name
  where trim(:speaker) <> ''
  union
  select q.rowid from quotes q
  where trim(:speaker) <> ''
    and q.speaker_person_id in (select a.person_id from aliases a where instr(lower(a.name), lower(trim(:speaker))) > 0)
  union
  select q.rowid from quotes q
  where trim(:speaker) <> ''
    and q.speaker_organization_id in (select a.organization_id from aliases a where instr(lower(a.name), lower(trim(:speaker))) > 0)
  union
  select q.rowid from quotes q
  where trim(:speaker) = '' and trim(:topic) <> ''
    and q.topic_policy_id in (select id from topic_policies)
)
select
  q.speaker_name as speaker,
  case when q.inferred is not null then
    (select il.basis || ': ' || il.note from inferred_links il
     where il.fact_table = 'quotes' and il.fact_id = q.id and il.link = 'speaker') end as speaker_inferred,
  coalesce(
    (select group_concat(r, '; ') from (
       select af.role || case
           when instr(lower(af.role), lower(o.name)) > 0
             or exists (select 1 from aliases oa where oa.organization_id = o.id
                        and instr(lower(af.role), lower(oa.name)) > 0) then ''
           else ' (' || o.name || ')' end as r
       from affiliations af join organizations o on o.id = af.organization_id
       where af.person_id = q.speaker_person_id
         and coalesce(af.current, 1) = (select max(coalesce(a2.current, 1)) from affiliations a2
                                        where a2.person_id = q.speaker_person_id)
       order by af.current is null, af.id)),
    (select so.type from organizations so where so.id = q.speaker_organization_id)
  ) as role,
  qa.text as quote,
  qa.fidelity,
  qa.attribution as attributed_as,
  p.name as topic,
  s.title as source,
  s.publisher,
  s.date,
  s.date_precision,
  qa.id as passage,
  q.id as quote_id,
  q.speaker_person_id,
  q.speaker_organization_id,
  qa.source_id,
  q.topic_policy_id
from (
  -- Each branch reads its rows in (speaker, quote) order, so the first page needs no sort of them
  -- all; the inferred filter is inside the branches (as a filter on the outer query it made SQLite
  -- plan the joins differently: 7.8 -> 37.6 ms for one speaker at 10,000 documents).
  select q.speaker_name, q.id as quote_id, qa.rowid as qa_rowid, qa.source_id,
    case qa.fidelity when 'verbatim' then 0 when 'reworded' then 1 else 2 end as fidelity_order
  from quotes q
  join quote_appearances qa on qa.quote_id = q.id
  where trim(:speaker) = '' and trim(:topic) = '' and lower(trim(:inferred)) not in ('yes', 'no')
  union all
  select q.speaker_name, q.id, qa.rowid, qa.source_id,
    case qa.fidelity when 'verbatim' then 0 when 'reworded' then 1 else 2 end
  from quotes q
  join quote_appearances qa on qa.quote_id = q.id
  where trim(:speaker) = '' and trim(:topic) = '' and lower(trim(:inferred)) = 'no' and q.inferred is null
  union all
  select q.speaker_name, q.id, qa.rowid, qa.source_id,
    case qa.fidelity when 'verbatim' then 0 when 'reworded' then 1 else 2 end
  from quotes q indexed by idx_quotes_inferred
  join quote_appearances qa on qa.quote_id = q.id
  where trim(:speaker) = '' and trim(:topic) = '' and lower(trim(:inferred)) = 'yes' and q.inferred is not null
  union all
  select q.speaker_name, q.id, qa.rowid, qa.source_id,
    case qa.fidelity when 'verbatim' then 0 when 'reworded' then 1 else 2 end
  from quotes q
  join quote_appearances qa on qa.quote_id = q.id
  where q.rowid in (select r from picked)
    and (trim(:speaker) <> '' or trim(:topic) <> '')
    and (trim(:topic) = '' or q.topic_policy_id in (select id from topic_policies))
    and (lower(trim(:inferred)) not in ('yes', 'no')
         or (lower(trim(:inferred)) = 'no' and q.inferred is null)
         or (lower(trim(:inferred)) = 'yes' and q.inferred is not null))
  order by speaker_name, quote_id, fidelity_order, source_id
  limit -1
) x
cross join quote_appearances qa on qa.rowid = x.qa_rowid
join quotes q on q.id = x.quote_id
join sources s on s.id = x.source_id
left join policies p on p.id = q.topic_policy_id
