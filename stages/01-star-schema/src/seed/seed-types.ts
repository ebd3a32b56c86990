// The shape of the hardcoded seed rows. Natural keys (customer_id, product_id…) are the
// ids the business uses; the warehouse adds its own surrogate keys when it builds.

export interface CustomerSeed {
  customer_id: string;
  name: string;
  email: string;
  city: string;
  country: string;
  segment: 'Consumer' | 'Small Business' | 'Corporate';
  signup_date: string;
}

export interface ProductSeed {
  product_id: string;
  name: string;
  category: string;
  brand: string;
  list_price: number;
}

export interface StoreSeed {
  store_id: string;
  name: string;
  city: string;
  region: string;
  channel: 'Retail' | 'Online';
  opened_date: string;
}

/** One line of a sale (the fact grain): which product, how many, at what price. */
export interface SaleLineSeed {
  sale_id: string;
  line_number: number;
  sale_date: string;
  customer_id: string;
  product_id: string;
  store_id: string;
  quantity: number;
  unit_price: number;
}
