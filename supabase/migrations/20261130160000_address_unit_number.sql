-- The corporation's unit number (VHE, verhuureenheid) of an address, kept from its own export: the
-- key its systems use for the dwelling (issue 10, "the address register from a real corporation
-- export"). Free text as the corporation writes it ("1040012", "104-00012"). The table's row-level
-- security (members read, editors and owners write; 20261125120000_access.sql) covers the column.
alter table public.addresses
	add column if not exists unit_number text check (char_length(unit_number) between 1 and 64);

comment on column public.addresses.unit_number is
	'The housing corporation''s unit number (VHE) from its export; null for addresses from the BAG.';
