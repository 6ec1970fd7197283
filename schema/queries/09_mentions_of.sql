-- title: Mentions of a person or organization
-- description_html: >-
--   <p>Every passage of every source that names a person or organization, under any recorded
--   spelling, with the name highlighted in its surrounding text. <em>name</em> matches any part of
--   a canonical name or of any alias, ignoring case (e.g. "McDonald" finds every mention of Jim
--   McDonnell, "LAPD" the police department). Mentions are found by exact matching of known
--   names: pronouns and unrecorded spellings are not counted. Leave <em>name</em> empty for every
--   mention.</p>
-- params: [name]
-- hide_sql: true

select
  y.named,
  y.written_as,
  y.source,
  y.part_of_text,
  -- up to 160 characters either side of the name, cut from one window of the source text
  case when y.start > 160 then '…' else '' end
    || substr(y.window, 1, y.start - y.window_start)
    || '<mark>' || substr(y.window, y.start - y.window_start + 1, y."end" - y.start) || '</mark>'
    || substr(y.window, y."end" - y.window_start + 1, 160)
    || case when length(y.window) > y."end" - y.window_start + 160 then '…' else '' end as in_context,
  y.start,
  y."end",
  y.passage,
  y.person_id,
  y.organization_id,
  y.source_id
from (
  select x.*, s.title as source, max(x.start - 160, 0) as window_start,
    substr(s.text, max(x.start - 160, 0) + 1, x."end" - max(x.start - 160, 0) + 161) as window
  from (
    -- The mentions of the people and organizations that match, in order: each part follows
    -- idx_people_name / idx_organizations_name, so the first page is found without sorting every
    -- mention; the source text is read (above) for the rows shown only. A mention's written name is
    -- always its entity's name or one of its aliases (the build matches those only), so matching the
    -- entity's names and aliases finds every mention whose written name matches.
    select p.name as named, m.name as written_as, coalesce(m.segment_kind, 'article body') as part_of_text,
      m.start, m."end", m.id as passage, m.person_id, m.organization_id, m.source_id
    from people p
    join mentions m on m.person_id = p.id
    where trim(:name) = ''
       or instr(lower(p.name), lower(trim(:name))) > 0
       or p.id in (select a.person_id from aliases a where instr(lower(a.name), lower(trim(:name))) > 0)
    union all
    select o.name, m.name, coalesce(m.segment_kind, 'article body'),
      m.start, m."end", m.id, m.person_id, m.organization_id, m.source_id
    from organizations o
    join mentions m on m.organization_id = o.id
    where trim(:name) = ''
       or instr(lower(o.name), lower(trim(:name))) > 0
       or o.id in (select a.organization_id from aliases a where instr(lower(a.name), lower(trim(:name))) > 0)
    order by named, source_id, start
    limit -1
  ) x
  cross join sources s
  where s.id = x.source_id
  limit -1
) y
where y.start is not null -- (always true) keeps y a subquery, so that each window is cut once
