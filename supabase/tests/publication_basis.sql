-- Row-level security of the public pages' publication basis (the server's bookkeeping of what each
-- published street round was computed from): no API role reads or writes it, not even the board's
-- owner; the server, as the table owner, does.
begin;
select plan(13);

\ir _seed.psql

insert into public.publication_basis (board_id, salt, cells) values
	('wijk', 'zout-van-de-wijk-0123', '{"Dorpsstraat\n1": {"k1": "v1"}}');

select results_eq($$select board_id from public.publication_basis$$, $$values ('wijk')$$,
	'the table owner (the server) reads the basis');
with u as (update public.publication_basis set cells = '{}' where board_id = 'wijk' returning 1)
select is(count(*)::int, 1, 'the table owner (the server) changes the basis') from u;

-- anon, as PostgREST switches to it for a request with the anon key
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select * from public.publication_basis$$, '42501', null,
	'anon cannot read the basis');
select throws_ok(
	$$insert into public.publication_basis (board_id, salt) values ('elders', 'zout-van-elders-0123')$$,
	'42501', null, 'anon cannot add a basis');
select throws_ok($$update public.publication_basis set cells = '{}'$$, '42501', null,
	'anon cannot change the basis');
select throws_ok($$delete from public.publication_basis$$, '42501', null,
	'anon cannot delete the basis');

-- the board's owner, signed in
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select throws_ok($$select * from public.publication_basis$$, '42501', null,
	'the owner cannot read the basis through the API');
select throws_ok(
	$$insert into public.publication_basis (board_id, salt) values ('wijk', 'zout-van-de-wijk-9999')$$,
	'42501', null, 'the owner cannot add a basis');
select throws_ok($$update public.publication_basis set cells = '{}'$$, '42501', null,
	'the owner cannot change the basis');
select throws_ok($$delete from public.publication_basis$$, '42501', null,
	'the owner cannot delete the basis');

-- service_role (the Supabase API's privileged key) is not how the server writes it either
set local role service_role;
select throws_ok($$select * from public.publication_basis$$, '42501', null,
	'service_role cannot read the basis');
reset role;

select results_eq($$select count(*)::int from public.publication_basis$$, $$values (1)$$,
	'nothing the API roles tried changed the rows');
select is((select cells from public.publication_basis where board_id = 'wijk'), '{}'::jsonb,
	'the owner''s change stayed');

select * from finish();
rollback;
