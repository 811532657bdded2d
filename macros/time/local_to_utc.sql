{#-
    A naive wall-clock TIMESTAMP in an IANA zone -> UTC TIMESTAMP, resolving
    DST exactly as Python's zoneinfo does with fold=0:

    - overlap (the wall time happens twice): the earlier instant;
    - gap (the wall time never happens): the offset in force before the
      transition, so 02:30 on a spring-forward night in Los Angeles is
      02:30 PST = 10:30 UTC (= 03:30 PDT).

    DuckDB's own timezone() picks the later instant in an overlap, hence this.
    The offsets one day before and after bracket the (at most one) transition
    near the wall time; a candidate instant is valid when converting it back
    gives the same wall time.

    `zone` is a SQL expression (a column, or a quoted literal).
-#}
{% macro local_to_utc(expr, zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'customer360')(expr, zone)) }}
{%- endmacro %}

{% macro duckdb__local_to_utc(expr, zone) -%}
    {%- set wall = '(' ~ expr ~ ')' -%}
    {%- set before = '(' ~ wall ~ ' - (' ~ utc_to_local(wall ~ " - interval 1 day", zone)
        ~ ' - (' ~ wall ~ ' - interval 1 day)))' -%}
    {%- set after = '(' ~ wall ~ ' - (' ~ utc_to_local(wall ~ " + interval 1 day", zone)
        ~ ' - (' ~ wall ~ ' + interval 1 day)))' -%}
    case
        when {{ wall }} is null or {{ zone }} is null then null
        when {{ utc_to_local(before, zone) }} = {{ wall }}
            and {{ utc_to_local(after, zone) }} = {{ wall }}
            then least({{ before }}, {{ after }})
        when {{ utc_to_local(after, zone) }} = {{ wall }}
            and {{ utc_to_local(before, zone) }} <> {{ wall }}
            then {{ after }}
        else {{ before }}
    end
{%- endmacro %}
