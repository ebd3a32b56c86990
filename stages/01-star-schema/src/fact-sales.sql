-- The fact: one row per sale line (its grain), holding only keys and measures.
-- The keys are enforced here: a sale pointing at a missing customer cannot be stored.

create table fact_sales (
  sale_id      varchar not null,
  line_number  integer not null,
  date_key     integer not null references dim_date (date_key),
  customer_key integer not null references dim_customer (customer_key),
  product_key  integer not null references dim_product (product_key),
  store_key    integer not null references dim_store (store_key),
  quantity     integer not null check (quantity > 0),
  unit_price   decimal(10, 2) not null check (unit_price >= 0),  -- the price paid, not the list price
  amount       decimal(12, 2) not null,                          -- quantity × unit_price
  primary key (sale_id, line_number)
);
