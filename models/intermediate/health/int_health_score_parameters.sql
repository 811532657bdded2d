{#-
    One row: the health-score model (seed health_score_model) pivoted to one
    column per component and parameter (`<component>__<parameter>`), the
    form the health marts cross join. A parameter the seed lacks is null,
    which the model's tests report (c360 seeds check reports it first).
-#}
{%- set parameters = {
    'usage_recency': ['weight', 'full_days', 'zero_days'],
    'usage_frequency': ['weight', 'target_active_share'],
    'feature_breadth': ['weight', 'target_share'],
    'usage_trend': ['weight', 'floor_ratio', 'full_ratio'],
    'nps': ['weight'],
    'support': [
        'weight', 'ticket_penalty', 'bad_rating_penalty', 'target_hours_to_solve',
        'penalty_per_hour_late',
    ],
    'team_growth': ['weight', 'floor_ratio', 'full_ratio'],
    'billing_risk': ['weight', 'past_due_penalty', 'cancel_penalty', 'contraction_penalty'],
    'band': ['healthy_min', 'watch_min'],
} %}
with

model_rows as (
    select
        component,
        parameter,
        parameter_value
    from {{ ref('stg_seeds__health_score_model') }}
),

{%- set columns = [] %}
{%- for component, names in parameters.items() %}
    {%- for name in names %}
        {%- do columns.append((component, name)) %}
    {%- endfor %}
{%- endfor %}
-- the pivot's Jinja loop defeats the indentation rule
-- noqa: disable=LT02
final as (
    select
        -- numerics
        {%- for component, name in columns %}
        cast(max(
            case
                when component = '{{ component }}' and parameter = '{{ name }}'
                    then parameter_value
            end
        ) as double) as {{ component }}__{{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from model_rows
)
-- noqa: enable=LT02

select * from final
