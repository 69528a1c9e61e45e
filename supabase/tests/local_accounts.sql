-- Built-in accounts (embedded mode): password hashes, sessions and login attempts are for the
-- server alone. The API roles can neither read nor change them, not even their own rows.
begin;
select plan(27);

-- Seed (as the table owner, which is what the server connects as):
insert into public.organisations (id, name) values
	('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Woonwaarts');
insert into public.profiles (id, organisation_id, display_name, email) values
	('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Olga Owner', 'olga@example.org'),
	('22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Erik Editor', 'erik@example.org');
insert into public.local_credentials (user_id, password_hash) values
	('11111111-1111-4111-8111-111111111111', 'scrypt$32768$8$1$c2FsdA==$aGFzaA==');
insert into public.sessions (id_hash, user_id, expires_at) values
	('h1', '11111111-1111-4111-8111-111111111111', now() + interval '30 days');
insert into public.login_attempts (key) values ('olga@example.org|203.0.113.7');

-- The owner (the app server) is allowed.
select results_eq($$select count(*)::int from public.local_credentials$$, array[1], 'the server reads credentials');
select results_eq($$select count(*)::int from public.sessions$$, array[1], 'the server reads sessions');
select results_eq($$select count(*)::int from public.login_attempts$$, array[1], 'the server reads login attempts');

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select * from public.local_credentials$$, '42501', null, 'anon cannot read local credentials');
select throws_ok($$insert into public.local_credentials (user_id, password_hash) values ('22222222-2222-4222-8222-222222222222', 'x')$$, '42501', null, 'anon cannot insert local credentials');
select throws_ok($$update public.local_credentials set password_hash = 'x'$$, '42501', null, 'anon cannot update local credentials');
select throws_ok($$delete from public.local_credentials$$, '42501', null, 'anon cannot delete local credentials');
select throws_ok($$select * from public.sessions$$, '42501', null, 'anon cannot read sessions');
select throws_ok($$insert into public.sessions (id_hash, user_id, expires_at) values ('h2', '11111111-1111-4111-8111-111111111111', now() + interval '1 day')$$, '42501', null, 'anon cannot insert sessions');
select throws_ok($$update public.sessions set expires_at = now() + interval '1 year'$$, '42501', null, 'anon cannot update sessions');
select throws_ok($$delete from public.sessions$$, '42501', null, 'anon cannot delete sessions');
select throws_ok($$select * from public.login_attempts$$, '42501', null, 'anon cannot read login attempts');
select throws_ok($$insert into public.login_attempts (key) values ('olga@example.org|1.2.3.4')$$, '42501', null, 'anon cannot insert login attempts');
select throws_ok($$update public.login_attempts set at = now() - interval '1 day'$$, '42501', null, 'anon cannot update login attempts');
select throws_ok($$delete from public.login_attempts$$, '42501', null, 'anon cannot delete login attempts');
reset role;

-- authenticated
set local role authenticated;
select set_config('request.jwt.claims', '{"role":"authenticated","sub":"11111111-1111-4111-8111-111111111111"}', true);
select throws_ok($$select * from public.local_credentials$$, '42501', null, 'authenticated cannot read local credentials');
select throws_ok($$insert into public.local_credentials (user_id, password_hash) values ('22222222-2222-4222-8222-222222222222', 'x')$$, '42501', null, 'authenticated cannot insert local credentials');
select throws_ok($$update public.local_credentials set password_hash = 'x'$$, '42501', null, 'authenticated cannot update local credentials');
select throws_ok($$delete from public.local_credentials$$, '42501', null, 'authenticated cannot delete local credentials');
select throws_ok($$select * from public.sessions$$, '42501', null, 'authenticated cannot read sessions');
select throws_ok($$insert into public.sessions (id_hash, user_id, expires_at) values ('h2', '11111111-1111-4111-8111-111111111111', now() + interval '1 day')$$, '42501', null, 'authenticated cannot insert sessions');
select throws_ok($$update public.sessions set expires_at = now() + interval '1 year'$$, '42501', null, 'authenticated cannot update sessions');
select throws_ok($$delete from public.sessions$$, '42501', null, 'authenticated cannot delete sessions');
select throws_ok($$select * from public.login_attempts$$, '42501', null, 'authenticated cannot read login attempts');
select throws_ok($$insert into public.login_attempts (key) values ('olga@example.org|1.2.3.4')$$, '42501', null, 'authenticated cannot insert login attempts');
select throws_ok($$update public.login_attempts set at = now() - interval '1 day'$$, '42501', null, 'authenticated cannot update login attempts');
select throws_ok($$delete from public.login_attempts$$, '42501', null, 'authenticated cannot delete login attempts');
reset role;

select * from finish();
rollback;
