-- Issue 27: contacts — calls, visits and conversations that stay advice unless they become a case —
-- with their own history, their idempotency keys, their references per province and year, and the
-- callbacks promised on them (each with a clock on the deadline policy's step `callback`).
create table contacts (
  id                uuid primary key,
  ref               text not null unique,
  province          text not null references provinces (code),
  -- The recorder's unit when it was recorded: supervisors see their unit's contacts.
  unit_id           uuid references units (id),
  recorded_by       uuid not null,
  channel           text not null,
  call_type         text not null,
  outcome           text not null,
  started_at        timestamptz not null,
  duration_minutes  integer,
  -- caller, about, topics, concerns and summary, as recorded (and corrected: see contact_events).
  body              jsonb not null,
  -- The routing the published ruleset gave its facts (C1), when it had enough to score.
  routing           jsonb,
  -- The case it became. Set before the case's workflow starts (no foreign key: the case row is
  -- written by its admission), so a retry finds the same case, never a second one.
  case_id           uuid unique,
  -- A past hotline log's own number, for re-running an import (issue 27, 8).
  log_no            text,
  imported_row_hash text,
  created_at        timestamptz not null,
  updated_at        timestamptz not null,
  unique (province, log_no)
);
create index contacts_province_created_idx on contacts (province, created_at desc, id desc);
create index contacts_recorded_by_idx on contacts (recorded_by, created_at desc);

create table contact_ref_counters (
  province  text not null,
  year      integer not null,
  last      integer not null,
  primary key (province, year)
);

-- Who did what to a contact and when: recorded, corrected, a case opened, a callback's steps.
create table contact_events (
  contact_id  uuid not null references contacts (id),
  seq         integer not null,
  at          timestamptz not null,
  actor_id    uuid,
  kind        text not null,
  data        jsonb not null,
  primary key (contact_id, seq)
);

create table contact_requests (
  idempotency_key  text primary key,
  request_hash     text not null,
  contact_id       uuid not null unique,
  created_at       timestamptz not null default now()
);

-- A promised callback: open until it is recorded. The ladder's steps taken are in `fired`, so a
-- step retried or replayed is taken once.
create table contact_callbacks (
  contact_id      uuid primary key references contacts (id),
  operator_id     uuid not null,
  due_at          timestamptz not null,
  supervisor_at   timestamptz not null,
  manager_at      timestamptz not null,
  policy_version  integer not null,
  fired           text[] not null default '{}',
  recorded_at     timestamptz,
  recorded_by     uuid,
  reached_person  boolean,
  summary         text,
  outcome         text
);
create index contact_callbacks_open_idx on contact_callbacks (operator_id, due_at) where recorded_at is null;
