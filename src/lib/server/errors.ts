/** An error for the log: its name, code and stack frames, never its message (which can quote data). */
export function describeError(error: unknown): string {
	if (!(error instanceof Error)) return typeof error;
	const code = (error as { code?: unknown }).code;
	const frames = (error.stack ?? '')
		.split('\n')
		.filter((line) => line.trimStart().startsWith('at '))
		.slice(0, 8)
		.map((line) => line.trim());
	return [`${error.name}${typeof code === 'string' ? ` (${code})` : ''}`, ...frames].join('\n    ');
}
