-- Issue 30: an administrator ends every session of a person at once (POST /staff/{id}/sessions/revoke).
-- A session token issued at or before this instant is refused, by the API and by the console;
-- a login after it works. Null: never revoked. API tokens (cft_…) are not sessions: unaffected.
alter table staff add column sessions_valid_after timestamptz;
