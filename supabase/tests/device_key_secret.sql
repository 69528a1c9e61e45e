-- The own-device key secret (20261130170000_device_keys.sql) is for the server alone: the API roles
-- can neither read nor change it.
begin;
select plan(9);

insert into public.device_key_secret (secret) values (decode(repeat('ab', 32), 'hex'));

-- The owner (the app server) is allowed.
select results_eq($$select octet_length(secret) from public.device_key_secret$$, array[32], 'the server reads the secret');
select throws_ok($$insert into public.device_key_secret (secret) values (decode(repeat('cd', 32), 'hex'))$$, '23505', null, 'there is one secret only');

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select * from public.device_key_secret$$, '42501', null, 'anon cannot read the secret');
select throws_ok($$update public.device_key_secret set secret = decode(repeat('00', 32), 'hex')$$, '42501', null, 'anon cannot change the secret');
select throws_ok($$delete from public.device_key_secret$$, '42501', null, 'anon cannot delete the secret');
reset role;

-- authenticated
set local role authenticated;
select set_config('request.jwt.claims', '{"role":"authenticated","sub":"11111111-1111-4111-8111-111111111111"}', true);
select throws_ok($$select * from public.device_key_secret$$, '42501', null, 'authenticated cannot read the secret');
select throws_ok($$insert into public.device_key_secret (id, secret) values (true, decode(repeat('00', 32), 'hex'))$$, '42501', null, 'authenticated cannot insert a secret');
select throws_ok($$update public.device_key_secret set secret = decode(repeat('00', 32), 'hex')$$, '42501', null, 'authenticated cannot change the secret');
select throws_ok($$delete from public.device_key_secret$$, '42501', null, 'authenticated cannot delete the secret');
reset role;

select * from finish();
rollback;
