{#-
    An integer amount in a currency's minor unit -> DECIMAL(18, 4) in major
    units, exactly: 19999 cents -> 199.9900, 5000 yen (exponent 0) -> 5000.
    `exponent` is the ISO 4217 minor-unit exponent (seed `currencies`).
-#}
{% macro minor_to_major(amount, exponent) -%}
    cast(
        cast({{ amount }} as decimal(18, 0))
        * cast(power(10, -({{ exponent }})) as decimal(10, 4))
        as decimal(18, 4)
    )
{%- endmacro %}
