/**
 * Merges two people's edits of one short text field (a plain value, not a Y.Text): `base` is the
 * value both started from, `mine` what this user typed, `theirs` what is stored now (someone
 * else's write). Each side's edit is the one range it changed; ranges that do not overlap are both
 * applied, and two insertions at the same place are both kept (theirs first; two texts written into
 * an empty field at once with a space between them). When both changed
 * the same characters, or one edit touches the other (text added right after words the other
 * replaced), this user's edit wins: there is no way to keep both that reads right.
 */
export function mergeText(base: string, mine: string, theirs: string): string {
	if (mine === base || mine === theirs) return theirs;
	if (theirs === base) return mine;
	const a = editOf(base, mine);
	const b = editOf(base, theirs);
	const bothInsertAt = a.from === a.to && b.from === b.to && a.from === b.from;
	if (bothInsertAt) {
		// Two people filling an empty field at once wrote two separate texts: keep them apart.
		const gap = base.trim() === '' && /\S$/.test(b.text) && /^\S/.test(a.text) ? ' ' : '';
		return base.slice(0, a.from) + b.text + gap + a.text + base.slice(a.from);
	}
	// Apart (not even touching): both. An edit that touches the other's is the same change.
	if (a.to < b.from || b.to < a.from) {
		const [first, second] = a.from <= b.from ? [a, b] : [b, a];
		return (
			base.slice(0, first.from) +
			first.text +
			base.slice(first.to, second.from) +
			second.text +
			base.slice(second.to)
		);
	}
	return mine;
}

/** The range of `base` that `next` replaced, and what it put there. */
function editOf(base: string, next: string): { from: number; to: number; text: string } {
	const max = Math.min(base.length, next.length);
	let prefix = 0;
	while (prefix < max && base[prefix] === next[prefix]) prefix++;
	let suffix = 0;
	while (
		suffix < max - prefix &&
		base[base.length - 1 - suffix] === next[next.length - 1 - suffix]
	) {
		suffix++;
	}
	return {
		from: prefix,
		to: base.length - suffix,
		text: next.slice(prefix, next.length - suffix)
	};
}
