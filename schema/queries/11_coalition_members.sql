-- title: Coalition members
-- description_html: >-
--   <p>The members of each coalition (the Coalition for a Safe LA for All, as listed in its press
--   release): organizations and the people who signed in their own name, with their other roles
--   and how many quotes in the database come from the member or from people affiliated with it.</p>
-- hide_sql: true

select
  o.name as coalition,
  m.member_name as member,
  case when m.member_person_id is not null then 'person' else mo.type end as type,
  m.role,
  coalesce(
    (select group_concat(af.role || ' (' || ao.name || ')', '; ')
     from affiliations af join organizations ao on ao.id = af.organization_id
     where af.person_id = m.member_person_id and af.organization_id <> m.organization_id),
    (select group_concat(pp.name, '; ') from affiliations af join people pp on pp.id = af.person_id
     where af.organization_id = m.member_organization_id)) as affiliated,
  (select count(*) from quotes q
   where q.speaker_organization_id = m.member_organization_id
      or q.speaker_person_id = m.member_person_id
      or q.speaker_person_id in (select af.person_id from affiliations af
                                 where af.organization_id = m.member_organization_id)) as quotes,
  m.organization_id as coalition_id,
  m.member_organization_id,
  m.member_person_id
from memberships m
join organizations o on o.id = m.organization_id
left join organizations mo on mo.id = m.member_organization_id
where o.type = 'coalition'
order by o.name, m.member_name
