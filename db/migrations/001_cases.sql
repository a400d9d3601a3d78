-- Cases and the routing decisions that sent them down a path.
create table cases (
  id          uuid primary key,
  channel     text not null,
  intake      jsonb not null,
  stage       text not null,
  -- The current routing (the newest row of routing_decisions), kept here so lists filter cheaply.
  path        text not null check (path in ('emergency', 'standard')),
  risk_level  text not null check (risk_level in ('critical', 'high', 'medium', 'low')),
  created_at  timestamptz not null,
  updated_at  timestamptz not null default now()
);
create index cases_created_at_idx on cases (created_at desc, id desc);
create index cases_stage_idx on cases (stage, created_at desc);
create index cases_path_level_idx on cases (path, risk_level, created_at desc);

-- Every routing decision ever made for a case, with the facts it was made from, so that a new
-- ruleset can be replayed against the past. seq 1 is the decision at intake.
create table routing_decisions (
  case_id          uuid not null references cases (id),
  seq              integer not null,
  score            integer not null,
  level            text not null,
  path             text not null,
  reasons          jsonb not null,
  ruleset_version  integer not null,
  facts            jsonb not null,
  decided_at       timestamptz not null,
  primary key (case_id, seq)
);

-- An Idempotency-Key reserves its case id before the workflow starts, so a retried create finds
-- the same case for as long as the database lives, even after the case's workflow has ended.
create table intake_requests (
  idempotency_key  text primary key,
  request_hash     text not null,
  case_id          uuid not null unique,
  created_at       timestamptz not null default now()
);
