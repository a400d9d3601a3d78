-- Issue 33: the write limit (WRITE_RATE_LIMIT_PER_MINUTE) counted in PostgreSQL, so that several
-- API processes (API_REPLICAS) share one count per principal instead of each allowing the limit.
-- One row per principal that ever wrote: its current window's start and the writes in it.
create table write_counts (
  principal_id text primary key,
  window_start timestamptz not null,
  writes integer not null
);
