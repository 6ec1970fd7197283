-- title: Data flows
-- description_html: >-
--   <p>What data (or access) goes from whom to whom, through which intermediaries and by what
--   mechanism, whether it is ongoing, limited, alleged, denied, stopped, unknown or only demanded
--   to stop (<em>demanded</em>: the sources demand that it be prohibited, which is no evidence that
--   it happens) as of the sources, and who asserts it, denies it, questions it or demands that it
--   stop. A party marked "(inferred)" is not named in the passages cited for the claim: the
--   curators inferred it (see <a href="/entanglement/inferred_links">inferred_links</a>);
--   <em>inferred</em> names the flow's own inferred links. Each flow's page
--   lists the claims and the passages behind them. This query takes the place of the
--   <code>data_flows</code> table's page (Datasette serves a canned query before a table of the
--   same name); the table itself is in the download and in SQL:
--   <a href="/entanglement?sql=select+*+from+data_flows">select * from data_flows</a>.</p>
-- hide_sql: true

select
  f.data,
  f.category,
  fo.name as "from",
  f.through,
  tor.name as "to",
  f.mechanism,
  f.status,
  (select group_concat(by_name, '; ') from (select distinct by_name || case when c.inferred is null then ''
     else ' (inferred)' end as by_name from data_flow_claims c
     where c.data_flow_id = f.id and c.stance = 'asserts' order by by_name)) as asserted_by,
  (select group_concat(by_name, '; ') from (select distinct by_name || case when c.inferred is null then ''
     else ' (inferred)' end as by_name from data_flow_claims c
     where c.data_flow_id = f.id and c.stance = 'denies' order by by_name)) as denied_by,
  (select group_concat(by_name, '; ') from (select distinct by_name || case when c.inferred is null then ''
     else ' (inferred)' end as by_name from data_flow_claims c
     where c.data_flow_id = f.id and c.stance = 'questions' order by by_name)) as questioned_by,
  (select group_concat(by_name, '; ') from (select distinct by_name || case when c.inferred is null then ''
     else ' (inferred)' end as by_name from data_flow_claims c
     where c.data_flow_id = f.id and c.stance = 'demands_stop' order by by_name)) as stop_demanded_by,
  (select group_concat(c.stance || ' – ' || c.by_name
                       || case when c.inferred is null then '' else ' (inferred)' end || ': ' || c.text, char(10))
   from data_flow_claims c where c.data_flow_id = f.id) as claims,
  f.inferred,
  f.id as data_flow_id,
  f.from_organization_id,
  f.to_organization_id
from (
  -- the flows in order first; the claims are looked up for the rows shown only
  select f.rowid as flow_rowid
  from data_flows f
  join organizations fo on fo.id = f.from_organization_id
  join organizations tor on tor.id = f.to_organization_id
  order by case f.status when 'ongoing' then 0 when 'limited' then 1 when 'alleged' then 2
             when 'denied' then 3 when 'unknown' then 4 when 'stopped' then 5 else 6 end,
           f.category, f.id
  limit -1
) x
cross join data_flows f on f.rowid = x.flow_rowid
join organizations fo on fo.id = f.from_organization_id
join organizations tor on tor.id = f.to_organization_id
