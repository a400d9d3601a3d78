-- Issue 28: carers — foster families, kin, shelters, residential centres, health facilities — where
-- a person can be placed, and the placements made with them. A placement lives in its case's
-- workflow and is written here with the case event that changes it (as referrals are); a case has
-- at most one placement not ended at a time, which the database holds too.
create table carers (
  id              uuid primary key,
  province        text not null references provinces (code),
  kind            text not null,
  name            text not null,
  commune         text not null,
  -- The commune as compared (db/directory.ts normaliseArea), so "Xã Hoành Bồ" finds "Hoành Bồ".
  commune_key     text not null,
  capacity        integer not null check (capacity > 0),
  contact         jsonb not null default '{}',
  approved_until  date,
  trained_on      date,
  notes           text,
  active          boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index carers_province_idx on carers (province, kind, commune_key);

create table placements (
  id          uuid primary key,
  case_id     uuid not null references cases (id),
  province    text not null,
  carer_id    uuid not null references carers (id),
  kind        text not null,
  -- active until ended; overdue once a temporary separation is past its legal limit, unextended.
  status      text not null check (status in ('active', 'overdue', 'ended')),
  starts_at   timestamptz not null,
  ends_by     timestamptz,
  ended_at    timestamptz,
  outcome     text,
  -- The reason, the decision, extensions, the end's note: as the case event recorded them.
  detail      jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create unique index placements_one_current_idx on placements (case_id) where status <> 'ended';
create index placements_carer_current_idx on placements (carer_id) where status <> 'ended';
