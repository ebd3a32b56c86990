import type { Analysis } from './analysis.ts';

export const revenueBetween: Analysis = {
  name: 'revenue-between',
  title: 'Revenue between two dates',
  description: 'Sales, units and revenue from one date to another, both included (filters on dim_date).',
  params: [
    { name: 'from', message: 'From date (YYYY-MM-DD)', default: '2024-01-01' },
    { name: 'to', message: 'To date (YYYY-MM-DD)', default: '2024-12-31' },
  ],
  async run(db, _pieces, { from, to }) {
    // The dates are bound as parameters ($1, $2): typed by the user, never spliced into SQL.
    return db.all(
      `select $1::date                              as from_date,
              $2::date                              as to_date,
              count(distinct f.sale_id)::int        as sales,
              coalesce(sum(f.quantity), 0)::int     as units,
              coalesce(sum(f.amount), 0)::double    as revenue
         from fact_sales f
         join dim_date d on d.date_key = f.date_key
        where d.full_date between $1::date and $2::date`,
      [from, to],
    );
  },
};
