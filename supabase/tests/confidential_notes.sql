-- Row-level security on public.org_note_updates, the log of one organisation's confidential notes
-- on a board: members of the board in that organisation read it, its editors and owners append;
-- other organisations (even on the same board), outsiders, people without organisation and anon
-- see nothing; nobody changes or removes rows through the API (compaction and erasure are the
-- server's).
begin;
select plan(19);

-- Seed: see _seed.psql. On "wijk": Olga (owner) and Erik (editor) of Woonwaarts (aaaa…), Vera
-- (viewer) of Bindkracht10 (bbbb…). Otto of HAN (cccc…) owns "elders" only; Nina has no organisation.
\ir _seed.psql
insert into public.org_note_updates (board_id, organisation_id, data) values
	('wijk', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '\x0a01'::bytea),
	('wijk', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '\x0b01'::bytea),
	('elders', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', '\x0c01'::bytea);

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is_empty($$select seq from public.org_note_updates$$, 'anon cannot read confidential notes');
select throws_ok(
	$$insert into public.org_note_updates (board_id, organisation_id, data)
		values ('wijk', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '\x05'::bytea)$$,
	'42501', 'new row violates row-level security policy for table "org_note_updates"',
	'anon cannot add confidential notes');
with u as (update public.org_note_updates set data = '\x00'::bytea returning 1)
select is(count(*)::int, 0, 'anon cannot change confidential notes') from u;
with d as (delete from public.org_note_updates returning 1)
select is(count(*)::int, 0, 'anon cannot remove confidential notes') from d;

-- an editor of Woonwaarts on "wijk"
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select results_eq($$select board_id, organisation_id::text, data from public.org_note_updates$$,
	$$values ('wijk', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '\x0a01'::bytea)$$,
	'a member reads their own organisation''s notes on their boards, and no others');
select lives_ok(
	$$insert into public.org_note_updates (board_id, organisation_id, data)
		values ('wijk', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '\x05'::bytea)$$,
	'an editor adds to their own organisation''s notes');
select throws_ok(
	$$insert into public.org_note_updates (board_id, organisation_id, data)
		values ('wijk', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '\x05'::bytea)$$,
	'42501', 'new row violates row-level security policy for table "org_note_updates"',
	'an editor cannot add to another organisation''s notes on the same board');
select throws_ok(
	$$insert into public.org_note_updates (board_id, organisation_id, data)
		values ('elders', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '\x05'::bytea)$$,
	'42501', 'new row violates row-level security policy for table "org_note_updates"',
	'an editor cannot add notes on a board they are not on');

-- a viewer of Bindkracht10 on "wijk" (another organisation on the same board)
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select organisation_id::text from public.org_note_updates$$,
	$$values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb')$$,
	'a member of another organisation on the board reads only their own organisation''s notes');
select is_empty(
	$$select seq from public.org_note_updates where organisation_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'$$,
	'another organisation''s notes stay hidden from a member of the same board');
select throws_ok(
	$$insert into public.org_note_updates (board_id, organisation_id, data)
		values ('wijk', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '\x05'::bytea)$$,
	'42501', 'new row violates row-level security policy for table "org_note_updates"',
	'a viewer cannot add confidential notes');

-- an outsider (HAN, not on "wijk")
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select is_empty($$select seq from public.org_note_updates where board_id = 'wijk'$$,
	'an outsider reads no notes of a board they are not on');

-- someone without organisation
select set_config('request.jwt.claims', '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}', true);
select is_empty($$select seq from public.org_note_updates$$,
	'someone without organisation reads no confidential notes');

-- the owner (Woonwaarts)
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select is((select count(*)::int from public.org_note_updates), 2,
	'the owner reads their organisation''s notes on the board (two rows now)');
with u as (update public.org_note_updates set data = '\x00'::bytea returning 1)
select is(count(*)::int, 0, 'not even an owner changes confidential notes through the API') from u;
with d as (delete from public.org_note_updates returning 1)
select is(count(*)::int, 0, 'not even an owner removes confidential notes through the API') from d;

-- the server's service role (bypasses row-level security, as on Supabase)
set local role service_role;
select set_config('request.jwt.claims', '{"role":"service_role"}', true);
with u as (update public.org_note_updates set data = '\x0a0105'::bytea where data = '\x0a01'::bytea returning 1)
select is(count(*)::int, 1, 'the service role can rewrite notes (compaction)') from u;
with d as (delete from public.org_note_updates where data = '\x05'::bytea returning 1)
select is(count(*)::int, 1, 'the service role can remove compacted notes') from d;
select is((select count(*)::int from public.org_note_updates), 3, 'the service role reads every organisation''s notes');

select * from finish();
rollback;
