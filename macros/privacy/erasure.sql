{#- The ledger table `privacy.<name>` of the build file (written by c360
    erase and the refresh, never by dbt), or none when it does not exist. -#}
{% macro erasure_relation(name) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.get_relation(database=target.database, schema='privacy', identifier=name)) }}
{%- endmacro %}


{#- Whether any identifier is erased: false at parse time, without a
    ledger, or with an empty one (then the models add no erasure step). -#}
{% macro erasure_active() -%}
    {%- set relation = erasure_relation('erased_identifiers') -%}
    {%- if relation is none -%}{{ return(false) }}{%- endif -%}
    {%- set rows = run_query('select count(*) from ' ~ relation).rows -%}
    {{ return(rows[0][0] > 0) }}
{%- endmacro %}


{#- A CTE body: (identifier_type, identifier_value) for each distinct value
    of `rows`' identifier columns whose keyed hash, under the current or a
    retired key, is an erased identifier. `columns`: a dict identifier type
    ('user_id', 'anonymous_id', 'email', 'crm_contact_id') -> SQL
    expressions over `rows` (raw values: emails are lower-cased and trimmed
    here, others trimmed). Only distinct values are hashed. Nothing when no
    erasure is active. -#}
{% macro erased_values(rows, columns) -%}
    {%- if not erasure_active() -%}
    select
        cast(null as {{ dbt.type_string() }}) as identifier_type,
        cast(null as {{ dbt.type_string() }}) as identifier_value
    where false
    {%- else -%}
    select distinct
        candidates.identifier_type,
        candidates.identifier_value
    from (
        {%- for identifier_type, expressions in columns.items() %}
        {%- for expression in expressions %}
        select distinct
            '{{ identifier_type }}' as identifier_type,
            {% if identifier_type == 'email' -%}
            nullif(lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))), '')
            {%- else -%}
            nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
            {%- endif %} as identifier_value
        from {{ rows }}
        {%- if not loop.last %}
        union
        {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
        union
        {%- endif %}
        {%- endfor %}
    ) as candidates
    inner join {{ erasure_relation('erased_identifiers') }} as erased
        on erased.identifier_type = candidates.identifier_type
        and {{ keyed_hash_matches('candidates.identifier_value', 'erased.identifier_hash') }}
    where candidates.identifier_value is not null
    {%- endif -%}
{%- endmacro %}


{#- True for a row whose identifier columns hold an erased value (see
    erased_values; `erased` names the CTE built with it): always false
    when no erasure is active, as that CTE is then empty. -#}
{% macro is_erased(erased, columns) -%}
    (
        {%- for identifier_type, expressions in columns.items() %}
        {%- set outer = loop -%}
        {%- for expression in expressions %}
        coalesce({% if identifier_type == 'email' -%}
        nullif(lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))), '')
        {%- else -%}
        nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
        {%- endif %} in (
            select identifier_value from {{ erased }} where identifier_type = '{{ identifier_type }}'
        ), false)
        {%- if not (loop.last and outer.last) %} or{% endif %}
        {%- endfor %}
        {%- endfor %}
    )
{%- endmacro %}


{#- The landed tables whose rows belong to a person, with the columns
    holding the person's identifiers by identifier type: what an erasure
    withholds (billing customers keep their row and lose only the email,
    see base_billing__customers). (system, table, columns) triples. -#}
{% macro erasure_person_tables() -%}
    {{ return([
        ('events', 'messages', {
            'user_id': ['"userId"', '"previousId"'],
            'anonymous_id': ['"anonymousId"', '"previousId"'],
        }),
        ('crm', 'contacts', {
            'crm_contact_id': ['"Id"'], 'user_id': ['"App_User_Id__c"'], 'email': ['"Email"'],
        }),
        ('support', 'tickets', {'email': ['requester_email']}),
        ('support', 'nps_responses', {'user_id': ['user_id'], 'email': ['email']}),
    ]) }}
{%- endmacro %}


{#- The identifier columns of one landed person table (erasure_person_tables). -#}
{% macro erasure_columns(system, table) -%}
    {%- for s, t, columns in erasure_person_tables() -%}
        {%- if s == system and t == table -%}{{ return(columns) }}{%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(system ~ '/' ~ table ~ ' is not in erasure_person_tables') }}
{%- endmacro %}
