/**
 * The smallest single edit that turns `before` into `after`: common prefix and suffix kept. The
 * caret (after the edit) bounds the suffix, so text typed at the caret is inserted there.
 */
export function textDiff(
	before: string,
	after: string,
	caret = after.length
): { index: number; remove: number; insert: string } {
	let start = 0;
	const max = Math.min(before.length, after.length);
	while (start < max && before[start] === after[start]) start++;
	const limit = Math.min(before.length - start, after.length - start, after.length - caret);
	let suffix = 0;
	while (suffix < limit && before[before.length - 1 - suffix] === after[after.length - 1 - suffix])
		suffix++;
	return {
		index: start,
		remove: before.length - suffix - start,
		insert: after.slice(start, after.length - suffix)
	};
}
