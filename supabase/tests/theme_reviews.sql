-- Row-level security of the approved theme names (what the public pages show of an added or
-- renamed theme): members of the board read them; nobody writes them through the API, not even an
-- owner: the server does, checked against the board document and audited.
begin;
select plan(16);

\ir _seed.psql

insert into public.theme_reviews (board_id, theme_id, name, approved_by) values
	('wijk', 't1', 'speelplekken', '11111111-1111-4111-8111-111111111111'),
	('elders', 'e1', 'parkeren', '44444444-4444-4444-8444-444444444444');

select results_eq($$select theme_id from public.theme_reviews order by 1$$,
	$$values ('e1'), ('t1')$$, 'the table owner (the server) reads every approval');
with u as (update public.theme_reviews set name = 'speeltuinen' where theme_id = 't1' returning 1)
select is(count(*)::int, 1, 'the table owner (the server) changes an approval') from u;

-- anon, as PostgREST switches to it for a request with the anon key
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select * from public.theme_reviews$$, '42501', null,
	'anon cannot read approved theme names');

-- the owner of "wijk"
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select results_eq($$select theme_id from public.theme_reviews$$, $$values ('t1')$$,
	'the owner reads the approved names of their own board only');
select throws_ok(
	$$insert into public.theme_reviews (board_id, theme_id, name) values ('wijk', 't2', 'x')$$,
	'42501', null, 'the owner cannot approve a name through the API (unaudited)');
select throws_ok($$update public.theme_reviews set name = 'iets anders'$$, '42501', null,
	'the owner cannot change an approved name through the API');
select throws_ok($$delete from public.theme_reviews$$, '42501', null,
	'the owner cannot withdraw an approval through the API (unaudited)');

-- the editor of "wijk"
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select results_eq($$select theme_id from public.theme_reviews$$, $$values ('t1')$$,
	'an editor reads the approved names of their board');
select throws_ok(
	$$insert into public.theme_reviews (board_id, theme_id, name) values ('wijk', 't3', 'x')$$,
	'42501', null, 'an editor cannot approve a name');

-- the viewer of "wijk"
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select results_eq($$select theme_id from public.theme_reviews$$, $$values ('t1')$$,
	'a viewer reads the approved names of their board');
select throws_ok($$update public.theme_reviews set name = 'x'$$, '42501', null,
	'a viewer cannot change an approval');

-- Otto, owner of "elders" only
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select theme_id from public.theme_reviews$$, $$values ('e1')$$,
	'an owner of another board sees only their own board''s approved names');

-- Nina, no boards
select set_config('request.jwt.claims', '{"sub":"55555555-5555-4555-8555-555555555555","role":"authenticated"}', true);
select is_empty($$select * from public.theme_reviews$$, 'a user without boards reads nothing');

-- service_role is not how the server writes it
set local role service_role;
select throws_ok($$select * from public.theme_reviews$$, '42501', null,
	'service_role cannot read approved names');
reset role;

select results_eq($$select count(*)::int from public.theme_reviews$$, $$values (2)$$,
	'nothing the API roles tried changed the rows');
select lives_ok(
	$$insert into public.audit_log (board_id, actor_id, action, subject) values ('wijk', '11111111-1111-4111-8111-111111111111', 'theme.approve', 't1')$$,
	'the server records an approval in the audit log');

select * from finish();
rollback;
