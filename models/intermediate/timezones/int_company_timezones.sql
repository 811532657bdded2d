{#-
    One row per interval in which a company had one resolved time zone:
    [valid_from, valid_to), valid_to null for the current one; no gaps, no
    overlaps. is_first marks the interval that also covers anything before
    the company's history began (an event seen before its first
    observation is read in its first zone). Facts join here to get the zone
    as of their instant.
-#}
with

changes as (
    select * from {{ ref('int_company_timezone_changes') }}
),

-- one row per change instant, carrying both halves
change_points as (
    select
        company_key,
        changed_at,
        max(case when attribute = 'timezone' then new_value end) as changed_timezone,
        max(case when attribute = 'timezone_source' then new_value end) as changed_timezone_source
    from changes
    group by company_key, changed_at
),

-- carry each half forward over points where only the other changed
filled as (
    select
        company_key,
        changed_at as valid_from,
        last_value(changed_timezone ignore nulls) over (
            partition by company_key order by changed_at
            rows between unbounded preceding and current row
        ) as timezone,
        last_value(changed_timezone_source ignore nulls) over (
            partition by company_key order by changed_at
            rows between unbounded preceding and current row
        ) as timezone_source
    from change_points
),

final as (
    select
        -- keys
        company_key,
        -- strings
        timezone,
        timezone_source,
        -- booleans
        row_number() over (partition by company_key order by valid_from) = 1 as is_first,
        lead(valid_from) over (partition by company_key order by valid_from) is null as is_current,
        -- timestamps (UTC)
        valid_from,
        lead(valid_from) over (partition by company_key order by valid_from) as valid_to
    from filled
)

select * from final
