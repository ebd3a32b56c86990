// The run storage's tables, in one SQLite file (data/runs/runs.db), like Dagster's local
// SQLite storages: `runs` (one row per run, its status kept alongside the events),
// `events` (the append-only timeline every reader follows), and tables derived from
// the events for cross-run questions (materializations, check results), plus the
// executor's bookkeeping (steps, asset locks, backfills) and the scheduler's
// (instigators and their ticks: Dagster's name for schedules and sensors together).
//
// Timestamps are ISO-8601 strings in UTC with milliseconds (`2026-12-02T10:00:00.000Z`):
// readable in `sqlite3`, sortable as text, parsed by `new Date`.

/** Bumped when the tables change; stored in `PRAGMA user_version`. */
export const schemaVersion = 2;

export const schemaSql = /* sql */ `
create table if not exists backfills (
  id            text primary key,                 -- UUID
  selection     text not null,                    -- the selection as typed (Dagster syntax)
  asset_keys    text not null,                    -- JSON array: the assets it fills
  partition_keys text not null,                   -- JSON array: every partition of the range, in order
  range_from    text not null,
  range_to      text not null,
  policy        text not null check (policy in ('single_run', 'multi_run')),
  max_partitions_per_run integer,                 -- multi_run: N partitions a run
  force         integer not null default 0,       -- 1: rerun partitions already materialized
  status        text not null check (status in ('REQUESTED', 'COMPLETED', 'FAILED', 'CANCELED')),
  created_at    text not null,
  updated_at    text not null
);

create table if not exists runs (
  id             text primary key,                -- UUID
  status         text not null check (status in ('QUEUED', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED')),
  selection      text not null,
  asset_keys     text not null,                   -- JSON array: the planned assets, in execution order
  partition_key  text,                            -- one partition …
  range_from     text,                            -- … or a range (single_run backfills)
  range_to       text,
  backfill_id    text references backfills(id),
  config         text not null default '{}',      -- JSON: the run's configuration
  pid            integer,                         -- the process executing it
  host           text,
  created_at     text not null,
  started_at     text,
  ended_at       text,
  heartbeat_at   text,
  status_message text                             -- why it ended as it did
);
create index if not exists runs_by_status on runs (status);
create index if not exists runs_by_backfill on runs (backfill_id);

create table if not exists events (
  id            integer primary key autoincrement, -- the cursor readers follow
  run_id        text not null references runs(id),
  time          text not null,
  type          text not null,                     -- RUN_START, STEP_START, ASSET_MATERIALIZATION …
  asset_key     text,
  partition_key text,
  message       text not null,
  payload       text not null default '{}'         -- JSON
);
create index if not exists events_by_run on events (run_id, id);
create index if not exists events_by_asset on events (asset_key, type, id);

create table if not exists steps (
  run_id     text not null references runs(id),
  asset_key  text not null,
  status     text not null check (status in ('PLANNED', 'RUNNING', 'SUCCESS', 'FAILURE', 'SKIPPED')),
  attempt    integer not null default 0,           -- 1 for the first try, 2 after one retry …
  started_at text,
  ended_at   text,
  message    text,
  primary key (run_id, asset_key)
);

create table if not exists materializations (
  id            integer primary key autoincrement,
  event_id      integer not null references events(id),
  run_id        text not null references runs(id),
  asset_key     text not null,
  partition_key text,
  time          text not null,
  rows          integer,
  duration_ms   integer,
  snapshot_id   text,                              -- a lake snapshot, when the asset has one
  code_version  text,                              -- the SQL fingerprint or declared version
  metadata      text not null default '{}'         -- JSON
);
create index if not exists materializations_by_asset on materializations (asset_key, partition_key, id);
create index if not exists materializations_by_run on materializations (run_id);

create table if not exists check_results (
  id            integer primary key autoincrement,
  event_id      integer not null references events(id),
  run_id        text not null references runs(id),
  asset_key     text not null,
  check_name    text not null,
  partition_key text,
  passed        integer not null,
  severity      text not null check (severity in ('WARN', 'ERROR')),
  blocking      integer not null,
  time          text not null,
  metadata      text not null default '{}'
);
create index if not exists check_results_by_asset on check_results (asset_key, check_name, id);
create index if not exists check_results_by_run on check_results (run_id);

create table if not exists logs (
  id        integer primary key autoincrement,
  run_id    text not null references runs(id),
  time      text not null,
  level     text not null check (level in ('debug', 'info', 'warn', 'error')),
  asset_key text,
  message   text not null
);
create index if not exists logs_by_run on logs (run_id, id);

create table if not exists asset_locks (
  asset_key   text primary key,                    -- one holder per asset
  run_id      text not null references runs(id),
  pid         integer not null,
  host        text not null,
  acquired_at text not null
);

-- Version 2: the scheduler's tables.
create table if not exists instigators (
  name       text primary key,                     -- a schedule's or sensor's name
  type       text not null check (type in ('schedule', 'sensor')),
  cursor     text,                                 -- schedule: the last tick time evaluated (ISO, UTC)
  updated_at text not null
);

create table if not exists ticks (
  id          integer primary key autoincrement,
  instigator  text not null references instigators(name),
  type        text not null check (type in ('schedule', 'sensor')),
  tick_time   text not null,                       -- schedule: the cron time it is for; sensor: when it saw the file
  run_key     text,                                -- sensor: the file and its content hash
  status      text not null check (status in ('STARTED', 'SUCCESS', 'FAILURE', 'SKIPPED')),
  run_id      text references runs(id),
  message     text,
  created_at  text not null,
  ended_at    text
);
-- A schedule's tick time, and a sensor's run key, launch at most once: two schedulers
-- racing for the same tick both try the insert, and only one row goes in.
create unique index if not exists ticks_once_per_time on ticks (instigator, tick_time) where type = 'schedule';
create unique index if not exists ticks_once_per_run_key on ticks (instigator, run_key) where run_key is not null;
create index if not exists ticks_by_instigator on ticks (instigator, id);
`;
