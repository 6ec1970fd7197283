-- title: "Chart: events over time"
-- description_html: >-
--   <p>Dated events per period: case events and policies issued. The period is the month when
--   the date is known to the month or day, else the year, so "2025" counts the events of 2025
--   whose month is unknown and sorts before "2025-03". Opens as a bar chart. Undated events are
--   not counted (see the <a href="/entanglement/timeline">timeline</a> and each case's
--   <a href="/entanglement/case_timeline">timeline</a>).</p>
-- fragment: g.mark=bar&g.x_column=period&g.x_type=ordinal&g.y_column=events&g.y_type=quantitative&g.color_column=kind
-- hide_sql: true

select
  case when date_precision in ('day', 'month') then substr(date, 1, 7) else substr(date, 1, 4) end as period,
  kind,
  count(*) as events
from (
  -- the timeline view's dated rows, read from its two tables (every case event's case exists: foreign key)
  select date, date_precision, 'case event' as kind from case_events where date is not null
  union all
  select date, date_precision, 'policy issued' from policies where date is not null
)
group by 1, 2
order by 1, 2
