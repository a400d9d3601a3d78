-- Issue 14: notices that leave the product. Staff get contacts, a language and their choice of
-- channels; every message to a person or a partner on a channel is one delivery row, keyed so a
-- retried write never makes a second, sent by its own workflow and dead-lettered after its last try.
alter table staff
  add column email     text,
  add column phone     text,
  add column language  text not null default 'vi' check (language in ('vi', 'en')),
  -- Channels besides in-app per kind of notice ({"deadline.manager": ["email", "sms"], "*": ["email"]});
  -- urgent kinds always keep at least one (domain/channels.ts).
  add column channels  jsonb not null default '{}';

create table deliveries (
  id              uuid primary key,
  -- What it delivers, on which channel, to whom: a retried write finds it there.
  key             text not null unique,
  province        text not null,
  case_id         uuid,
  -- The notice (notification id) or referral event (referral id and status) it carries.
  notification_id uuid references notifications (id),
  referral_id     uuid references referrals (id),
  event           text not null,
  channel         text not null check (channel in ('email', 'webhook', 'sms')),
  recipient_kind  text not null check (recipient_kind in ('staff', 'partner')),
  recipient_id    uuid not null,
  address         text not null,
  status          text not null default 'pending' check (status in ('pending', 'sent', 'dead')),
  attempts        integer not null default 0,
  last_error      text,
  -- Bumped by a manual retry: each generation is its own workflow.
  generation      integer not null default 0,
  dispatched_at   timestamptz,
  created_at      timestamptz not null default now(),
  sent_at         timestamptz,
  dead_at         timestamptz,
  updated_at      timestamptz not null default now()
);
create index deliveries_pending_idx on deliveries (created_at) where status = 'pending';
create index deliveries_status_idx on deliveries (province, status, created_at desc);
