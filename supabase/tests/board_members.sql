-- Row-level security on public.board_members: members see who is on their boards, owners add,
-- change and remove members, a member can leave; nobody promotes themselves.
begin;
select plan(16);

-- Seed: see _seed.psql (owner, editor, viewer of "wijk"; an outsider; someone without organisation).
\ir _seed.psql

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is_empty($$select user_id from public.board_members$$, 'anon cannot read memberships');
select throws_ok(
	$$insert into public.board_members (board_id, user_id, role) values ('wijk', '55555555-5555-4555-8555-555555555555', 'owner')$$,
	'42501', 'new row violates row-level security policy for table "board_members"',
	'anon cannot add a member');
with u as (update public.board_members set role = 'owner' returning 1)
select is(count(*)::int, 0, 'anon cannot change roles') from u;
with d as (delete from public.board_members returning 1)
select is(count(*)::int, 0, 'anon cannot remove members') from d;

-- a viewer
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select board_id, role from public.board_members order by role$$,
	$$values ('wijk', 'editor'), ('wijk', 'owner'), ('wijk', 'viewer')$$,
	'a viewer sees who is on their boards, and no other memberships');
select throws_ok(
	$$insert into public.board_members (board_id, user_id, role) values ('wijk', '55555555-5555-4555-8555-555555555555', 'viewer')$$,
	'42501', 'new row violates row-level security policy for table "board_members"',
	'a viewer cannot add a member');
with d as (delete from public.board_members where board_id = 'wijk' and role = 'editor' returning 1)
select is(count(*)::int, 0, 'a viewer cannot remove another member') from d;

-- an editor
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
with u as (update public.board_members set role = 'owner' where user_id = '22222222-2222-4222-8222-222222222222' returning 1)
select is(count(*)::int, 0, 'an editor cannot promote themselves') from u;
select throws_ok(
	$$insert into public.board_members (board_id, user_id, role) values ('wijk', '55555555-5555-4555-8555-555555555555', 'editor')$$,
	'42501', 'new row violates row-level security policy for table "board_members"',
	'an editor cannot add a member');

-- an outsider
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select is_empty($$select user_id from public.board_members where board_id = 'wijk'$$,
	'an outsider cannot see who is on a board they are not on');
select throws_ok(
	$$insert into public.board_members (board_id, user_id, role) values ('wijk', '44444444-4444-4444-8444-444444444444', 'owner')$$,
	'42501', 'new row violates row-level security policy for table "board_members"',
	'an outsider cannot add themselves to a board');

-- the owner
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select lives_ok(
	$$insert into public.board_members (board_id, user_id, role) values ('wijk', '55555555-5555-4555-8555-555555555555', 'viewer')$$,
	'an owner can add a member');
with u as (update public.board_members set role = 'viewer' where board_id = 'wijk' and user_id = '22222222-2222-4222-8222-222222222222' returning 1)
select is(count(*)::int, 1, 'an owner can change a member''s role') from u;
with d as (delete from public.board_members where board_id = 'wijk' and user_id = '55555555-5555-4555-8555-555555555555' returning 1)
select is(count(*)::int, 1, 'an owner can remove a member') from d;
select throws_ok(
	$$insert into public.board_members (board_id, user_id, role) values ('elders', '11111111-1111-4111-8111-111111111111', 'owner')$$,
	'42501', 'new row violates row-level security policy for table "board_members"',
	'an owner of one board cannot add members to another');

-- a viewer leaves
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
with d as (delete from public.board_members where board_id = 'wijk' and user_id = '33333333-3333-4333-8333-333333333333' returning 1)
select is(count(*)::int, 1, 'a member can leave a board') from d;

select * from finish();
rollback;
