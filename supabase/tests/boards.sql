-- Row-level security on public.boards: members read, owners change settings and delete,
-- professionals of an organisation create (and become owner), anon does nothing.
begin;
select plan(14);

-- Seed: see _seed.psql (owner, editor, viewer of "wijk"; an outsider; someone without organisation).
\ir _seed.psql

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is_empty($$select id from public.boards$$, 'anon cannot read boards');
select throws_ok(
	$$insert into public.boards (id, name, center_lon, center_lat) values ('anon', 'Anon', 5, 52)$$,
	'42501', 'new row violates row-level security policy for table "boards"',
	'anon cannot create a board');
with u as (update public.boards set name = 'Overgenomen' where id = 'wijk' returning 1)
select is(count(*)::int, 0, 'anon cannot change a board') from u;
with d as (delete from public.boards where id = 'wijk' returning 1)
select is(count(*)::int, 0, 'anon cannot delete a board') from d;

-- a viewer
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select id from public.boards$$, $$values ('wijk')$$,
	'a viewer reads the boards they are a member of, and no others');
with u as (update public.boards set name = 'Overgenomen' where id = 'wijk' returning 1)
select is(count(*)::int, 0, 'a viewer cannot change board settings') from u;

-- an editor
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
with u as (update public.boards set zoom = 3 where id = 'wijk' returning 1)
select is(count(*)::int, 0, 'an editor cannot change board settings') from u;
with d as (delete from public.boards where id = 'wijk' returning 1)
select is(count(*)::int, 0, 'an editor cannot delete a board') from d;

-- an outsider, owner of another board
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select id from public.boards$$, $$values ('elders')$$,
	'an outsider reads only their own board');

-- a signed-in user without an organisation
select set_config('request.jwt.claims', '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}', true);
select throws_ok(
	$$insert into public.boards (id, name, center_lon, center_lat) values ('nina', 'Nina', 5, 52)$$,
	'42501', 'new row violates row-level security policy for table "boards"',
	'a user without an organisation cannot create a board');

-- the owner
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select lives_ok(
	$$insert into public.boards (id, name, center_lon, center_lat) values ('nieuw', 'Nieuw', 5.9, 52)$$,
	'a professional of an organisation can create a board');
select results_eq(
	$$select user_id::text, role from public.board_members where board_id = 'nieuw'$$,
	$$values ('11111111-1111-4111-8111-111111111111', 'owner')$$,
	'the creator of a board becomes its owner');
with u as (update public.boards set name = 'De Nieuwe Wijk' where id = 'wijk' returning 1)
select is(count(*)::int, 1, 'an owner can change board settings') from u;
with d as (delete from public.boards where id = 'wijk' returning 1)
select is(count(*)::int, 1, 'an owner can delete their board') from d;

select * from finish();
rollback;
