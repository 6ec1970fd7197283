-- title: "Chart: data flows by status"
-- description_html: >-
--   <p>How many data flows are ongoing, limited, alleged, denied, stopped or of unknown status, by
--   category of data. Opens as a bar chart. Details in <a href="/entanglement/data_flows">data flows</a>.</p>
-- fragment: g.mark=bar&g.x_column=status&g.x_type=ordinal&g.y_column=flows&g.y_type=quantitative&g.color_column=category
-- hide_sql: true

select status, category, count(*) as flows
from data_flows
group by status, category
order by status, category
