-- Versioned policy documents that managers edit: the routing ruleset, and later the deadline
-- policy. Each province has its own line of versions per kind; a draft can change until it is
-- published, a published or retired version never changes, and one version is published at a time.
create table policy_versions (
  province        text not null references provinces (code),
  kind            text not null check (kind in ('routing', 'deadlines')),
  version         integer not null check (version > 0),
  status          text not null check (status in ('draft', 'published', 'retired')),
  document        jsonb not null,
  checksum        text not null,
  derived_from    integer,
  author_id       uuid,
  author          text not null,
  comment         text not null default '',
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  published_at    timestamptz,
  retired_at      timestamptz,
  -- The newest backtest (or publish check) of this exact document: publishing needs it.
  checked_at      timestamptz,
  check_result    jsonb,
  primary key (province, kind, version)
);
create unique index policy_versions_one_published on policy_versions (province, kind) where status = 'published';

create function policy_versions_frozen() returns trigger language plpgsql as $$
begin
  if old.status <> 'draft' and (new.document <> old.document or new.checksum <> old.checksum) then
    raise exception 'policy version %/% v% is %: its document never changes', old.province, old.kind, old.version, old.status;
  end if;
  return new;
end $$;
create trigger policy_versions_frozen before update on policy_versions
  for each row execute function policy_versions_frozen();

-- Backtests read the facts of past decisions in date order.
create index routing_decisions_decided_at_idx on routing_decisions (decided_at);
