-- Built-in accounts of the embedded default (no Supabase configured): password credentials,
-- sessions and login throttling.
--
-- Only the app server, which connects as the table owner, uses these tables. Row-level security is
-- on with no policy at all, and Supabase's API roles hold no privilege on them: through the API
-- nobody reads or writes a password hash, a session or a login attempt.

create table public.local_credentials (
	user_id uuid primary key references public.profiles (id) on delete cascade,
	password_hash text not null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

comment on table public.local_credentials is 'Password hash (scrypt) of a built-in account; embedded mode only.';

alter table public.local_credentials enable row level security;

create table public.sessions (
	-- SHA-256 of the session token (base64url): the token itself is never stored.
	id_hash text primary key,
	user_id uuid not null references public.profiles (id) on delete cascade,
	created_at timestamptz not null default now(),
	expires_at timestamptz not null,
	last_seen_at timestamptz not null default now()
);

comment on table public.sessions is 'Sign-in sessions of built-in accounts, by the SHA-256 of their cookie token.';

create index sessions_user_id_idx on public.sessions (user_id);
create index sessions_expires_at_idx on public.sessions (expires_at);

alter table public.sessions enable row level security;

create table public.login_attempts (
	-- Throttling key: normalised email and client address.
	key text not null,
	at timestamptz not null default now()
);

comment on table public.login_attempts is 'Failed sign-ins per key (email + address), for login throttling.';

create index login_attempts_key_at_idx on public.login_attempts (key, at);

alter table public.login_attempts enable row level security;

-- No privileges for the API roles (Supabase's default privileges would grant them on new tables).
do $$
declare
	r text;
begin
	foreach r in array array['anon', 'authenticated'] loop
		if exists (select 1 from pg_catalog.pg_roles where rolname = r) then
			execute format(
				'revoke all on public.local_credentials, public.sessions, public.login_attempts from %I',
				r
			);
		end if;
	end loop;
end
$$;
