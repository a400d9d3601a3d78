-- Activities that keep failing: one row per attempt chain (a workflow's activity), written from the
-- fifth attempt on and removed when it succeeds, so GET /stuck lists what waits on a person.
create table stuck_activities (
  workflow_id  text not null,
  activity_id  text not null,
  case_id      uuid,
  activity     text not null,
  attempts     integer not null,
  last_error   text not null,
  since        timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (workflow_id, activity_id)
);
create index stuck_activities_case_idx on stuck_activities (case_id);
