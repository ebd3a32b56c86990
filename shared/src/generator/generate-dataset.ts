import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type Random, seededRandom } from './random.ts';
import { brands, categories, cities, firstNames, lastNames, segments, storeNames } from './vocabulary.ts';

/** Options for {@link generateDataset}. */
export interface GenerateOptions {
  /** Sale lines to generate (the fact rows). Dimension sizes follow from it. */
  rows: number;
  /** Same seed → same bytes, on every machine. */
  seed: number;
  /** Folder to write the CSV files into (created if needed). */
  outDir: string;
  /** First sales day, 'YYYY-MM-DD'. Default 2024-01-01. */
  start?: string;
  /** Number of sales days. Default 365. */
  days?: number;
  /**
   * Also write the sales as daily arrival batches (batches/sales-YYYY-MM-DD.csv), with
   * late-arriving lines (sold days before they arrive) and corrections (a line re-sent
   * with a new quantity), for incremental loading in stage 5. Default false.
   */
  dailyBatches?: boolean;
}

/** What {@link generateDataset} wrote: file name → data rows (header excluded). */
export type GeneratedFiles = Record<string, number>;

const day = 86_400_000;

/**
 * Writes a synthetic retail dataset as CSV: customers (with a history of changes for
 * SCD2), products (with price changes), stores and sale lines, plus optional daily
 * batches. Deterministic: the seed decides everything. Written in chunks, so 1M sale
 * lines take a couple of seconds and little memory.
 *
 * @example
 * generateDataset({ rows: 1_000_000, seed: 42, outDir: 'data/generated/1m' });
 */
export function generateDataset(options: GenerateOptions): GeneratedFiles {
  const random = seededRandom(options.seed);
  const start = Date.parse(`${options.start ?? '2024-01-01'}T00:00:00Z`);
  const days = options.days ?? 365;
  mkdirSync(options.outDir, { recursive: true });

  const customers = makeCustomers(random, clamp(Math.round(options.rows / 40), 20, 200_000), start, days);
  const products = makeProducts(random, clamp(Math.round(options.rows / 400), 15, 5_000), start, days);
  const stores = makeStores(random, clamp(Math.round(options.rows / 25_000), 5, 400));

  const files: GeneratedFiles = {};
  const write = (name: string, header: string, lines: string[]) => {
    writeCsv(join(options.outDir, name), header, lines);
    files[name] = lines.length;
  };
  write(
    'customers.csv',
    'customer_id,name,email,city,country,segment,signup_date',
    customers.map((c) =>
      [c.id, c.name, c.email, c.current.city, c.current.country, c.current.segment, c.signup].join(','),
    ),
  );
  write(
    'customer_changes.csv',
    'customer_id,valid_from,city,country,segment',
    customers.flatMap((c) => c.versions.map((v) => [c.id, v.from, v.city, v.country, v.segment].join(','))),
  );
  write(
    'products.csv',
    'product_id,name,category,brand,list_price',
    products.map((p) => [p.id, p.name, p.category, p.brand, money(p.prices.at(-1)?.price ?? 0)].join(',')),
  );
  write(
    'product_prices.csv',
    'product_id,valid_from,list_price',
    products.flatMap((p) => p.prices.map((v) => [p.id, v.from, money(v.price)].join(','))),
  );
  write(
    'stores.csv',
    'store_id,name,city,region,channel,opened_date',
    stores.map((s) => [s.id, s.name, s.city, s.region, s.channel, s.opened].join(',')),
  );
  files['sales.csv'] = writeSales(random, options, { customers, products, stores, start, days });
  return files;
}

interface Customer {
  id: string;
  name: string;
  email: string;
  signup: string;
  current: { city: string; country: string; segment: string };
  versions: Array<{ from: string; city: string; country: string; segment: string }>;
}

function makeCustomers(random: Random, count: number, start: number, days: number): Customer[] {
  return Array.from({ length: count }, (_, i) => {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const place = random.pick(cities);
    const signup = isoDate(start - random.int(30, 900) * day);
    const versions = [{ from: signup, city: place.city, country: place.country, segment: random.pick(segments) }];
    // About one customer in five moves or changes segment during the year: the history
    // a slowly changing dimension (SCD2) has to keep.
    if (random.chance(0.2)) {
      const moved = random.pick(cities);
      versions.push({
        from: isoDate(start + random.int(1, days - 1) * day),
        city: moved.city,
        country: moved.country,
        segment: random.pick(segments),
      });
    }
    const current = versions.at(-1) ?? versions[0];
    return {
      id: `C${pad(i + 1, 6)}`,
      name: `${first} ${last}`,
      email: `${first}.${last}${i + 1}@example.com`.toLowerCase(),
      signup,
      current: { city: current?.city ?? '', country: current?.country ?? '', segment: current?.segment ?? '' },
      versions,
    };
  });
}

interface Product {
  id: string;
  name: string;
  category: string;
  brand: string;
  prices: Array<{ from: string; fromTime: number; price: number }>;
}

function makeProducts(random: Random, count: number, start: number, days: number): Product[] {
  return Array.from({ length: count }, (_, i) => {
    const group = random.pick(categories);
    const brand = random.pick(brands);
    const base = random.int(group.price[0] * 100, group.price[1] * 100) / 100;
    const prices = [{ from: '2020-01-01', fromTime: 0, price: base }];
    // A third of the products change price once (up or down up to 15%) during the year.
    if (random.chance(0.33)) {
      const fromTime = start + random.int(1, days - 1) * day;
      prices.push({
        from: isoDate(fromTime),
        fromTime,
        price: Math.round(base * (0.85 + random.next() * 0.3) * 100) / 100,
      });
    }
    return {
      id: `P${pad(i + 1, 5)}`,
      name: `${brand} ${random.pick(group.items)} ${i + 1}`,
      category: group.category,
      brand,
      prices,
    };
  });
}

interface Store {
  id: string;
  name: string;
  city: string;
  region: string;
  channel: string;
  opened: string;
}

function makeStores(random: Random, count: number): Store[] {
  return Array.from({ length: count }, (_, i) => {
    const online = i === 0; // one web shop, the rest physical stores
    const place = random.pick(cities);
    return {
      id: `S${pad(i + 1, 3)}`,
      name: online ? 'Web Shop' : `${random.pick(storeNames)} ${place.city}`,
      city: online ? 'Online' : place.city,
      region: online ? 'Online' : place.region,
      channel: online ? 'Online' : 'Retail',
      opened: isoDate(Date.parse('2015-01-01T00:00:00Z') + random.int(0, 3000) * day),
    };
  });
}

interface SalesContext {
  customers: Customer[];
  products: Product[];
  stores: Store[];
  start: number;
  days: number;
}

/** Streams sale lines to sales.csv (and the daily batches) in chunks; returns the line count. */
function writeSales(random: Random, options: GenerateOptions, context: SalesContext): number {
  const header = 'sale_id,line_number,sale_date,customer_id,product_id,store_id,quantity,unit_price';
  const file = openSync(join(options.outDir, 'sales.csv'), 'w');
  const batches = new Map<number, string[]>();
  let chunk: string[] = [header];
  let written = 0;
  let sale = 0;
  try {
    while (written < options.rows) {
      sale++;
      const saleTime = context.start + random.int(0, context.days - 1) * day;
      const customer = random.pick(context.customers);
      const store = random.pick(context.stores);
      const lines = Math.min(random.int(1, 4), options.rows - written);
      for (let line = 1; line <= lines; line++) {
        const product = random.pick(context.products);
        const listed = priceAt(product, saleTime);
        const price = random.chance(0.1) ? Math.round(listed * 80) / 100 : listed; // promotions
        const quantity = random.int(1, 5);
        const values = [`T${pad(sale, 8)}`, line, isoDate(saleTime), customer.id, product.id, store.id];
        const text = `${values.join(',')},${quantity},${money(price)}`;
        chunk.push(text);
        written++;
        if (options.dailyBatches) addToBatches(random, batches, saleTime, values, quantity, price, text);
      }
      if (chunk.length >= 50_000) {
        writeSync(file, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(file, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(file);
  }
  if (options.dailyBatches) writeBatches(options.outDir, header, batches);
  return written;
}

/**
 * Most lines arrive on their sale day; 5% arrive 1–3 days late; 1% are corrected a day
 * or two later by re-sending the same (sale_id, line_number) with another quantity.
 */
function addToBatches(
  random: Random,
  batches: Map<number, string[]>,
  saleTime: number,
  values: Array<string | number>,
  quantity: number,
  price: number,
  text: string,
): void {
  const arrival = saleTime + (random.chance(0.05) ? random.int(1, 3) : 0) * day;
  push(batches, arrival, text);
  if (random.chance(0.01)) {
    const corrected = quantity === 1 ? 2 : quantity - 1;
    push(batches, arrival + random.int(1, 2) * day, `${values.join(',')},${corrected},${money(price)}`);
  }
}

function push(batches: Map<number, string[]>, time: number, line: string): void {
  const list = batches.get(time) ?? [];
  list.push(line);
  batches.set(time, list);
}

function writeBatches(outDir: string, header: string, batches: Map<number, string[]>): void {
  mkdirSync(join(outDir, 'batches'), { recursive: true });
  for (const time of [...batches.keys()].sort((a, b) => a - b)) {
    writeCsv(join(outDir, 'batches', `sales-${isoDate(time)}.csv`), header, batches.get(time) ?? []);
  }
}

function priceAt(product: Product, time: number): number {
  let price = product.prices[0]?.price ?? 0;
  for (const version of product.prices) if (version.fromTime <= time) price = version.price;
  return price;
}

function writeCsv(path: string, header: string, lines: string[]): void {
  const file = openSync(path, 'w');
  try {
    writeSync(file, `${[header, ...lines].join('\n')}\n`);
  } finally {
    closeSync(file);
  }
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function money(value: number): string {
  return value.toFixed(2);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
