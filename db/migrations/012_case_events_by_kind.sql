-- Issue 18: the reports count what was done in a period from the timelines (assessments recorded,
-- plans approved, closures, reopenings): by kind and time, not by case.
create index case_events_kind_at_idx on case_events (kind, at);
