// Turns the values a user entered for one item into the exact BSB request body, or into a
// list of field problems. Pure: no n8n context, no I/O, so every rule has a unit test.
import { DateTime } from 'luxon';

import { checkCharges } from './charges';
import type { EndpointDescriptor, FieldSpec } from './endpoints';
import { CHARGE_AMOUNT_DIGITS, digitsOf, show } from './values';
import type { BsbBody, FieldIssue } from './values';

export type { BsbBody, FieldIssue } from './values';

export interface BuildResult {
	body: BsbBody;
	issues: FieldIssue[];
	/** Values sent as they are, though a softer rule of the spec would refuse them. */
	warnings: string[];
}

/** The warning for a value outside a field's softer rule, if it is. Pure. */
export function adviceOf(field: FieldSpec, value: unknown): string | undefined {
	const rule = field.advise;
	if (!rule || typeof value !== 'string') return undefined;
	const { min, max } = rule;
	if ((min !== undefined && value.length < min) || (max !== undefined && value.length > max)) {
		return `${field.displayName} ${show(value)} has ${value.length} characters: BSB may refuse it, as ${rule.why}. Sent as it is; use ${min ?? 1}–${max ?? value.length} characters to be safe.`;
	}
	if (rule.pattern && !rule.pattern.regex.test(value)) {
		return `${field.displayName} ${show(value)} is not ${rule.pattern.allowed}: BSB may refuse it, as ${rule.why}. Sent as it is.`;
	}
	return undefined;
}

const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;

function isBlank(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

interface Check {
	value?: string | string[];
	problem?: string;
	allowed?: string;
}

const fail = (problem: string, allowed: string): Check => ({ problem, allowed });

function lengthRange(field: FieldSpec): string {
	if (field.min !== undefined && field.max !== undefined)
		return `${field.min}–${field.max} characters`;
	if (field.max !== undefined) return `at most ${field.max} characters`;
	return `at least ${field.min} characters`;
}

function checkText(field: FieldSpec, raw: unknown): Check {
	if (typeof raw === 'object') return fail(`${show(raw)} is not text`, 'text');
	const value = String(raw).trim();
	if (
		(field.min !== undefined && value.length < field.min) ||
		(field.max !== undefined && value.length > field.max)
	) {
		return fail(`${show(value)} has ${value.length} characters`, lengthRange(field));
	}
	if (field.pattern && !field.pattern.regex.test(value)) {
		return fail(`${show(value)} has characters that are not allowed`, field.pattern.allowed);
	}
	return { value };
}

function checkAmount(field: FieldSpec, raw: unknown): Check {
	const digits = digitsOf(raw);
	const maxDigits = field.max ?? CHARGE_AMOUNT_DIGITS;
	const allowed = `a whole number of rupiah${field.min ? ` from ${field.min}` : ''}, at most ${maxDigits} digits, without separators`;
	if (digits === undefined) return fail(`${show(raw)} is not a whole number`, allowed);
	if (digits.length > maxDigits) return fail(`${show(raw)} has ${digits.length} digits`, allowed);
	if (field.min !== undefined && Number(digits) < field.min)
		return fail(`${show(raw)} is less than ${field.min}`, allowed);
	return { value: digits };
}

function checkWholeInRange(field: FieldSpec, raw: unknown): Check {
	const digits = digitsOf(raw);
	const allowed = `a whole number from ${field.min} to ${field.max}`;
	if (digits === undefined) return fail(`${show(raw)} is not a whole number`, allowed);
	const n = Number(digits);
	if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
		return fail(`${show(raw)} is out of range`, allowed);
	}
	return { value: String(n) };
}

/** yyyy-MM-dd; ISO date-times and luxon/JS dates (from expressions such as {{$now}}) give their date. */
export function toBsbDate(raw: unknown): string | undefined {
	if (raw instanceof Date)
		return Number.isNaN(raw.getTime()) ? undefined : raw.toISOString().slice(0, 10);
	if (DateTime.isDateTime(raw)) return raw.isValid ? raw.toFormat('yyyy-MM-dd') : undefined;
	if (typeof raw !== 'string') return undefined;
	const text = raw.trim();
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
		return DateTime.fromFormat(text, 'yyyy-MM-dd', { zone: 'utc' }).isValid ? text : undefined;
	}
	if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
		const parsed = DateTime.fromISO(text, { setZone: true });
		return parsed.isValid ? parsed.toFormat('yyyy-MM-dd') : undefined;
	}
	return undefined;
}

function checkDate(raw: unknown): Check {
	const value = toBsbDate(raw);
	return value === undefined
		? fail(`${show(raw)} is not a valid date`, 'a date as yyyy-MM-dd, e.g. 2026-12-31')
		: { value };
}

function checkPhone(field: FieldSpec, raw: unknown): Check {
	const allowed = `${field.min}–${field.max} digits, e.g. 081234567890`;
	if (typeof raw !== 'string' && typeof raw !== 'number')
		return fail(`${show(raw)} is not a phone number`, allowed);
	// Spaces and dashes are how people write numbers; BSB wants the digits only.
	const value = String(raw).trim().replace(/[\s-]/g, '');
	if (!/^\d+$/.test(value)) return fail(`${show(raw)} has characters other than digits`, allowed);
	if (value.length < (field.min ?? 0) || value.length > (field.max ?? Infinity)) {
		return fail(`${show(raw)} has ${value.length} digits`, allowed);
	}
	return { value };
}

function checkEmail(raw: unknown): Check {
	const value = String(raw).trim();
	return EMAIL.test(value)
		? { value }
		: fail(`${show(raw)} is not an email address`, 'an email address, e.g. name@example.com');
}

function checkEmailList(raw: unknown): Check {
	const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(/[;,]/);
	const emails = list.map((e) => e.trim()).filter((e) => e !== '');
	const bad = emails.find((e) => !EMAIL.test(e));
	if (bad !== undefined)
		return fail(`${show(bad)} is not an email address`, 'email addresses separated by semicolons');
	return { value: emails.join(';') };
}

function checkBriva(raw: unknown): Check {
	const value = typeof raw === 'number' ? String(raw) : String(raw ?? '').trim();
	// Section 22: min 15, max 16 digits.
	if (!/^\d{15,16}$/.test(value))
		return fail(`${show(raw)} is not a BRIVA number`, '15 or 16 digits');
	return { value };
}

function checkOption(field: FieldSpec, raw: unknown): Check {
	const text = String(raw).trim().toLowerCase();
	const option = field.options?.find(
		(o) => o.value.toLowerCase() === text || o.name.toLowerCase() === text,
	);
	const allowed = (field.options ?? []).map((o) => `${o.value} (${o.name})`).join(', ');
	return option ? { value: option.value } : fail(`${show(raw)} is not one of the choices`, allowed);
}

function checkStringList(raw: unknown): Check {
	const list = Array.isArray(raw) ? raw : String(raw).split(',');
	if (list.some((entry) => typeof entry === 'object' && entry !== null)) {
		return fail(
			`${show(raw)} is not a list of text`,
			'a list of labels, or labels separated by commas',
		);
	}
	return { value: list.map((entry) => String(entry).trim()).filter((entry) => entry !== '') };
}

function checkField(field: FieldSpec, raw: unknown): Check {
	switch (field.kind) {
		case 'text':
		case 'reference':
			return checkText(field, raw);
		case 'amount':
			return checkAmount(field, raw);
		case 'integer':
		case 'percent':
			return checkWholeInRange(field, raw);
		case 'date':
			return checkDate(raw);
		case 'phone':
			return checkPhone(field, raw);
		case 'email':
			return checkEmail(raw);
		case 'emailList':
			return checkEmailList(raw);
		case 'briva':
			return checkBriva(raw);
		case 'option':
			return checkOption(field, raw);
		case 'stringList':
			return checkStringList(raw);
		case 'charges':
			return {}; // handled by checkCharges: one field, several wire keys
	}
}

/**
 * Builds the request body in the order of the descriptor's fields. `values` maps parameter
 * names to what the user entered (undefined when not set).
 */
export function buildBody(
	endpoint: EndpointDescriptor,
	values: Record<string, unknown>,
): BuildResult {
	const body: BsbBody = {};
	const issues: FieldIssue[] = [];
	const warnings: string[] = [];
	for (const field of endpoint.fields) {
		const raw = values[field.name];
		if (isBlank(raw) || (field.kind === 'charges' && isEmptyCollection(raw))) {
			if (field.required) {
				issues.push({
					field: field.name,
					displayName: field.displayName,
					problem: 'is missing',
					allowed: describeAllowed(field),
				});
			}
			continue;
		}
		if (field.kind === 'charges') {
			checkCharges(field, raw, body, issues);
			continue;
		}
		const check = checkField(field, raw);
		if (check.problem !== undefined) {
			issues.push({
				field: field.name,
				displayName: field.displayName,
				problem: check.problem,
				allowed: check.allowed ?? '',
			});
		} else if (check.value !== undefined) {
			body[field.wire ?? field.name] = check.value;
			const advice = adviceOf(field, check.value);
			if (advice) warnings.push(advice);
		}
	}
	return { body, issues, warnings };
}

function isEmptyCollection(raw: unknown): boolean {
	return !!raw && typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0;
}

/** The allowed values of a field, for "is missing" errors. */
export function describeAllowed(field: FieldSpec): string {
	switch (field.kind) {
		case 'date':
			return 'a date as yyyy-MM-dd';
		case 'amount':
			return 'a whole number of rupiah';
		case 'phone':
			return `${field.min}–${field.max} digits`;
		case 'email':
			return 'an email address';
		case 'briva':
			return '15 or 16 digits';
		case 'option':
			return (field.options ?? []).map((o) => o.value).join(', ');
		case 'percent':
		case 'integer':
			return `a whole number from ${field.min} to ${field.max}`;
		default:
			return field.min !== undefined || field.max !== undefined ? lengthRange(field) : 'a value';
	}
}
