-- Row-level security on public.addresses: members read, editors and owners add, change and remove.
begin;
select plan(16);

-- Seed: see _seed.psql (owner, editor, viewer of "wijk"; an outsider; someone without organisation).
\ir _seed.psql

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
