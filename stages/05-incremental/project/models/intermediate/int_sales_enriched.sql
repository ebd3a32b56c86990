-- Each sale line with what the products and stores say about it. Ephemeral: never built
-- on its own, inlined as a CTE into the models that ref it.
select
    s.sale_id,
    s.line_number,
    s.sale_date,
    s.customer_id,
    s.product_id,
    p.category,
    s.store_id,
    st.region,
    s.quantity,
    s.unit_price,
    s.amount,
    s._ingest_id
from {{ ref('stg_sales') }} as s
left join {{ ref('stg_products') }} as p using (product_id)
left join {{ ref('stg_stores') }} as st using (store_id)
