import { seededRandom } from './random.ts';
import { cities, segments } from './vocabulary.ts';

/** A customer as customers.csv has it. */
export type CustomerRecord = {
  customer_id: string;
  name: string;
  email: string;
  city: string;
  country: string;
  segment: string;
  signup_date: string;
};

/** The dimensions daily sales are drawn from (clean rows, e.g. the seeds after validation). */
export interface DailyDimensions {
  /** The customers on the first day; they move and change segment as days go by. */
  customers: readonly CustomerRecord[];
  products: ReadonlyArray<{ product_id: string; list_price: number }>;
  stores: ReadonlyArray<{ store_id: string }>;
}

/** Options for {@link dailyBatch}. */
export interface DailyBatchOptions {
  /** Same seed, same batches, on every machine. */
  seed: number;
  /** The day the batch arrives, `YYYY-MM-DD`. */
  day: string;
  /** The first day batches are generated for: customers change from then on. */
  firstDay: string;
  /** About how many sale lines are sold each day. */
  linesPerDay: number;
  dimensions: DailyDimensions;
}

/** One day's arrival. */
export interface DailyBatch {
  /** sales.csv lines (no header): this day's sales, late lines of earlier days, and corrections. */
  sales: string[];
  /** customers.csv as of this day: every customer with the city and segment they have now. */
  customers: CustomerRecord[];
  /** What the batch holds, for the learner: lines sold today, late lines, corrections. */
  counts: { onTime: number; late: number; corrections: number };
}

/** The header of sales.csv. */
export const salesHeader = 'sale_id,line_number,sale_date,customer_id,product_id,store_id,quantity,unit_price';

const day = 86_400_000;
const maxLateDays = 3;
const maxCorrectionDelay = 2;

/**
 * The batch of sale lines that ARRIVES on `day`, as an operational system would send it
 * each night: most lines sold that day; about 5% sold 1–3 days earlier that arrive late;
 * about 1% corrections, re-sending a line that arrived 1–2 days before with another
 * quantity. Plus the customers as of that day: about one customer in five moves city or
 * changes segment each month (the history an SCD2 snapshot keeps).
 *
 * Every sale day is generated from its own seeded stream, so any day's batch can be made
 * on its own, in any order, and is byte for byte the same every time: generating days
 * 1–30 in one go or one at a time gives the same lake.
 *
 * Sale ids are `T<yyyymmdd><nnnn>` (12 digits), so they never collide with the seeds'
 * 8-digit ids. A line is at most 3 days late and a correction at most 2 days after its
 * line arrived: a model re-reading 5 days before its watermark sees every late row.
 *
 * @example
 * dailyBatch({ seed: 42, day: '2025-01-05', firstDay: '2025-01-01', linesPerDay: 100, dimensions })
 * // → { sales: ['T202501050001,1,2025-01-05,C000007,…', …], customers: [...], counts: { onTime: 96, late: 4, corrections: 1 } }
 */
export function dailyBatch(options: DailyBatchOptions): DailyBatch {
  const arrival = toTime(options.day, 'day');
  const sales: string[] = [];
  const counts = { onTime: 0, late: 0, corrections: 0 };
  // A line sold on day S arrives on S + delay (delay ≤ 3); a correction arrives ≤ 2 days
  // after the line did. So lines arriving today were sold at most 5 days ago.
  const first = toTime(options.firstDay, 'firstDay');
  for (let back = maxLateDays + maxCorrectionDelay; back >= 0; back--) {
    // Nothing was sold before the first day: the first batches hold no late lines.
    if (arrival - back * day < first) continue;
    for (const line of linesSoldOn(arrival - back * day, options)) {
      if (line.arrives === arrival) {
        sales.push(line.text);
        if (line.arrives === line.sold) counts.onTime++;
        else counts.late++;
      }
      if (line.correction?.arrives === arrival) {
        sales.push(line.correction.text);
        counts.corrections++;
      }
    }
  }
  return { sales, customers: customersOn(arrival, options), counts };
}

interface SaleLine {
  sold: number;
  arrives: number;
  text: string;
  correction: { arrives: number; text: string } | undefined;
}

/** Every line sold on `sold`, with when it (and its correction, if any) arrives. */
function linesSoldOn(sold: number, options: DailyBatchOptions): SaleLine[] {
  const random = seededRandom(hash(options.seed, 'sales', sold));
  const { customers, products, stores } = options.dimensions;
  if (customers.length === 0 || products.length === 0 || stores.length === 0) {
    throw new Error('dailyBatch: the dimensions need at least one customer, product and store.');
  }
  const target = Math.max(1, Math.round(options.linesPerDay * (0.8 + random.next() * 0.4)));
  const date = isoDate(sold);
  const lines: SaleLine[] = [];
  for (let sale = 1; lines.length < target; sale++) {
    const saleId = `T${date.replaceAll('-', '')}${String(sale).padStart(4, '0')}`;
    const customer = random.pick(customers).customer_id;
    const store = random.pick(stores).store_id;
    const count = Math.min(random.int(1, 4), target - lines.length);
    for (let lineNumber = 1; lineNumber <= count; lineNumber++) {
      const product = random.pick(products);
      const price = random.chance(0.1) ? Math.round(product.list_price * 80) / 100 : product.list_price;
      const quantity = random.int(1, 5);
      const values = `${saleId},${lineNumber},${date},${customer},${product.product_id},${store}`;
      const delay = random.chance(0.05) ? random.int(1, maxLateDays) : 0;
      // The day's first line is always on time: every batch holds its own day's sales,
      // so the newest sale date in the lake tells which day came last.
      const arrives = sold + (lines.length === 0 ? 0 : delay) * day;
      const corrected = random.chance(0.01)
        ? {
            arrives: arrives + random.int(1, maxCorrectionDelay) * day,
            text: `${values},${quantity === 1 ? 2 : quantity - 1},${price.toFixed(2)}`,
          }
        : undefined;
      lines.push({ sold, arrives, text: `${values},${quantity},${price.toFixed(2)}`, correction: corrected });
    }
  }
  return lines;
}

/** The customers as of `time`: each day since the first, a customer may move or change segment. */
function customersOn(time: number, options: DailyBatchOptions): CustomerRecord[] {
  const first = toTime(options.firstDay, 'firstDay');
  return options.dimensions.customers.map((customer) => {
    const now = { ...customer };
    for (let at = first; at <= time; at += day) {
      const random = seededRandom(hash(options.seed, customer.customer_id, at));
      if (!random.chance(1 / 150)) continue;
      if (random.chance(0.6)) {
        const place = random.pick(cities);
        now.city = place.city;
        now.country = place.country;
      } else {
        now.segment = random.pick(segments);
      }
    }
    return now;
  });
}

/** A 32-bit seed from the run's seed and what is being generated (FNV-1a). */
function hash(seed: number, kind: string, time: number): number {
  let h = 2166136261 ^ seed;
  for (const char of `${kind}:${time}`) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
  return h >>> 0;
}

function toTime(date: string, name: string): number {
  const time = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d\d-\d\d$/.test(date) || Number.isNaN(time))
    throw new Error(`dailyBatch: ${name} "${date}" is not a YYYY-MM-DD date.`);
  return time;
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
