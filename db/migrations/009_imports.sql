-- Issue 15: cases brought in from a centre's past register. The register's number is unique in the
-- province; the hash of the row as imported tells a re-run that changes nothing from one that
-- would change the case (reported, never overwritten).
alter table cases
  add column register_no        text,
  add column imported_row_hash  text;
create unique index cases_register_no_idx on cases (province, register_no) where register_no is not null;
