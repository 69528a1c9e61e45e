-- Row-level security on public.organisations: users read their own organisation and those of
-- people on their boards; organisations are managed by the server (service_role), not the API.
begin;
select plan(14);

-- Seed: see _seed.psql (owner, editor, viewer of "wijk"; an outsider; someone without organisation).
\ir _seed.psql

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
