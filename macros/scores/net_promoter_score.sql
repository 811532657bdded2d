{#- The Net Promoter Score of the rows aggregated: 100 × (promoters −
    detractors) / responses, from -100 to 100, as a double; null without
    responses. `category` is the SQL expression of nps_category. -#}
{% macro net_promoter_score(category) -%}
    cast(
        100.0 * (
            sum(case when {{ category }} = 'promoter' then 1 else 0 end)
            - sum(case when {{ category }} = 'detractor' then 1 else 0 end)
        ) / nullif(count({{ category }}), 0) as double
    )
{%- endmacro %}
