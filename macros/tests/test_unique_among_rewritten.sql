{#-
    Fails with every value of `column_name` that a row written by this run
    (`written_at` = the run's start) carries and that more than one row of
    the whole table carries: uniqueness checked for what the run changed,
    against everything held, without grouping the whole table. On a full
    build every row was written by the run: the plain unique test. Give the
    test `where: "true"` when its folder sets a narrower `where`.
-#}
{% test unique_among_rewritten(model, column_name, written_at) -%}
    with

    rewritten as (
        select {{ column_name }} as value
        from {{ model }}
        where {{ written_at }} = {{ run_started_at_utc() }}
    )

    select
        {{ column_name }} as value,
        count(*) as copies
    from {{ model }}
    where {{ column_name }} in (select value from rewritten)
    group by {{ column_name }}
    having count(*) > 1
{%- endtest %}
