import { setTimeout as sleep } from 'node:timers/promises';
import type { RunEvent } from '../given/lineage-types.ts';

/** Options for {@link HttpLineageSink}. */
export interface HttpLineageSinkOptions {
  /** The server, e.g. `http://localhost:5000` (Marquez's API port); events go to `<url>/api/v1/lineage`. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` (MART_OPENLINEAGE_API_KEY). */
  apiKey?: string;
  /** One request's limit. Default 5000 ms (the OpenLineage clients' default). */
  timeoutMs?: number;
  /** Tries after the first for a retryable failure (no answer, 429, 5xx). Default 4. */
  retries?: number;
  /** The first retry's delay; each next one doubles, with jitter. Default 200 ms. */
  backoffMs?: number;
  /** The longest delay between two tries. Default 5000 ms. */
  maxBackoffMs?: number;
}

/** An event the sink gave up on, and why. */
export interface UnsentEvent {
  event: RunEvent;
  reason: string;
}

/** What {@link HttpLineageSink.flush} reports. */
export interface HttpFlushResult {
  endpoint: string;
  sent: number;
  /** Rejected, or the server stayed unreachable, or the flush's time limit came first. */
  unsent: UnsentEvent[];
}

const retryableStatus = new Set([408, 429, 500, 502, 503, 504]);

/**
 * POSTs events to a Marquez-compatible endpoint (`POST /api/v1/lineage`, JSON, 201 on
 * success) without slowing the run: `enqueue` returns at once, one background loop
 * sends the queue in order (a START before its COMPLETE), retrying what failed for a
 * passing reason with exponential backoff and jitter. `flush` waits for the queue with
 * a time limit. Nothing here throws at the run: an endpoint that is down costs one
 * event's retries, then the rest are given up at once and reported by flush.
 *
 * @example
 * const http = new HttpLineageSink({ url: env.MART_OPENLINEAGE_URL, apiKey: env.MART_OPENLINEAGE_API_KEY });
 * http.enqueue(event);
 * const { sent, unsent } = await http.flush(10_000);
 */
export class HttpLineageSink {
  readonly endpoint: string;
  readonly #options: Required<Omit<HttpLineageSinkOptions, 'apiKey'>> & { apiKey: string | undefined };
  readonly #queue: RunEvent[] = [];
  readonly #unsent: UnsentEvent[] = [];
  readonly #abort = new AbortController();
  #sent = 0;
  #worker: Promise<void> | undefined;
  /** Set once the server could not be reached after every retry: the rest is not tried. */
  #down: string | undefined;
  #closed = false;

  constructor(options: HttpLineageSinkOptions) {
    this.endpoint = `${options.url.replace(/\/+$/, '')}/api/v1/lineage`;
    this.#options = {
      url: options.url,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 5000,
      retries: options.retries ?? 4,
      backoffMs: options.backoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 5000,
    };
  }

  /** Queues an event for sending; never blocks, never throws. */
  enqueue(event: RunEvent): void {
    if (this.#closed) {
      this.#unsent.push({ event, reason: 'the sink was already flushed' });
      return;
    }
    this.#queue.push(event);
    this.#worker ??= this.#work().finally(() => {
      this.#worker = undefined;
    });
  }

  /**
   * Waits until every queued event was sent or given up, at most `timeoutMs`; what is
   * still queued then is given up (an in-flight request is aborted).
   */
  async flush(timeoutMs = 10_000): Promise<HttpFlushResult> {
    this.#closed = true;
    const worker = this.#worker;
    if (worker) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([worker.then(() => 'done' as const), limit]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        this.#abort.abort();
        const reason = `not sent within the ${Number((timeoutMs / 1000).toFixed(1))} s limit at the end of the run`;
        for (const event of this.#queue.splice(0)) this.#unsent.push({ event, reason });
        await worker.catch(() => {});
      }
    }
    return { endpoint: this.endpoint, sent: this.#sent, unsent: [...this.#unsent] };
  }

  async #work(): Promise<void> {
    for (let event = this.#queue[0]; event !== undefined; event = this.#queue[0]) {
      if (this.#abort.signal.aborted) return;
      const reason = this.#down ?? (await this.#send(event));
      // flush's time limit may have taken the queue meanwhile.
      if (this.#queue[0] !== event) return;
      this.#queue.shift();
      if (reason === undefined) this.#sent += 1;
      else this.#unsent.push({ event, reason });
    }
  }

  /** Sends one event with retries; undefined when the server took it, else why not. */
  async #send(event: RunEvent): Promise<string | undefined> {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.#options.apiKey) headers.Authorization = `Bearer ${this.#options.apiKey}`;
    let last = '';
    for (let attempt = 0; attempt <= this.#options.retries; attempt += 1) {
      if (attempt > 0) {
        const base = Math.min(this.#options.maxBackoffMs, this.#options.backoffMs * 2 ** (attempt - 1));
        try {
          await sleep(base / 2 + Math.random() * (base / 2), undefined, { signal: this.#abort.signal });
        } catch {
          return last || 'aborted';
        }
      }
      let retryable: boolean;
      try {
        const response = await fetch(this.endpoint, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
        });
        const text = await response.text().catch(() => '');
        if (response.status >= 200 && response.status < 300) return undefined;
        last = `HTTP ${response.status}${text ? `: ${text.slice(0, 200).trim()}` : ''}`;
        retryable = retryableStatus.has(response.status);
      } catch (error) {
        if (this.#abort.signal.aborted) return last || 'aborted';
        last = describeFetchError(error);
        retryable = true;
        if (attempt === this.#options.retries) {
          // Unreachable after every retry: do not spend the same time on every later event.
          this.#down = `${last} (gave up after ${attempt + 1} tries)`;
          return this.#down;
        }
      }
      if (!retryable) return last;
    }
    return `${last} (gave up after ${this.#options.retries + 1} tries)`;
  }
}

/** `fetch failed` says nothing; its cause says `connect ECONNREFUSED 127.0.0.1:5000`. */
function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'no answer in time';
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message;
  }
  return String(error);
}
