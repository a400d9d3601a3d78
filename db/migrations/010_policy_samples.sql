-- Issue 17: a draft ruleset keeps the sample intakes its author simulates it on, so whoever opens
-- the draft next replays the same examples. Other kinds keep none.
alter table policy_versions
  add column samples jsonb not null default '[]'::jsonb;
