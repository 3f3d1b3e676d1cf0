// Fees and taxes (sections 4 and 16): up to three rows from a fixedCollection, each part joined
// with ';' into its own wire field.
import type { ChargesWire, FieldSpec } from './endpoints';
import { CHARGE_AMOUNT_DIGITS, digitsOf, show } from './values';
import type { BsbBody, FieldIssue } from './values';

const MAX_CHARGES = 3; // sections 4, 16: "Max 3 Type"
const CHARGE_TYPE_MAX = 20; // section 25: "max each type is 20 character"

type ChargeRow = { type?: unknown; amount?: unknown; option?: unknown; include?: unknown };

/** Reads a fixedCollection value ({ fee: [...] }) or a plain array of rows. */
function chargeRows(field: FieldSpec, raw: unknown): ChargeRow[] | undefined {
	if (Array.isArray(raw)) return raw as ChargeRow[];
	if (raw && typeof raw === 'object') {
		const rows = (raw as Record<string, unknown>)[field.charges!.rowName];
		if (rows === undefined) return [];
		return Array.isArray(rows) ? (rows as ChargeRow[]) : undefined;
	}
	return undefined;
}

/** Sections 4 and 16: up to 3 fees/taxes, each part joined with ';' into its own field, counts matching. */
export function checkCharges(
	field: FieldSpec,
	raw: unknown,
	body: BsbBody,
	issues: FieldIssue[],
): void {
	const spec = field.charges!;
	const rows = chargeRows(field, raw);
	const issue = (problem: string, allowed: string) =>
		issues.push({ field: field.name, displayName: field.displayName, problem, allowed });
	if (rows === undefined)
		return void issue(`${show(raw)} is not a list of rows`, `up to ${MAX_CHARGES} rows`);
	if (rows.length === 0) return;
	if (rows.length > MAX_CHARGES)
		return void issue(`has ${rows.length} rows`, `at most ${MAX_CHARGES} rows`);
	const parts: Record<keyof ChargesWire, string[]> = {
		type: [],
		amount: [],
		option: [],
		include: [],
	};
	rows.forEach((row, n) => {
		const label = `row ${n + 1}`;
		const type = String(row.type ?? '').trim();
		if (type === '' || type.length > CHARGE_TYPE_MAX || type.includes(';')) {
			issue(
				`${label}: name ${show(type)} is not allowed`,
				`a name of 1–${CHARGE_TYPE_MAX} characters without ";"`,
			);
		}
		const amount = digitsOf(row.amount);
		if (amount === undefined || amount.length > CHARGE_AMOUNT_DIGITS) {
			issue(
				`${label}: amount ${show(row.amount)} is not allowed`,
				`a whole number of rupiah, at most ${CHARGE_AMOUNT_DIGITS} digits`,
			);
		}
		const option = String(row.option ?? '0');
		if (!['0', '1', '2'].includes(option))
			issue(`${label}: option ${show(row.option)} is not allowed`, '0, 1 or 2');
		const include = String(row.include ?? '0');
		if (spec.withInclude && !['0', '1'].includes(include)) {
			issue(`${label}: include ${show(row.include)} is not allowed`, '0 (exclude) or 1 (include)');
		}
		parts.type.push(type);
		parts.amount.push(amount ?? '');
		parts.option.push(option);
		parts.include.push(include);
	});
	body[spec.wire.type] = parts.type.join(';');
	body[spec.wire.amount] = parts.amount.join(';');
	body[spec.wire.option] = parts.option.join(';');
	if (spec.wire.include) body[spec.wire.include] = parts.include.join(';');
}
