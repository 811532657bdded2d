-- Every zone the timezones seed offers must be one the engine can convert,
-- or a conversion fails at query time. Returns the names it does not know.
select timezones.timezone
from {{ ref('stg_seeds__timezones') }} as timezones
where timezones.timezone not in ({{ engine_timezone_names() }})
