{#-
    One row per company, feature and window [access_from, access_to) in which
    the company had access to the feature, resolved from three sources with
    the precedence in the feature_access doc: CS override revoke > CS
    override grant > the app's switch (toggle) > the billing plan. The
    timeline is cut at every instant where any source starts or ends; each
    piece gets the decision of its highest-precedence source; consecutive
    pieces with access become one window (so touching and overlapping grants
    of several sources merge). Windows never overlap.
-#}
with

plan_grants as (
    select
        company_key,
        feature,
        'plan' as source,
        true as is_grant,
        plan,
        valid_from,
        valid_to
    from {{ ref('int_feature_windows_from_plans') }}
),

override_windows as (
    select
        company_key,
        feature,
        'override' as source,
        access = 'grant' as is_grant,
        cast(null as varchar) as plan,
        valid_from,
        valid_to
    from {{ ref('int_feature_access_overrides') }}
    where is_usable
),

toggle_windows as (
    select
        company_key,
        feature,
        'toggle' as source,
        toggle_state = 'on' as is_grant,
        cast(null as varchar) as plan,
        valid_from,
        valid_to
    from {{ ref('int_feature_windows_from_toggles') }}
),

source_windows as (
    select * from plan_grants
    union all
    select * from override_windows
    union all
    select * from toggle_windows
),

-- every instant where some source starts or ends cuts the timeline
boundaries as (
    select
        company_key,
        feature,
        valid_from as boundary_at
    from source_windows
    union
    select
        company_key,
        feature,
        valid_to as boundary_at
    from source_windows
    where valid_to is not null
),

pieces as (
    select
        company_key,
        feature,
        boundary_at as piece_from,
        lead(boundary_at) over (
            partition by company_key, feature order by boundary_at
        ) as piece_to
    from boundaries
),

-- the sources in force during each piece (a window covering the piece's
-- start covers the whole piece: no boundary lies inside it)
covered as (
    select
        pieces.company_key,
        pieces.feature,
        pieces.piece_from,
        pieces.piece_to,
        source_windows.source,
        source_windows.is_grant,
        source_windows.plan
    from pieces
    left join source_windows
        on pieces.company_key = source_windows.company_key
        and pieces.feature = source_windows.feature
        and source_windows.valid_from <= pieces.piece_from
        and (source_windows.valid_to is null or pieces.piece_from < source_windows.valid_to)
),

piece_sources as (
    select
        company_key,
        feature,
        piece_from,
        piece_to,
        {{ dbt.bool_or("source = 'override' and not is_grant") }} as has_override_revoke,
        {{ dbt.bool_or("source = 'override' and is_grant") }} as has_override_grant,
        {{ dbt.bool_or("source = 'toggle' and not is_grant") }} as has_toggle_off,
        {{ dbt.bool_or("source = 'toggle' and is_grant") }} as has_toggle_on,
        {{ dbt.bool_or("source = 'plan'") }} as has_plan_grant
    from covered
    group by company_key, feature, piece_from, piece_to
),

-- precedence: explicit beats implicit, CS beats the customer's switch,
-- the switch beats the plan's default
decided as (
    select
        *,
        case
            when has_override_revoke then 'override_revoke'
            when has_override_grant then 'override_grant'
            when has_toggle_off then 'toggle_off'
            when has_toggle_on then 'toggle_on'
            when has_plan_grant then 'plan'
        end as decided_by
    from piece_sources
),

with_access as (
    select
        *,
        coalesce(decided_by in ('override_grant', 'toggle_on', 'plan'), false) as has_access
    from decided
),

islands as (
    select
        *,
        sum(case when has_access and not coalesce(had_access_before, false) then 1 else 0 end)
            over (
                partition by company_key, feature
                order by piece_from
                rows between unbounded preceding and current row
            ) as island_number,
        lead(decided_by) over (
            partition by company_key, feature order by piece_from
        ) as next_decided_by
    from (
        select
            *,
            lag(has_access) over (
                partition by company_key, feature order by piece_from
            ) as had_access_before
        from with_access
    ) as with_previous
),

access_pieces as (
    select
        *,
        row_number() over (
            partition by company_key, feature, island_number order by piece_from
        ) as piece_number,
        row_number() over (
            partition by company_key, feature, island_number order by piece_from desc
        ) as pieces_from_end
    from islands
    where has_access
),

windows as (
    select
        company_key,
        feature,
        island_number,
        min(piece_from) as access_from,
        -- the last piece's end (null: still on)
        max(case when pieces_from_end = 1 then piece_to end) as access_to,
        max(case when piece_number = 1 then decided_by end) as opened_by,
        max(
            case
                when pieces_from_end > 1 then null
                when piece_to is null then null
                -- a revoke or an off switch that begins here closes it;
                -- one already in force (outranked until now) does not
                when next_decided_by = 'override_revoke'
                    and not coalesce(has_override_revoke, false)
                    then next_decided_by
                when next_decided_by = 'toggle_off' and not coalesce(has_toggle_off, false)
                    then next_decided_by
                when decided_by = 'plan' then 'plan_ended'
                when decided_by = 'override_grant' then 'override_ended'
                when decided_by = 'toggle_on' then 'toggle_ended'
            end
        ) as closed_by,
        -- a source counts where it would have given access by itself: a
        -- plan under a switch turned off did not
        {{ dbt.bool_or('has_plan_grant and not coalesce(has_toggle_off, false)') }}
            as had_plan_grant,
        {{ dbt.bool_or('has_override_grant') }} as had_override_grant,
        {{ dbt.bool_or('has_toggle_on') }} as had_toggle_on
    from access_pieces
    group by company_key, feature, island_number
),

-- the plans that gave access in each piece (not under a switch turned off)
piece_plans as (
    select distinct
        access_pieces.company_key,
        access_pieces.feature,
        access_pieces.island_number,
        covered.plan
    from access_pieces
    inner join covered
        on access_pieces.company_key = covered.company_key
        and access_pieces.feature = covered.feature
        and access_pieces.piece_from = covered.piece_from
    where covered.plan is not null
        and not coalesce(access_pieces.has_toggle_off, false)
),

window_plans as (
    select
        windows.company_key,
        windows.feature,
        windows.island_number,
        {{ dbt.listagg('piece_plans.plan', "', '", 'order by piece_plans.plan') }} as plans
    from windows
    inner join piece_plans
        on windows.company_key = piece_plans.company_key
        and windows.feature = piece_plans.feature
        and windows.island_number = piece_plans.island_number
    group by windows.company_key, windows.feature, windows.island_number
),

final as (
    select
        -- keys
        windows.company_key,
        windows.feature,
        -- strings
        concat_ws(
            ', ',
            case when windows.had_override_grant then 'override' end,
            case when windows.had_plan_grant then 'plan' end,
            case when windows.had_toggle_on then 'toggle' end
        ) as sources,
        window_plans.plans,
        windows.opened_by,
        windows.closed_by,
        -- booleans
        windows.access_to is null as is_open,
        -- timestamps (UTC)
        windows.access_from,
        windows.access_to
    from windows
    left join window_plans
        on windows.company_key = window_plans.company_key
        and windows.feature = window_plans.feature
        and windows.island_number = window_plans.island_number
)

select * from final
