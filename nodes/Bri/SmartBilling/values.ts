// The pieces the validator and the charges check share: what a field problem is, the body they
// build, and how a user's value is read and shown.

export interface FieldIssue {
	field: string;
	displayName: string;
	/** What is wrong with the value, e.g. `"12345" has 5 digits`. */
	problem: string;
	/** What is allowed, e.g. `10–13 digits`. */
	allowed: string;
}

export type BsbBody = Record<string, string | string[]>;

export const CHARGE_AMOUNT_DIGITS = 12; // section 25: "max each type is 12 number"

/** Shows a user's value in an error without flooding it. */
export function show(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
	return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Whole numbers only: digits, or a JS integer. "10.000" or "1e6" are refused rather than guessed. */
export function digitsOf(raw: unknown): string | undefined {
	if (typeof raw === 'number')
		return Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : undefined;
	if (typeof raw === 'string' && /^\d+$/.test(raw.trim()))
		return raw.trim().replace(/^0+(?=\d)/, '');
	return undefined;
}
