-- Row-level security on public.organisations: users read their own organisation and those of
-- people on their boards; organisations are managed by the server (service_role), not the API.
begin;
select plan(14);

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
select is_empty($$select id from public.organisations$$, 'anon cannot read organisations');
select throws_ok(
	$$insert into public.organisations (name) values ('Anon BV')$$,
	'42501', 'new row violates row-level security policy for table "organisations"',
	'anon cannot create an organisation');
with u as (update public.organisations set name = 'Anon BV' returning 1)
select is(count(*)::int, 0, 'anon cannot change organisations') from u;
with d as (delete from public.organisations returning 1)
select is(count(*)::int, 0, 'anon cannot delete organisations') from d;

-- a viewer (Bindkracht10) on a board with people of Woonwaarts
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select name from public.organisations order by name$$,
	$$values ('Bindkracht10'), ('Woonwaarts')$$,
	'a user reads their organisation and those of people on their boards, and no others');
select throws_ok(
	$$insert into public.organisations (name) values ('Nieuw BV')$$,
	'42501', 'new row violates row-level security policy for table "organisations"',
	'a user cannot create an organisation');

-- the owner
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
with u as (update public.organisations set name = 'Woonwaarts!' where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning 1)
select is(count(*)::int, 0, 'a user cannot rename their organisation through the API') from u;
with d as (delete from public.organisations where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning 1)
select is(count(*)::int, 0, 'a user cannot delete their organisation through the API') from d;

-- an outsider
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select name from public.organisations$$, $$values ('HAN')$$,
	'a user on no common board reads only their own organisation');

-- a user without an organisation
select set_config('request.jwt.claims', '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}', true);
select is_empty($$select id from public.organisations$$,
	'a user without an organisation and boards reads no organisation');

-- the server's service role
set local role service_role;
select set_config('request.jwt.claims', '{"role":"service_role"}', true);
select lives_ok(
	$$insert into public.organisations (id, name) values ('dddddddd-dddd-4ddd-8ddd-dddddddddddd', 'Gemeente')$$,
	'the service role creates an organisation');
with u as (update public.organisations set name = 'Gemeente Arnhem' where id = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd' returning 1)
select is(count(*)::int, 1, 'the service role renames an organisation') from u;
with d as (delete from public.organisations where id = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd' returning 1)
select is(count(*)::int, 1, 'the service role deletes an organisation') from d;
select is((select count(*)::int from public.organisations), 3, 'the service role reads every organisation');

select * from finish();
rollback;
