-- Row-level security of the households waiting for erasure (consent withdrawn): the board's owners
-- read them; nobody writes them through the API, not even an owner: the server does, from the
-- board document, audited.
begin;
select plan(12);

\ir _seed.psql

insert into public.consent_withdrawals (board_id, address_id, marked_by) values
	('wijk', 'a1', '22222222-2222-4222-8222-222222222222'),
	('elders', 'e1', '44444444-4444-4444-8444-444444444444');

select results_eq($$select address_id from public.consent_withdrawals order by 1$$,
	$$values ('a1'), ('e1')$$, 'the table owner (the server) reads every withdrawal');

set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select * from public.consent_withdrawals$$, '42501', null,
	'anon cannot read withdrawals');

set local role authenticated;
-- the owner of "wijk"
select set_config('request.jwt.claims', '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}', true);
select results_eq($$select address_id from public.consent_withdrawals$$, $$values ('a1')$$,
	'the owner reads the withdrawals of their own board only');
select throws_ok(
	$$insert into public.consent_withdrawals (board_id, address_id) values ('wijk', 'a2')$$,
	'42501', null, 'the owner cannot list a household through the API (unaudited)');
select throws_ok($$delete from public.consent_withdrawals$$, '42501', null,
	'the owner cannot take a household off the list through the API (nothing would be erased)');
select throws_ok($$update public.consent_withdrawals set marked_at = now() + interval '1 year'$$,
	'42501', null, 'the owner cannot postpone an erasure through the API');

-- the editor of "wijk" (who marked it)
select set_config('request.jwt.claims', '{"sub":"22222222-2222-4222-8222-222222222222","role":"authenticated"}', true);
select is_empty($$select * from public.consent_withdrawals$$, 'an editor does not read the list');

-- the viewer of "wijk"
select set_config('request.jwt.claims', '{"sub":"33333333-3333-4333-8333-333333333333","role":"authenticated"}', true);
select is_empty($$select * from public.consent_withdrawals$$, 'a viewer does not read the list');

-- Otto, owner of "elders" only
select set_config('request.jwt.claims', '{"sub":"44444444-4444-4444-8444-444444444444","role":"authenticated"}', true);
select results_eq($$select address_id from public.consent_withdrawals$$, $$values ('e1')$$,
	'an owner of another board sees only their own board''s list');

set local role service_role;
select throws_ok($$select * from public.consent_withdrawals$$, '42501', null,
	'service_role cannot read the list');
reset role;

select results_eq($$select count(*)::int from public.consent_withdrawals$$, $$values (2)$$,
	'nothing the API roles tried changed the rows');
select lives_ok(
	$$insert into public.audit_log (board_id, actor_id, action, subject) values ('wijk', '22222222-2222-4222-8222-222222222222', 'consent.withdraw', 'g1')$$,
	'the server records a withdrawal in the audit log');

select * from finish();
rollback;
