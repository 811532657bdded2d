{#- Fails with every pair of a person's membership intervals that overlap (half-open windows). -#}
select
    earlier.person_key,
    earlier.valid_from as earlier_valid_from,
    later.valid_from as later_valid_from
from {{ ref('int_person_company_memberships') }} as earlier
inner join {{ ref('int_person_company_memberships') }} as later
    on earlier.person_key = later.person_key
    and earlier.valid_from < later.valid_from
    and (earlier.valid_to is null or earlier.valid_to > later.valid_from)
