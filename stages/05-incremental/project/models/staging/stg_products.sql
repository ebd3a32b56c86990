select product_id, name as product_name, category, brand, list_price
from {{ source('silver', 'dim_product') }}
