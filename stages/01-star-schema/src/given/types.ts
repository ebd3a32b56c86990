// Shapes the stage 1 exercise pieces produce (type aliases, not interfaces, so they count as plain rows).

/** One day of the calendar: the rows of dim_date. */
export type DateRow = {
  /** yyyymmdd as a number, e.g. 20240315: readable and sorts like the date. */
  date_key: number;
  /** ISO date, 'YYYY-MM-DD'. */
  full_date: string;
  year: number;
  /** 1–4. */
  quarter: number;
  /** 1–12. */
  month: number;
  /** 'January' … 'December'. */
  month_name: string;
  /** 1–31. */
  day_of_month: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  day_of_week: number;
  /** 'Monday' … 'Sunday'. */
  day_name: string;
  /** Saturday or Sunday. */
  is_weekend: boolean;
};

/** Revenue of one calendar month. */
export type MonthlyRevenue = {
  /** 'YYYY-MM'. */
  month: string;
  /** Sum of fact_sales.amount. */
  revenue: number;
  /** Distinct sales (a sale has one or more lines). */
  sales: number;
  /** Sum of quantity. */
  units: number;
};

/** One customer's total spend. */
export type CustomerRevenue = {
  customer_id: string;
  name: string;
  revenue: number;
  sales: number;
};

/** One store's results, with the region the join to dim_store adds. */
export type StorePerformance = {
  store_id: string;
  store_name: string;
  region: string;
  revenue: number;
  sales: number;
  units: number;
};
