-- Row-level security on public.addresses: members read, editors and owners add, change and remove.
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
select is_empty($$select id from public.addresses$$, 'anon cannot read addresses');
select throws_ok(
	$$insert into public.addresses (board_id, id, street, house_number, lon, lat) values ('wijk', 'x', 'Laan', 1, 5.9, 51.9)$$,
	'42501', 'new row violates row-level security policy for table "addresses"',
	'anon cannot add an address');
with u as (update public.addresses set street = 'Weg' returning 1)
select is(count(*)::int, 0, 'anon cannot change addresses') from u;
with d as (delete from public.addresses returning 1)
select is(count(*)::int, 0, 'anon cannot remove addresses') from d;

-- a viewer
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select board_id, id from public.addresses order by id$$,
	$$values ('wijk', 'a1'), ('wijk', 'a2')$$,
	'a viewer reads the addresses of their boards, and no others');
select throws_ok(
	$$insert into public.addresses (board_id, id, street, house_number, lon, lat) values ('wijk', 'x', 'Laan', 1, 5.9, 51.9)$$,
	'42501', 'new row violates row-level security policy for table "addresses"',
	'a viewer cannot add an address');
with u as (update public.addresses set street = 'Weg' where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'a viewer cannot change addresses') from u;
with d as (delete from public.addresses where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'a viewer cannot remove addresses') from d;

-- an outsider
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select is_empty($$select id from public.addresses where board_id = 'wijk'$$,
	'an outsider cannot read the addresses of a board they are not on');
with d as (delete from public.addresses where board_id = 'wijk' returning 1)
select is(count(*)::int, 0, 'an outsider cannot remove the addresses of a board they are not on') from d;

-- an editor
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select lives_ok(
	$$insert into public.addresses (board_id, id, street, house_number, lon, lat) values ('wijk', 'a3', 'Dorpsstraat', 5, 5.912, 51.98)$$,
	'an editor can add an address');
select throws_ok(
	$$insert into public.addresses (board_id, id, street, house_number, lon, lat) values ('elders', 'x', 'Laan', 1, 5.9, 51.9)$$,
	'42501', 'new row violates row-level security policy for table "addresses"',
	'an editor cannot add an address to a board they are not on');
with u as (update public.addresses set house_letter = 'A' where board_id = 'wijk' and id = 'a1' returning 1)
select is(count(*)::int, 1, 'an editor can change an address') from u;
select throws_ok(
	$$update public.addresses set board_id = 'elders' where board_id = 'wijk' and id = 'a1'$$,
	'42501', 'new row violates row-level security policy for table "addresses"',
	'an editor cannot move an address to a board they are not on');
with d as (delete from public.addresses where board_id = 'wijk' and id = 'a2' returning 1)
select is(count(*)::int, 1, 'an editor can remove an address') from d;

-- the owner
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
with u as (update public.addresses set city = 'Arnhem-Zuid' where board_id = 'wijk' returning 1)
select is(count(*)::int, 2, 'an owner can change addresses too') from u;

select * from finish();
rollback;
