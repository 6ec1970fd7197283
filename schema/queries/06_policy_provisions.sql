-- title: Policy provisions and unmet demands
-- description_html: >-
--   <p>For each policy, what it bars, requires, allows and exempts, the caveats critics name (and
--   who names them), and beside them the demands that would change it and are not met
--   (<code>unmet</code> or <code>partly_met</code>), with who makes them and to whom. Demands that
--   name no particular policy come last. This query takes the place of the
--   <code>policy_provisions</code> table's page; the table itself is in the download and in SQL:
--   <a href="/entanglement?sql=select+*+from+policy_provisions">select * from policy_provisions</a>.</p>
-- hide_sql: true

select policy, entry, text, named_by, addressed_to, policy_id, row_table, row_id from (
  select
    p.name as policy,
    pp.kind as entry,
    pp.text,
    coalesce(bp.name, bo.name) as named_by,
    null as addressed_to,
    p.id as policy_id,
    'policy_provisions' as row_table,
    pp.id as row_id,
    0 as part,
    pp.position as position,
    coalesce(p.date, '9999') as policy_date
  from policy_provisions pp
  join policies p on p.id = pp.policy_id
  left join people bp on bp.id = pp.by_person_id
  left join organizations bo on bo.id = pp.by_organization_id
  union all
  select
    coalesce(p.name, '(no particular policy)'),
    'demand (' || d.status || ')',
    d.text,
    (select group_concat(name, '; ') from demand_parties dp where dp.demand_id = d.id and dp.role = 'by'),
    (select group_concat(name, '; ') from demand_parties dp where dp.demand_id = d.id and dp.role = 'addressed_to'),
    d.policy_id,
    'demands',
    d.id,
    1,
    0,
    coalesce(p.date, case when p.id is null then 'zzzz' else '9999' end)
  from demands d
  left join policies p on p.id = d.policy_id
  where d.status in ('unmet', 'partly_met')
)
order by policy_date, policy, part, position, row_id
