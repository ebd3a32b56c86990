-- The star schema: four dimensions around one fact table.
-- Dimensions have a surrogate key (integer, ours) and a natural key (the business's id).
-- The fact's grain is one sale line: one product on one sale.

create table dim_customer (
  customer_key integer primary key,
  customer_id  varchar not null unique,
  name         varchar not null,
  email        varchar,
  city         varchar,
  country      varchar,
  segment      varchar,
  signup_date  date
);

create table dim_product (
  product_key integer primary key,
  product_id  varchar not null unique,
  name        varchar not null,
  category    varchar not null,
  brand       varchar,
  list_price  decimal(10, 2)
);

create table dim_store (
  store_key   integer primary key,
  store_id    varchar not null unique,
  name        varchar not null,
  city        varchar,
  region      varchar not null,
  channel     varchar,
  opened_date date
);

create table dim_date (
  date_key     integer primary key,  -- yyyymmdd
  full_date    date not null unique,
  year         smallint not null,
  quarter      tinyint not null,
  month        tinyint not null,
  month_name   varchar not null,
  day_of_month tinyint not null,
  day_of_week  tinyint not null,     -- ISO: 1 = Monday … 7 = Sunday
  day_name     varchar not null,
  is_weekend   boolean not null
);

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
