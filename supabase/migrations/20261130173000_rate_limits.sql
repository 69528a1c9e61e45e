-- Token buckets shared by every server process on this database (issue 13): how often one person
-- may do something the server limits (e.g. report opening a gesprek into the append-only audit
-- log). One row per key, taken and refilled in one statement (private.take_token), so several
-- processes behind a load balancer share one bound instead of each holding its own.

create table public.rate_limits (
	-- What is limited and for whom, e.g. 'audit.open|<user id>'. Never content.
	key text primary key,
	tokens double precision not null,
	at timestamptz not null default now()
);

comment on table public.rate_limits is 'Token buckets per key (action + person) shared by every server process.';

create index rate_limits_at_idx on public.rate_limits (at);

alter table public.rate_limits enable row level security;

-- No policies: only the server (the table owner) reads and writes buckets. No privileges for the
-- API roles either (Supabase's default privileges would grant them on new tables).
do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated'] loop
		if exists (select 1 from pg_catalog.pg_roles where rolname = r) then
			execute format('revoke all on public.rate_limits from %I', r);
		end if;
	end loop;
end
$$;

-- Takes one token from the bucket `p_key` (capacity `p_capacity`, refilled by `p_per_minute` a
-- minute). Returns 0 when a token was taken, else the seconds until the next one. The insert or
-- update holds the row's lock, so simultaneous calls from any number of connections are serial.
create function private.take_token(p_key text, p_capacity double precision, p_per_minute double precision)
returns integer
language plpgsql
set search_path = ''
as $$
declare
	v_tokens double precision;
	v_per_second double precision := p_per_minute / 60.0;
begin
	insert into public.rate_limits as b (key, tokens, at)
	values (p_key, p_capacity - 1, clock_timestamp())
	on conflict (key) do update
		set tokens = least(p_capacity,
				b.tokens + extract(epoch from (clock_timestamp() - b.at)) * v_per_second) - 1,
			at = clock_timestamp()
		where least(p_capacity,
				b.tokens + extract(epoch from (clock_timestamp() - b.at)) * v_per_second) >= 1
	returning b.tokens into v_tokens;
	if found then
		return 0;
	end if;
	select greatest(1, ceil((1 - least(p_capacity,
			b.tokens + extract(epoch from (clock_timestamp() - b.at)) * v_per_second)) / v_per_second))::integer
		into v_tokens
		from public.rate_limits b where b.key = p_key;
	return coalesce(v_tokens, 1)::integer;
end
$$;

revoke all on function private.take_token(text, double precision, double precision) from public;

-- Buckets that have been full again for a while behave exactly like missing ones: forgotten.
create function private.forget_full_buckets(p_older_than interval)
returns integer
language sql
set search_path = ''
as $$
	with gone as (
		delete from public.rate_limits where at < clock_timestamp() - p_older_than returning 1
	)
	select count(*)::integer from gone;
$$;

revoke all on function private.forget_full_buckets(interval) from public;
