-- The audit log (public.audit_log) and the retention columns of public.boards.
-- Owners read their boards' audit entries; nobody inserts, changes or removes entries through the
-- API, and a trigger refuses UPDATE, DELETE and TRUNCATE even to the table owner (the app server).
-- Owners set a board's end date and retention period; whether it was warned or purged is the server's.
begin;
select plan(31);

-- Seed: see _seed.psql (Olga owns, Erik edits, Vera views "wijk"; Otto owns "elders").
\ir _seed.psql
insert into public.audit_log (board_id, actor_id, action, subject, at) values
	('wijk', '22222222-2222-4222-8222-222222222222', 'gesprek.open', 'g1', '2026-11-01 10:00+00'),
	('wijk', '22222222-2222-4222-8222-222222222222', 'gesprek.change', 'g1', '2026-11-01 10:01+00'),
	('elders', '44444444-4444-4444-8444-444444444444', 'gesprek.open', 'e1', '2026-11-01 11:00+00');

-- anon: nothing at all
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select id from public.audit_log$$, '42501', null,
	'anon cannot read the audit log');
select throws_ok(
	$$insert into public.audit_log (board_id, action) values ('wijk', 'gesprek.open')$$,
	'42501', null, 'anon cannot add audit entries');
select throws_ok($$update public.audit_log set subject = 'x'$$, '42501', null,
	'anon cannot change audit entries');
select throws_ok($$delete from public.audit_log$$, '42501', null,
	'anon cannot remove audit entries');
with u as (update public.boards set ends_on = '2020-01-01' returning 1)
select is(count(*)::int, 0, 'anon cannot set an end date') from u;

-- the owner of "wijk"
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select results_eq(
	$$select board_id, action, subject from public.audit_log order by at$$,
	$$values ('wijk', 'gesprek.open', 'g1'), ('wijk', 'gesprek.change', 'g1')$$,
	'an owner reads the audit log of their board, and no other');
select throws_ok(
	$$insert into public.audit_log (board_id, actor_id, action, subject)
	  values ('wijk', '11111111-1111-4111-8111-111111111111', 'gesprek.open', 'g9')$$,
	'42501', null, 'not even an owner adds audit entries through the API');
select throws_ok($$update public.audit_log set subject = 'x' where board_id = 'wijk'$$, '42501', null,
	'not even an owner changes audit entries through the API');
select throws_ok($$delete from public.audit_log where board_id = 'wijk'$$, '42501', null,
	'not even an owner removes audit entries through the API');
with u as (
	update public.boards set ends_on = '2027-06-30', retention_days = 90 where id = 'wijk' returning 1
)
select is(count(*)::int, 1, 'an owner sets the end date and retention period of their board') from u;
select is(
	(select (ends_on + retention_days)::text from public.boards where id = 'wijk'),
	'2027-09-28', 'the purge date is the end date plus the retention period');
select throws_ok(
	$$update public.boards set retention_days = -1 where id = 'wijk'$$,
	'23514', null, 'the retention period cannot be negative');
select throws_ok(
	$$update public.boards set purged_at = now() where id = 'wijk'$$,
	'42501', 'purge_warned_at and purged_at are set by the server',
	'an owner cannot mark their board purged');
select throws_ok(
	$$update public.boards set purge_warned_at = now() where id = 'wijk'$$,
	'42501', 'purge_warned_at and purged_at are set by the server',
	'an owner cannot mark their board warned');
with u as (update public.boards set ends_on = '2020-01-01' where id = 'elders' returning 1)
select is(count(*)::int, 0, 'an owner cannot set the end date of a board they do not own') from u;

-- an editor and a viewer of "wijk"
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select is_empty($$select id from public.audit_log$$,
	'an editor cannot read the audit log, not even their own entries');
with u as (update public.boards set ends_on = '2020-01-01' where id = 'wijk' returning 1)
select is(count(*)::int, 0, 'an editor cannot set the end date') from u;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select is_empty($$select id from public.audit_log$$, 'a viewer cannot read the audit log');

-- the owner of "elders" only
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select board_id, subject from public.audit_log$$,
	$$values ('elders', 'e1')$$,
	'an owner of another board reads only that board''s entries');

-- someone without any board
select set_config('request.jwt.claims', '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}', true);
select is_empty($$select id from public.audit_log$$, 'a user on no board reads no audit entries');

-- the server's service role: may append, but the log stays append-only
set local role service_role;
select set_config('request.jwt.claims', '{"role":"service_role"}', true);
select lives_ok(
	$$insert into public.audit_log (board_id, actor_id, action) values ('wijk', null, 'board.purge')$$,
	'the service role can append an audit entry');
select throws_ok($$update public.audit_log set subject = 'x'$$, '42501', null,
	'the service role cannot change audit entries');
select throws_ok($$delete from public.audit_log$$, '42501', null,
	'the service role cannot remove audit entries');
select lives_ok($$update public.boards set purged_at = now() where id = 'elders'$$,
	'the service role records a purge');

-- the table owner (the app server's connection): appends, but cannot change or remove
reset role;
select lives_ok(
	$$insert into public.audit_log (board_id, actor_id, action, subject)
	  values ('wijk', '11111111-1111-4111-8111-111111111111', 'household.erase', 'a1')$$,
	'the table owner appends an audit entry');
select throws_ok($$update public.audit_log set subject = 'x' where board_id = 'wijk'$$,
	'42501', 'audit_log is append-only: UPDATE is not allowed',
	'not even the table owner changes an audit entry');
select throws_ok($$delete from public.audit_log where board_id = 'wijk'$$,
	'42501', 'audit_log is append-only: DELETE is not allowed',
	'not even the table owner removes an audit entry');
select throws_ok($$truncate public.audit_log$$,
	'42501', 'audit_log is append-only: TRUNCATE is not allowed',
	'not even the table owner empties the audit log');
select throws_ok(
	$$insert into public.audit_log (board_id, action) values ('wijk', 'gesprek.read')$$,
	'23514', null, 'only known actions are recorded');
select lives_ok($$delete from public.boards where id = 'elders'$$,
	'removing a board is not blocked by its audit entries');
select is((select count(*)::int from public.audit_log), 5, 'every entry is still there');

select * from finish();
rollback;
