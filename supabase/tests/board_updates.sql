-- Row-level security on public.board_updates, the log of a board's document: members read,
-- editors and owners append; nobody changes or removes rows through the API (compaction is the
-- server's, which connects as the table owner or as service_role).
begin;
select plan(14);

-- Seed: see _seed.psql (owner, editor, viewer of "wijk"; an outsider; someone without organisation).
\ir _seed.psql

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is_empty($$select seq from public.board_updates$$, 'anon cannot read board updates');
select throws_ok(
	$$insert into public.board_updates (board_id, data) values ('wijk', '\x05'::bytea)$$,
	'42501', 'new row violates row-level security policy for table "board_updates"',
	'anon cannot add a board update');
with u as (update public.board_updates set data = '\x00'::bytea returning 1)
select is(count(*)::int, 0, 'anon cannot change board updates') from u;
with d as (delete from public.board_updates returning 1)
select is(count(*)::int, 0, 'anon cannot remove board updates') from d;

-- a viewer
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select board_id, data from public.board_updates$$,
	$$values ('wijk', '\x0102'::bytea)$$,
	'a viewer reads the updates of their boards, and no others');
select throws_ok(
	$$insert into public.board_updates (board_id, data) values ('wijk', '\x05'::bytea)$$,
	'42501', 'new row violates row-level security policy for table "board_updates"',
	'a viewer cannot add a board update');

-- an outsider
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select is_empty($$select seq from public.board_updates where board_id = 'wijk'$$,
	'an outsider cannot read the updates of a board they are not on');

-- an editor
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select lives_ok(
	$$insert into public.board_updates (board_id, data) values ('wijk', '\x05'::bytea)$$,
	'an editor can add a board update');
select throws_ok(
	$$insert into public.board_updates (board_id, data) values ('elders', '\x05'::bytea)$$,
	'42501', 'new row violates row-level security policy for table "board_updates"',
	'an editor cannot add an update to a board they are not on');

-- the owner
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
with u as (update public.board_updates set data = '\x00'::bytea where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'not even an owner changes board updates through the API') from u;
with d as (delete from public.board_updates where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'not even an owner removes board updates through the API') from d;

-- the server's service role (bypasses row-level security, as on Supabase)
set local role service_role;
select set_config('request.jwt.claims', '{"role":"service_role"}', true);
with u as (update public.board_updates set data = '\x010205'::bytea where board_id = 'wijk' and data = '\x0102'::bytea returning 1)
select is(count(*)::int, 1, 'the service role can rewrite an update (compaction)') from u;
with d as (delete from public.board_updates where board_id = 'wijk' and data = '\x05'::bytea returning 1)
select is(count(*)::int, 1, 'the service role can remove compacted updates') from d;
select is((select count(*)::int from public.board_updates), 2, 'the service role reads every board''s updates');

select * from finish();
rollback;
