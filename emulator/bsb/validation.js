// @ts-check
'use strict';
// Field rules of the BSB spec tables. A schema lists fields with a type and rules; validate()
// reports every failing rule of every field, as BSB's `validationError: { field: [messages] }`.
// Messages copy the wording of the spec's error samples.

/**
 * A rule gets the field's value ('' when absent or null) and answers a message or null.
 * Rules other than `required` pass on '' (optional fields may be left empty).
 * @typedef {(value: string, field: string) => string | null} Rule
 * @typedef {{ type?: 'string' | 'stringArray', rules?: Rule[] }} FieldSpec
 * @typedef {(body: Record<string, any>, add: (field: string, message: string) => void) => void} Check
 * @typedef {{ fields: Record<string, FieldSpec>, checks?: Check[] }} Schema
 */

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL_RE = /^[^\s@;]+@[^\s@;]+\.[^\s@;]+$/;

/** @param {string} s */
function isDate(s) {
	if (!DATE_RE.test(s)) return false;
	const t = Date.parse(`${s}T00:00:00Z`);
	return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** @param {(v: string) => boolean} ok @param {(f: string) => string} msg @returns {Rule} */
const when = (ok, msg) => (v, f) => (v === '' || ok(v) ? null : msg(f));

/** Counted in characters (code points), not bytes. */
const len = (/** @type {string} */ v) => [...v].length;

const rules = {
	/** @type {Rule} */
	required: (v, f) => (v === '' ? `The ${f} field is required` : null),
	/** @returns {Rule} */
	min: (/** @type {number} */ n) =>
		when(
			(v) => len(v) >= n,
			(f) => `The ${f} field must be minimum ${n} char`,
		),
	/** @returns {Rule} */
	max: (/** @type {number} */ n) =>
		when(
			(v) => len(v) <= n,
			(f) => `The ${f} field must be maximum ${n} char`,
		),
	alnum: when(
		(v) => /^[A-Za-z0-9]+$/.test(v),
		(f) => `The ${f} may only contain letters and numbers`,
	),
	// Section 14's error sample: "may only contain letters, numbers, dashes, space".
	nameChars: when(
		(v) => /^[\p{L}\p{N} _-]+$/u.test(v),
		(f) => `The ${f} may only contain letters, numbers, dashes, space`,
	),
	numeric: when(
		(v) => /^\d+$/.test(v),
		(f) => `The ${f} field must be numeric`,
	),
	/** Amounts: digits, at least 1, at most 12 digits (section 16's error sample). */
	amount: /** @type {Rule[]} */ ([
		when(
			(v) => /^\d+$/.test(v),
			(f) => `The ${f} field must be numeric`,
		),
		when(
			(v) => !/^\d+$/.test(v) || Number(v) >= 1,
			(f) => `The ${f} field value can not be less than 1`,
		),
		when(
			(v) => v.length <= 12,
			(f) => `The ${f} field must be maximum 12 character`,
		),
	]),
	/** @returns {Rule} */
	between: (/** @type {number} */ lo, /** @type {number} */ hi) =>
		when(
			(v) => /^\d+$/.test(v) && Number(v) >= lo && Number(v) <= hi,
			(f) => `The ${f} field must be between ${lo} and ${hi}`,
		),
	date: when(isDate, (f) => `The ${f} field must be a valid date format yyyy-mm-dd`),
	email: when(
		(v) => EMAIL_RE.test(v),
		(f) => `The ${f} field must be a valid email address`,
	),
	emailList: when(
		(v) => v.split(';').every((e) => EMAIL_RE.test(e.trim())),
		(f) => `The ${f} field must be a list of valid email addresses separated by ;`,
	),
	/** @returns {Rule} */
	oneOf: (/** @type {string[]} */ values) =>
		when(
			(v) => values.includes(v),
			(f) => `The ${f} field must be one of ${values.join(', ')}`,
		),
	/** @returns {Rule} */
	digitsBetween: (/** @type {number} */ lo, /** @type {number} */ hi) =>
		when(
			(v) => /^\d+$/.test(v) && v.length >= lo && v.length <= hi,
			(f) => `The ${f} field must be ${lo} to ${hi} digits`,
		),
};

/** Splits a `;` list (fees, taxes); spaces around entries are ignored ("Materai; Admin"). */
const splitList = (/** @type {string} */ v) => (v === '' ? [] : v.split(';').map((s) => s.trim()));

/**
 * A group of `;`-separated fields that go together (additional fees, taxes): at most 3 entries,
 * `lead` fields required as soon as any member is filled, equal entry counts, per-entry rules.
 * @param {string[]} lead fields required together
 * @param {Record<string, (entry: string) => boolean>} entryOk per-field entry check
 * @param {Record<string, string>} entryHint what an entry must be, for the message
 * @returns {Check}
 */
function semicolonGroup(lead, entryOk, entryHint) {
	const members = Object.keys(entryOk);
	return (body, add) => {
		const val = (/** @type {string} */ f) => (typeof body[f] === 'string' ? body[f] : '');
		if (!members.some((f) => val(f) !== '')) return;
		const others = (/** @type {string} */ f) => members.filter((m) => m !== f).join(' / ');
		for (const f of lead)
			if (val(f) === '') add(f, `The ${f} field is required when ${others(f)} is filled`);
		const counts = new Map();
		for (const f of members) {
			const entries = splitList(val(f));
			if (entries.length === 0) continue;
			if (entries.length > 3) add(f, `The ${f} field may hold at most 3 entries separated by ;`);
			if (!entries.every(entryOk[f])) add(f, `Each entry of ${f} must be ${entryHint[f]}`);
			counts.set(f, entries.length);
		}
		if (new Set(counts.values()).size > 1) {
			for (const f of counts.keys())
				add(
					f,
					`The ${f} field must have as many entries as ${[...counts.keys()].filter((m) => m !== f).join(', ')}`,
				);
		}
	};
}

/**
 * Validates a parsed JSON body. `formatErrors` (wrong JSON types, answered 0013) come apart
 * from `errors` (field rules, answered 0012). Unknown fields are ignored.
 * @param {Schema} schema
 * @param {Record<string, any>} body
 */
function validate(schema, body) {
	/** @type {Record<string, string[]>} */
	const formatErrors = {};
	/** @type {Record<string, string[]>} */
	const errors = {};
	const add = (
		/** @type {Record<string, string[]>} */ into,
		/** @type {string} */ f,
		/** @type {string} */ m,
	) => {
		(into[f] ||= []).push(m);
	};
	for (const [field, spec] of Object.entries(schema.fields)) {
		const raw = body[field];
		if (spec.type === 'stringArray') {
			if (raw != null && !(Array.isArray(raw) && raw.every((x) => typeof x === 'string'))) {
				add(formatErrors, field, `The ${field} field must be an array of strings`);
			}
			continue;
		}
		if (raw != null && typeof raw !== 'string') {
			add(formatErrors, field, `The ${field} field must be a string`);
			continue;
		}
		const value = raw == null ? '' : raw;
		for (const rule of spec.rules || []) {
			const msg = rule(value, field);
			if (msg) add(errors, field, msg);
			if (msg && rule === rules.required) break;
		}
	}
	if (Object.keys(formatErrors).length === 0) {
		for (const check of schema.checks || []) check(body, (f, m) => add(errors, f, m));
	}
	return { formatErrors, errors };
}

module.exports = { rules, validate, semicolonGroup, splitList, isDate };
