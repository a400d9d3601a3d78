-- People, not just cases: each case links to a client record, so a new report about someone
-- already known is seen as such (never merged automatically).
create table clients (
  id          uuid primary key,
  province    text not null references provinces (code),
  full_name   text not null,
  -- Lower-cased, accents and spacing folded: "Nguyễn Thị  Hoa" and "nguyen thi hoa" meet.
  name_key    text not null,
  birth_year  integer,
  phone       text,
  district    text,
  commune     text,
  created_at  timestamptz not null default now()
);
create index clients_phone_idx on clients (province, phone) where phone is not null;
create index clients_name_idx on clients (province, name_key);

alter table cases
  add column client_id uuid references clients (id),
  -- The open case of the same client when this report arrived: a possible repeat, for a worker to judge.
  add column possible_repeat_of uuid references cases (id),
  add column merged_into uuid references cases (id);
create index cases_client_idx on cases (client_id, created_at);
-- Deleting or merging cases checks these references; without indexes each check scans all cases.
create index cases_possible_repeat_idx on cases (possible_repeat_of) where possible_repeat_of is not null;
create index cases_merged_into_idx on cases (merged_into) where merged_into is not null;
create index notifications_case_idx on notifications (case_id);
