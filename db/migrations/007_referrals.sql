-- Issue 13: a human reference for every case, the province's partner agencies, and referrals to them.

-- A case's reference: province, year of intake (Vietnam's time), number within both: QN-2026-000123.
-- The province's part is its short prefix (the initials of its code's words, unless two provinces
-- would share them), or else its code in capitals.
alter table provinces add column ref_prefix text unique check (ref_prefix ~ '^[A-Z0-9]{1,10}$');
with initials as (
  select code, (select upper(string_agg(left(word, 1), '')) from regexp_split_to_table(code, '[^A-Za-z0-9]+') as word where word <> '') as prefix
  from provinces
)
update provinces p set ref_prefix = i.prefix
from initials i
where i.code = p.code and i.prefix ~ '^[A-Z0-9]{1,10}$' and (select count(*) from initials o where o.prefix = i.prefix) = 1;
create table case_ref_counters (
  province  text not null references provinces (code),
  year      integer not null,
  last      integer not null,
  primary key (province, year)
);
alter table cases add column ref text;
-- Existing cases are numbered in the order they arrived.
with numbered as (
  select c.id, coalesce(p.ref_prefix, upper(c.province)) as prefix, extract(year from created_at at time zone 'Asia/Ho_Chi_Minh')::int as year,
         row_number() over (partition by c.province, extract(year from created_at at time zone 'Asia/Ho_Chi_Minh') order by created_at, c.id) as n
  from cases c join provinces p on p.code = c.province
)
update cases c set ref = numbered.prefix || '-' || numbered.year || '-' || lpad(numbered.n::text, 6, '0')
from numbered where numbered.id = c.id;
insert into case_ref_counters (province, year, last)
select province, extract(year from created_at at time zone 'Asia/Ho_Chi_Minh')::int, count(*)
from cases group by 1, 2;
alter table cases alter column ref set not null;
create unique index cases_ref_idx on cases (ref);

-- Partner agencies a province refers to. The webhook secret signs what is sent to the partner and
-- is never read back through the API.
create table partners (
  id              uuid primary key,
  province        text not null references provinces (code),
  name            text not null,
  kind            text not null check (kind in ('health', 'police', 'justice', 'education', 'shelter', 'vocational', 'programme', 'commune', 'other')),
  services        text[] not null,
  communes        text[] not null default '{}',
  contact         jsonb not null default '{}',
  webhook_url     text,
  webhook_secret  text,
  active          boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index partners_province_idx on partners (province, name);

-- A referral as the case workflow last recorded it (the workflow's state is the source; each write
-- comes with a case event). The partner's link is a token whose hash only is kept here.
create table referrals (
  id              uuid primary key,
  case_id         uuid not null references cases (id),
  province        text not null,
  partner_id      uuid not null references partners (id),
  service         text not null,
  reason          text not null,
  consent         jsonb not null,
  status          text not null check (status in ('draft', 'sent', 'accepted', 'declined', 'expired', 'in_service', 'completed', 'revoked')),
  respond_by      timestamptz,
  deadline        jsonb,
  token_hash      text unique,
  detail          jsonb not null default '{}',
  created_by      uuid,
  created_at      timestamptz not null,
  updated_at      timestamptz not null
);
create index referrals_case_idx on referrals (case_id, created_at);
create index referrals_partner_idx on referrals (partner_id, status);
