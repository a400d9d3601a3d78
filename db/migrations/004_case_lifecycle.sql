-- The case lifecycle: every change as a timeline event, deadlines and their escalations, and the
-- notification outbox. Each row has a natural key so a retried activity writes it once.

-- What the case workflow last recorded, for reads that must not depend on a running worker:
-- the current deadline, the plan, the interventions, the next review.
alter table cases
  add column state jsonb not null default '{}',
  add column due_at timestamptz,
  add column next_review_at timestamptz;
create index cases_due_idx on cases (province, due_at) where due_at is not null;
create index cases_next_review_idx on cases (province, next_review_at) where next_review_at is not null;

create table case_events (
  case_id   uuid not null references cases (id),
  seq       integer not null,
  at        timestamptz not null,
  actor_id  uuid,
  actor     text,
  kind      text not null,
  data      jsonb not null default '{}',
  primary key (case_id, seq)
);

create table escalations (
  id            uuid primary key,
  case_id       uuid not null references cases (id),
  province      text not null,
  deadline_key  text not null,
  step          text not null,
  level         text not null check (level in ('supervisor', 'manager')),
  status        text not null check (status in ('open', 'resolved')),
  due_at        timestamptz not null,
  policy_version integer not null,
  opened_at     timestamptz not null,
  resolved_at   timestamptz,
  -- Nothing escalates twice for the same deadline and level, whatever retries and restarts do.
  unique (case_id, deadline_key, level)
);
create index escalations_open_idx on escalations (province, status, opened_at desc);

create table notifications (
  id            uuid primary key,
  -- What the notification is about, so a retried activity finds it already sent.
  key           text not null unique,
  recipient_id  uuid not null references staff (id),
  case_id       uuid references cases (id),
  kind          text not null,
  message       jsonb not null,
  created_at    timestamptz not null,
  read_at       timestamptz
);
create index notifications_recipient_idx on notifications (recipient_id, created_at desc);
