-- Issue 29: a programme's schedule is kept by a Temporal Schedule (`programme-<id>`); each
-- occurrence starts a small workflow that writes one row here — a session to record — and
-- reminds the facilitators. Recording a session answers the occurrence of its day (or the latest
-- one before it); an occurrence left unanswered climbs the deadline policy's step
-- `session_record`: the facilitators, then the unit's supervisor, then the managers.
create table programme_occurrences (
  programme_id   uuid not null references programmes (id),
  scheduled_for  timestamptz not null,
  -- The Vietnam day it falls on, which a recorded session's heldOn is matched against.
  scheduled_on   date not null,
  due_at         timestamptz not null,
  policy_version integer not null,
  fired          text[] not null default '{}',
  session_id     uuid references programme_sessions (id),
  created_at     timestamptz not null default now(),
  primary key (programme_id, scheduled_for)
);
create index programme_occurrences_open_idx on programme_occurrences (programme_id, scheduled_on) where session_id is null;

-- The schedule as the programme wants it (revision, bumped by every change) and as Temporal was
-- last told (applied): a change the API could not pass on — Temporal down — is passed on by the
-- worker's sweep.
alter table programmes
  add column schedule_revision integer not null default 1,
  add column schedule_applied  integer not null default 0;
