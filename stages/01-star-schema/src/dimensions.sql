-- The star schema's four dimensions (the fact is in fact-sales.sql).
-- Dimensions have a surrogate key (integer, ours) and a natural key (the business's id).

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
