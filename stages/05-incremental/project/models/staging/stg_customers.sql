-- Every customer as the latest ingest describes them (each ingest carries a full copy).
select
    customer_id,
    name,
    email,
    city,
    country,
    segment,
    signup_date,
    _ingest_id
from {{ source('bronze', 'customers') }}
qualify row_number() over (partition by customer_id order by _ingest_id desc) = 1
