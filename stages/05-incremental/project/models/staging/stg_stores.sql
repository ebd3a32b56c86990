select store_id, name as store_name, city, region, channel
from {{ source('silver', 'dim_store') }}
