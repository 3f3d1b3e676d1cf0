// Checks on BPJS membership input before anything is sent to CATAPA.
// Hard rules (spec body tables): required fields, yyyy-MM-dd dates. Soft rules
// (docs/spec-readings.md#catapa, formats seen in public material): card and KPJ number lengths
// and an effective date before the start date only produce warnings, because CATAPA itself is
// the authority on them.
import { parseJson } from '../../shared/json';

/** Bad input for one field: which field, and what is allowed. */
export class CatapaInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'CatapaInputError';
	}
}

/** Display names used in messages, keyed by the spec's field names. */
export const FIELD_LABELS: Record<string, string> = {
	employeeId: 'Employee',
	bpjsHealthcareProviderId: 'BPJS Healthcare Provider',
	bpjsHealthcareTemplateId: 'BPJS Healthcare Template',
	bpjsHealthcareTreatmentClassId: 'Treatment Class ID',
	bpjsManpowerProviderId: 'BPJS Manpower Provider',
	bpjsManpowerTemplateId: 'BPJS Manpower Template',
	membershipNumber: 'Membership Number',
	startDate: 'Start Date',
	effectiveDate: 'Effective Date',
	dentalHealthcareFacility: 'Dental Healthcare Facility',
	firstLevelHealthcareFacility: 'First Level Healthcare Facility',
	additionalFamilyMemberships: 'Additional Family Memberships',
};

function label(field: string): string {
	return `${FIELD_LABELS[field] ?? field} (${field})`;
}

function shown(value: unknown): string {
	let out: string;
	try {
		out =
			typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
	} catch {
		out = String(value);
	}
	return out.length > 60 ? `${out.slice(0, 57)}...` : out;
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** A required text or ID: numbers are accepted and turned into text (sheets send numbers). */
export function requiredText(field: string, value: unknown): string {
	if (isBlank(value)) throw new CatapaInputError(field, `${label(field)} is required`);
	return optionalText(field, value) as string;
}

export function optionalText(field: string, value: unknown): string | undefined {
	if (isBlank(value)) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		throw new CatapaInputError(field, `${label(field)} must be text; got ${shown(value)}`);
	}
	return value.trim();
}

/** Path parameter: any non-empty ID without slashes (the spec's example is a UUID, but does not require one). */
export function employeeId(value: unknown): string {
	const id = requiredText('employeeId', value);
	if (/[/?#\s]/.test(id)) {
		throw new CatapaInputError(
			'employeeId',
			`${label('employeeId')} must be a CATAPA employee ID such as 0ab1c2d3-e4f5-6789-0123-456789abcdef; got ${shown(id)}`,
		);
	}
	return id;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
	const match = DATE.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

// n8n turns a Luxon DateTime inside a collection into its ISO text, e.g. 2024-02-05T00:00:00.000+07:00.
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A yyyy-MM-dd date (docs/spec-readings.md#catapa). A Luxon DateTime from an expression, or its
 * ISO text, is taken as the calendar date it is written with (as Luxon's toISODate does); nothing
 * else is guessed.
 */
export function optionalDate(field: string, value: unknown): string | undefined {
	if (isBlank(value)) return undefined;
	let text: unknown = value;
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toISODate?: unknown }).toISODate === 'function'
	) {
		text = (value as { toISODate: () => string | null }).toISODate();
	}
	if (typeof text === 'string') {
		const trimmed = text.trim();
		const date = ISO_DATE_TIME.exec(trimmed)?.[1] ?? trimmed;
		if (isCalendarDate(date)) return date;
	}
	throw new CatapaInputError(
		field,
		`${label(field)} must be a date in yyyy-MM-dd form, e.g. 2024-01-31; got ${shown(value)}`,
	);
}

export function requiredDate(field: string, value: unknown): string {
	if (isBlank(value))
		throw new CatapaInputError(field, `${label(field)} is required (yyyy-MM-dd, e.g. 2024-01-31)`);
	return optionalDate(field, value) as string;
}

/**
 * Soft check: the spec only says the effective date defaults to the start date, so one before
 * it is sent, with a warning (docs/spec-readings.md#catapa).
 */
export function effectiveDateWarning(
	startDate: string,
	effectiveDate: string | undefined,
): string | undefined {
	// ISO dates compare correctly as text.
	if (effectiveDate === undefined || effectiveDate >= startDate) return undefined;
	return `${label('effectiveDate')} ${effectiveDate} is before Start Date ${startDate}: sent as it is, but CATAPA may refuse it or date the membership back; leave it empty to use the start date`;
}

/** Soft check: a BPJS Kesehatan card number has 13 digits (docs/spec-readings.md#catapa). */
export function healthcareCardWarning(membershipNumber: string | undefined): string | undefined {
	if (membershipNumber === undefined || /^\d{13}$/.test(membershipNumber)) return undefined;
	return digitsWarning('BPJS Kesehatan card number', membershipNumber, 13);
}

/** Soft check: a BPJS Ketenagakerjaan KPJ number has 11 digits (docs/spec-readings.md#catapa). */
export function kpjWarning(membershipNumber: string | undefined): string | undefined {
	if (membershipNumber === undefined || /^\d{11}$/.test(membershipNumber)) return undefined;
	return digitsWarning('BPJS Ketenagakerjaan KPJ number', membershipNumber, 11);
}

function digitsWarning(what: string, value: string, digits: number): string {
	const count = value.replace(/\D/g, '').length;
	const shape = /^\d+$/.test(value)
		? `${value.length} digits`
		: `${count} digits and other characters`;
	const zeros =
		/^\d+$/.test(value) && value.length < digits
			? ' (a number column in a spreadsheet may have dropped leading zeros)'
			: '';
	return `membershipNumber: a ${what} usually has ${digits} digits; ${shown(value)} has ${shape}${zeros}. Sent as given.`;
}

const NOT_JSON = Symbol('not JSON');

function familyMemberships(value: unknown): Array<Record<string, unknown>> | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const data = typeof value === 'string' ? parseJson(value, NOT_JSON) : value;
	if (data === NOT_JSON) {
		throw new CatapaInputError(
			'additionalFamilyMemberships',
			`${label('additionalFamilyMemberships')} must be a JSON array of objects, e.g. [{"familyMemberId": "…", "membershipNumber": "…"}]; got text that is not JSON`,
		);
	}
	if (
		!Array.isArray(data) ||
		data.some((entry) => !entry || typeof entry !== 'object' || Array.isArray(entry))
	) {
		throw new CatapaInputError(
			'additionalFamilyMemberships',
			`${label('additionalFamilyMemberships')} must be a JSON array of objects; got ${shown(data)}`,
		);
	}
	return data as Array<Record<string, unknown>>;
}

export interface PreparedUpdate {
	body: Record<string, unknown>;
	warnings: string[];
}

function compact(body: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/**
 * The checks both membership updates make, in this order: provider and template IDs, membership
 * number (required or optional, per resource), start date, effective date (a warning if before it).
 */
function checkMembership(
	input: Record<string, unknown>,
	providerField: string,
	templateField: string,
	membershipNumberCheck: (field: string, value: unknown) => string | undefined,
) {
	const ids = {
		[providerField]: requiredText(providerField, input[providerField]),
		[templateField]: requiredText(templateField, input[templateField]),
	};
	const membershipNumber = membershipNumberCheck('membershipNumber', input.membershipNumber);
	const startDate = requiredDate('startDate', input.startDate);
	const effectiveDate = optionalDate('effectiveDate', input.effectiveDate);
	const dateWarning = effectiveDateWarning(startDate, effectiveDate);
	return { ids, membershipNumber, startDate, effectiveDate, dateWarning };
}

/** Body of PUT /core/v1/employees/{employeeId}/bpjs-healthcare-memberships (spec body table). */
export function prepareHealthcareUpdate(input: Record<string, unknown>): PreparedUpdate {
	const { ids, membershipNumber, startDate, effectiveDate, dateWarning } = checkMembership(
		input,
		'bpjsHealthcareProviderId',
		'bpjsHealthcareTemplateId',
		requiredText,
	);
	const body = compact({
		...ids,
		bpjsHealthcareTreatmentClassId: optionalText(
			'bpjsHealthcareTreatmentClassId',
			input.bpjsHealthcareTreatmentClassId,
		),
		dentalHealthcareFacility: optionalText(
			'dentalHealthcareFacility',
			input.dentalHealthcareFacility,
		),
		firstLevelHealthcareFacility: optionalText(
			'firstLevelHealthcareFacility',
			input.firstLevelHealthcareFacility,
		),
		membershipNumber,
		startDate,
		effectiveDate,
		// Not on the spec page; CATAPA's SDK has it (docs/spec-readings.md#catapa).
		additionalFamilyMemberships: familyMemberships(input.additionalFamilyMemberships),
	});
	const warnings = [healthcareCardWarning(membershipNumber), dateWarning];
	return { body, warnings: warnings.filter((w): w is string => w !== undefined) };
}

/** Body of PUT /core/v1/employees/{employeeId}/bpjs-manpower-memberships (spec body table). */
export function prepareManpowerUpdate(input: Record<string, unknown>): PreparedUpdate {
	// Membership number optional here, in the spec table and in CATAPA's SDK
	// (docs/spec-readings.md#catapa).
	const { ids, membershipNumber, startDate, effectiveDate, dateWarning } = checkMembership(
		input,
		'bpjsManpowerProviderId',
		'bpjsManpowerTemplateId',
		optionalText,
	);
	const body = compact({ ...ids, membershipNumber, startDate, effectiveDate });
	const warnings = [kpjWarning(membershipNumber), dateWarning];
	return { body, warnings: warnings.filter((w): w is string => w !== undefined) };
}
