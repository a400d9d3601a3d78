-- Issue 29: group and community work — programmes (clubs, vocational training, life-skills
-- classes, parenting groups, community communication, carers' training), the people enrolled in
-- them (tied to their case when there is one), the sessions held and who came.
create table programmes (
  id            uuid primary key,
  province      text not null references provinces (code),
  unit_id       uuid not null references units (id),
  name          text not null,
  kind          text not null,
  description   text,
  facilitators  uuid[] not null default '{}',
  capacity      integer check (capacity is null or capacity > 0),
  starts_on     date not null,
  ends_on       date check (ends_on is null or ends_on >= starts_on),
  -- A rhythm the product keeps with a Temporal Schedule: { weekday, time } in Vietnam's time.
  schedule      jsonb,
  closed_at     timestamptz,
  created_by    uuid,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index programmes_province_idx on programmes (province, unit_id);

create table enrolments (
  id            uuid primary key,
  programme_id  uuid not null references programmes (id),
  client_id     uuid not null references clients (id),
  case_id       uuid references cases (id),
  enrolled_on   date not null,
  consent       jsonb not null,
  outcome       text,
  outcome_on    date,
  outcome_note  text,
  created_by    uuid,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (programme_id, client_id)
);
create index enrolments_client_idx on enrolments (client_id);
create index enrolments_case_idx on enrolments (case_id) where case_id is not null;

create table programme_sessions (
  id              uuid primary key,
  programme_id    uuid not null references programmes (id),
  held_on         date not null,
  topic           text not null,
  facilitator_id  uuid not null references staff (id),
  -- Anonymous participants of a community event: counted, never named.
  guests          jsonb not null default '{"female": 0, "male": 0, "children": 0}',
  recorded_by     uuid,
  recorded_at     timestamptz not null default now()
);
create index programme_sessions_idx on programme_sessions (programme_id, held_on);

create table attendance (
  session_id    uuid not null references programme_sessions (id),
  enrolment_id  uuid not null references enrolments (id),
  present       boolean not null,
  primary key (session_id, enrolment_id)
);
create index attendance_enrolment_idx on attendance (enrolment_id);
