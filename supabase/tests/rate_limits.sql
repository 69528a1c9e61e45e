-- Rate-limit buckets (shared by every server process): for the server alone. The API roles can
-- neither read nor change them, nor take tokens through the helper.
begin;
select plan(16);

-- The owner (the app server) is allowed.
select is(private.take_token('audit.open|x', 2, 0.001), 0, 'the server takes a first token');
select is(private.take_token('audit.open|x', 2, 0.001), 0, 'the server takes a second token');
select cmp_ok(private.take_token('audit.open|x', 2, 0.001), '>=', 1, 'a third waits: the bucket is empty');
select results_eq($$select count(*)::int from public.rate_limits$$, array[1], 'the server reads buckets');
select is(private.forget_full_buckets(interval '0 seconds'), 1, 'the server forgets old buckets');

-- anon
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select * from public.rate_limits$$, '42501', null, 'anon cannot read buckets');
select throws_ok($$insert into public.rate_limits (key, tokens) values ('k', 100)$$, '42501', null, 'anon cannot insert buckets');
select throws_ok($$update public.rate_limits set tokens = 100$$, '42501', null, 'anon cannot update buckets');
select throws_ok($$delete from public.rate_limits$$, '42501', null, 'anon cannot delete buckets');
select throws_ok($$select private.take_token('k', 1, 1)$$, '42501', null, 'anon cannot take tokens');
reset role;

-- authenticated
set local role authenticated;
select set_config('request.jwt.claims', '{"role":"authenticated","sub":"11111111-1111-4111-8111-111111111111"}', true);
select throws_ok($$select * from public.rate_limits$$, '42501', null, 'authenticated cannot read buckets');
select throws_ok($$insert into public.rate_limits (key, tokens) values ('k', 100)$$, '42501', null, 'authenticated cannot insert buckets');
select throws_ok($$update public.rate_limits set tokens = 100$$, '42501', null, 'authenticated cannot update buckets');
select throws_ok($$delete from public.rate_limits$$, '42501', null, 'authenticated cannot delete buckets');
select throws_ok($$select private.take_token('k', 1, 1)$$, '42501', null, 'authenticated cannot take tokens');
select throws_ok($$select private.forget_full_buckets(interval '0 seconds')$$, '42501', null, 'authenticated cannot forget buckets');
reset role;

select * from finish();
rollback;
