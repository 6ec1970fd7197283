-- title: "Chart: quotes per speaker"
-- description_html: >-
--   <p>How many printings of quotes each speaker has, by fidelity (verbatim, reworded, garbled), and
--   how many distinct quotes. Opens as a bar chart (datasette-vega). Copies of one story print the
--   same quote more than once: compare <em>printings</em> with <em>quotes</em>.</p>
-- fragment: g.mark=bar&g.x_column=speaker&g.x_type=ordinal&g.y_column=printings&g.y_type=quantitative&g.color_column=fidelity
-- hide_sql: true

select x.speaker, f.fidelity,
  case f.fidelity when 'garbled' then x.garbled when 'reworded' then x.reworded else x.verbatim end as printings,
  case f.fidelity when 'garbled' then x.garbled_quotes when 'reworded' then x.reworded_quotes else x.verbatim_quotes end as quotes
from (
  -- One row per speaker, counted in the order of idx_quotes_speaker_name: the first page is read
  -- without counting every printing. Then each speaker's fidelities, in order (no outer sort).
  select q.speaker_name as speaker,
    sum(qa.fidelity = 'garbled') as garbled, count(distinct case when qa.fidelity = 'garbled' then q.id end) as garbled_quotes,
    sum(qa.fidelity = 'reworded') as reworded, count(distinct case when qa.fidelity = 'reworded' then q.id end) as reworded_quotes,
    sum(qa.fidelity = 'verbatim') as verbatim, count(distinct case when qa.fidelity = 'verbatim' then q.id end) as verbatim_quotes
  from quotes q
  join quote_appearances qa on qa.quote_id = q.id
  group by q.speaker_name
  order by q.speaker_name
  limit -1
) x
-- quote_appearances.fidelity is one of these three (CHECK constraint)
cross join (select 'garbled' as fidelity union all select 'reworded' union all select 'verbatim') f -- in order
where printings > 0
