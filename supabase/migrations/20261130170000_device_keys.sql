-- "Dit is mijn eigen apparaat" (issue 12, "Own device: confidential notes at rest" in
-- docs/architecture.md): a browser that keeps its organisation's confidential notes on the device
-- encrypts them with a key it asks the server for (GET /device-key). The server derives that key
-- with HMAC-SHA256 from this one secret, the user's id and the session's id, so it holds one key
-- per user and session without storing any: a new session gets a new key, and without a valid
-- session nobody gets it.
--
-- Only the app server, which connects as the table owner, reads the secret. Row-level security is
-- on with no policy at all, and Supabase's API roles hold no privilege on it.

create table public.device_key_secret (
	-- One row only.
	id boolean primary key default true check (id),
	secret bytea not null check (octet_length(secret) = 32),
	created_at timestamptz not null default now()
);

comment on table public.device_key_secret is 'The server''s secret from which each session''s own-device key is derived (HMAC); one row.';

alter table public.device_key_secret enable row level security;

-- No privileges for the API roles (Supabase's default privileges would grant them on new tables).
do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated'] loop
		if exists (select 1 from pg_catalog.pg_roles where rolname = r) then
			execute format('revoke all on public.device_key_secret from %I', r);
		end if;
	end loop;
end
$$;
