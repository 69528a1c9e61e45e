-- Row-level security on public.board_members: members see who is on their boards, owners add,
-- change and remove members, a member can leave; nobody promotes themselves.
begin;
select plan(16);

-- Seed (as the table owner, which row-level security does not restrict):
-- Olga owns, Erik edits and Vera views the board "wijk"; Otto, of another organisation, owns
-- "elders" only; Nina has a profile but no organisation and no boards.
insert into public.organisations (id, name) values
	('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Woonwaarts'),
	('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'Bindkracht10'),
	('cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'HAN');
insert into public.profiles (id, organisation_id, display_name, email) values
	('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Olga Owner', 'olga@example.org'),
	('22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Erik Editor', 'erik@example.org'),
	('33333333-3333-4333-8333-333333333333', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'Vera Viewer', 'vera@example.org'),
	('44444444-4444-4444-8444-444444444444', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'Otto Outsider', 'otto@example.org'),
	('55555555-5555-4555-8555-555555555555', null, 'Nina Nobody', 'nina@example.org');
insert into public.boards (id, name, center_lon, center_lat) values
	('wijk', 'De Wijk', 5.91, 51.98),
	('elders', 'Elders', 5.85, 51.84);
insert into public.board_members (board_id, user_id, role) values
	('wijk', '11111111-1111-4111-8111-111111111111', 'owner'),
	('wijk', '22222222-2222-4222-8222-222222222222', 'editor'),
	('wijk', '33333333-3333-4333-8333-333333333333', 'viewer'),
	('elders', '44444444-4444-4444-8444-444444444444', 'owner');
insert into public.addresses (board_id, id, street, house_number, postcode, city, lon, lat) values
	('wijk', 'a1', 'Dorpsstraat', 1, '6811AA', 'Arnhem', 5.910, 51.980),
	('wijk', 'a2', 'Dorpsstraat', 3, '6811AA', 'Arnhem', 5.911, 51.980),
	('elders', 'e1', 'Kerkweg', 2, '6500AB', 'Nijmegen', 5.850, 51.840);
insert into public.board_updates (board_id, data) values
	('wijk', '\x0102'::bytea),
	('elders', '\x0304'::bytea);

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
