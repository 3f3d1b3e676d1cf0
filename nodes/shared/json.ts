// JSON helpers shared by every node: no vendor knowledge here.

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse, or `fallback` (undefined unless given) when the text is not JSON. */
export function parseJson(text: string, fallback?: unknown): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return fallback;
	}
}

/** An answer body as a record: JSON text is parsed; anything that is not an object gives {}. */
export function bodyRecord(body: unknown): Record<string, unknown> {
	const data = typeof body === 'string' ? parseJson(body) : body;
	return isRecord(data) ? data : {};
}
