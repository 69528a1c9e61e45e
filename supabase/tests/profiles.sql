-- Row-level security and column privileges on public.profiles: a user reads their own profile and
-- those of people on their boards, creates and renames their own, but does not choose their
-- organisation or email address (the server sets those) and does not delete profiles.
begin;
select plan(17);

-- Seed: see _seed.psql (owner, editor, viewer of "wijk"; an outsider; someone without organisation).
\ir _seed.psql

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is_empty($$select id from public.profiles$$, 'anon cannot read profiles');
select throws_ok(
	$$insert into public.profiles (id, display_name) values ('66666666-6666-4666-8666-666666666666', 'Anon')$$,
	'42501', 'new row violates row-level security policy for table "profiles"',
	'anon cannot create a profile');
with u as (update public.profiles set display_name = 'Anon' returning 1)
select is(count(*)::int, 0, 'anon cannot change profiles') from u;
with d as (delete from public.profiles returning 1)
select is(count(*)::int, 0, 'anon cannot delete profiles') from d;

-- a viewer
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select display_name from public.profiles order by display_name$$,
	$$values ('Erik Editor'), ('Olga Owner'), ('Vera Viewer')$$,
	'a member reads their own profile and those of people on their boards, and no others');
with u as (update public.profiles set display_name = 'Vera V.' where id = '33333333-3333-4333-8333-333333333333' returning 1)
select is(count(*)::int, 1, 'a user can rename themselves') from u;
with u as (update public.profiles set display_name = 'Olga?' where id = '11111111-1111-4111-8111-111111111111' returning 1)
select is(count(*)::int, 0, 'a user cannot change someone else''s profile') from u;
select throws_ok(
	$$update public.profiles set organisation_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' where id = '33333333-3333-4333-8333-333333333333'$$,
	'42501', 'permission denied for table profiles',
	'a user cannot change their organisation');
select throws_ok(
	$$update public.profiles set email = 'olga@example.org' where id = '33333333-3333-4333-8333-333333333333'$$,
	'42501', 'permission denied for table profiles',
	'a user cannot change their email address');
with d as (delete from public.profiles where id = '33333333-3333-4333-8333-333333333333' returning 1)
select is(count(*)::int, 0, 'a user cannot delete their profile through the API') from d;

-- an outsider
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select display_name from public.profiles$$, $$values ('Otto Outsider')$$,
	'a user on no common board reads only their own profile');

-- a newcomer without a profile
select set_config('request.jwt.claims', '{"sub":"66666666-6666-4666-8666-666666666666","role":"authenticated"}', true);
select throws_ok(
	$$insert into public.profiles (id, display_name) values ('77777777-7777-4777-8777-777777777777', 'Someone Else')$$,
	'42501', 'new row violates row-level security policy for table "profiles"',
	'a user cannot create a profile for someone else');
select throws_ok(
	$$insert into public.profiles (id, display_name, organisation_id) values ('66666666-6666-4666-8666-666666666666', 'Nieuw', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
	'42501', 'permission denied for table profiles',
	'a user cannot choose their organisation');
select lives_ok(
	$$insert into public.profiles (id, display_name) values ('66666666-6666-4666-8666-666666666666', 'Nieuw')$$,
	'a user can create their own profile');
select results_eq($$select display_name from public.profiles$$, $$values ('Nieuw')$$,
	'a new user reads their own profile');

-- the server's service role
set local role service_role;
select set_config('request.jwt.claims', '{"role":"service_role"}', true);
with u as (update public.profiles set organisation_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' where id = '66666666-6666-4666-8666-666666666666' returning 1)
select is(count(*)::int, 1, 'the service role assigns a user''s organisation') from u;
with d as (delete from public.profiles where id = '66666666-6666-4666-8666-666666666666' returning 1)
select is(count(*)::int, 1, 'the service role can delete a profile') from d;

select * from finish();
rollback;
