-- Issue 18: every deadline a case was given, and when it was met, written in the same transaction
-- as the event that set or met it (db/lifecycle.ts), so timeliness is counted live, never from a
-- lagging aggregate. Cases recorded before keep their current deadline.
create table case_deadlines (
  case_id     uuid not null references cases (id),
  key         text not null,
  step        text not null,
  started_at  timestamptz not null,
  due_at      timestamptz not null,
  met_at      timestamptz,
  primary key (case_id, key)
);
create index case_deadlines_started_idx on case_deadlines (started_at);

insert into case_deadlines (case_id, key, step, started_at, due_at)
select id, state->'deadline'->>'key', state->'deadline'->>'step', (state->'deadline'->>'startedAt')::timestamptz, (state->'deadline'->>'dueAt')::timestamptz
from cases
where jsonb_typeof(state->'deadline') = 'object' and state->'deadline'->>'startedAt' is not null
on conflict do nothing;
