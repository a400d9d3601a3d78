-- Who works where, how they prove it, what they did, and the keys that seal each case's data.

-- A province is the tenant: one installation serves many, none sees another's data.
create table provinces (
  code  text primary key,
  name  text not null
);

create table units (
  id                 uuid primary key,
  province           text not null references provinces (code),
  name               text not null,
  -- District or commune names the unit covers, lower-cased (2025 reform: new addresses have no district).
  areas              text[] not null default '{}',
  is_default         boolean not null default false,
  supervisor_id      uuid,
  on_call_worker_id  uuid,
  -- Round-robin position for assigning new standard cases.
  next_assignment    bigint not null default 0,
  created_at         timestamptz not null default now(),
  unique (province, name)
);
create unique index units_one_default_per_province on units (province) where is_default;

create table staff (
  id             uuid primary key,
  province       text not null references provinces (code),
  username       text not null unique,
  display_name   text not null,
  role           text not null check (role in ('social_worker', 'supervisor', 'manager', 'admin', 'collaborator')),
  unit_id        uuid references units (id),
  password_hash  text not null,
  active         boolean not null default true,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index staff_unit_idx on staff (unit_id) where active;

alter table units add foreign key (supervisor_id) references staff (id);
alter table units add foreign key (on_call_worker_id) references staff (id);

-- Integration tokens (a hotline system, say). Only a hash of the token is kept.
create table api_tokens (
  id          uuid primary key,
  province    text not null references provinces (code),
  name        text not null,
  role        text not null check (role in ('social_worker', 'collaborator')),
  unit_id     uuid references units (id),
  token_hash  text not null unique,
  created_by  uuid not null references staff (id),
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);

-- Failed logins, counted per account and per address for rate limiting.
create table login_failures (
  id        bigserial primary key,
  username  text not null,
  address   text not null,
  at        timestamptz not null default now()
);
create index login_failures_username_idx on login_failures (username, at);
create index login_failures_address_idx on login_failures (address, at);

-- Cases now belong to a province, a unit and a worker, and remember who reported them.
alter table cases
  add column province text references provinces (code),
  add column unit_id uuid references units (id),
  add column assigned_worker_id uuid references staff (id),
  add column reported_by uuid,
  add column restricted boolean not null default false,
  add column erased_at timestamptz;
create index cases_scope_idx on cases (province, unit_id, created_at desc);
create index cases_assignee_idx on cases (assigned_worker_id);
create index cases_reporter_idx on cases (reported_by);

-- Each case's data key, wrapped by a master key. Destroying the wrapped key erases the case from
-- Temporal's history and from every backup of it.
create table case_keys (
  case_id        uuid primary key,
  master_key_id  text not null,
  wrapped_key    bytea,
  created_at     timestamptz not null default now(),
  destroyed_at   timestamptz
);

-- Append-only audit trail; each row's hash covers the previous row's hash.
create table audit_log (
  seq        bigint primary key,
  at         timestamptz not null,
  province   text,
  actor_id   uuid,
  actor      text,
  role       text,
  action     text not null,
  case_id    uuid,
  address    text,
  outcome    integer not null,
  detail     jsonb not null default '{}',
  prev_hash  text not null,
  hash       text not null
);
create index audit_log_case_idx on audit_log (case_id, seq);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_append_only before update or delete or truncate on audit_log
  for each statement execute function audit_log_is_append_only();
