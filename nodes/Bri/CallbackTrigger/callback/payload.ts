// Section 25: reading the payment payload, and the items the trigger outputs. Nothing here
// refuses: the payment happened at the bank, so whatever is odd about an authenticated callback
// becomes a warning on its items (docs/spec-readings.md#25-callback-payment).
import { isRecord } from '../../../shared/json';

/** Section 25's field table names → the sample's, which the items carry. */
export const INVOICE_TABLE_NAMES: Readonly<Record<string, string>> = {
	referenceNumberInvoice: 'referenceNumInvoice',
	referenceNumberCustomers: 'referenceNumCustomer',
	referenceNumberFeetype: 'referenceNumFeetype',
	expDatePayment: 'expDate',
	note: 'remarks',
};

// Mandatory in the table and needed to book the payment. additionalInfo, discount and expDate
// are mandatory too, but the sample sends them empty: their absence is not worth a warning.
const PAYMENT_MANDATORY = [
	'brivaNo',
	'transactionDate',
	'totalPaymentAmount',
	'transactionID',
	'paymentType',
];
const INVOICE_MANDATORY = [
	'referenceNumInvoice',
	'referenceNumCustomer',
	'referenceNumFeetype',
	'amount',
];
/** Scalar amounts. Semicolon lists (additionalFeeAmount "10000;3000", taxAmount) stay strings. */
const PAYMENT_AMOUNTS = ['totalPaymentAmount'];
const INVOICE_AMOUNTS = [
	'amount',
	'discount',
	'additionalFeeTotal',
	'taxTotal',
	'fineTotal',
	'fineAmount',
	'dueAmount',
	'paymentAmount',
];
/** Payment fields copied onto each invoice item; additionalInfo is the client's reference. */
const PAYMENT_FIELDS_PER_INVOICE = [
	'brivaNo',
	'transactionID',
	'transactionDate',
	'paymentType',
	'totalPaymentAmount',
	'additionalInfo',
];

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
// Section 12's sample prints "5.00006e+08": a float formatting that may have rounded the figure.
const EXPONENT_NUMBER = /^-?\d+(\.\d+)?[eE][+-]?\d+$/;
const CHECK_EXACT =
	'BRI may have rounded it: check the exact figure in BRI Smart Billing (Payment → Get by BRIVA Number gives the totalAmount) before booking';
const CHECK_PAYMENT = 'Check this payment in BRI Smart Billing before booking it';
const FIND_INVOICES =
	'Find the paid invoices with Payment → Get by BRIVA Number or Invoice → Get by Customer before booking';

export interface ReadCallback {
	/** The payment's fields as sent, amounts in exponent form written out; no `invoice`. */
	payment: Record<string, unknown>;
	/** The invoices under the sample's names; an entry that is no object stays as sent. */
	invoices?: unknown[];
	/** `invoice` as sent, when it is present but no readable list. */
	rawInvoice?: unknown;
	/** The whole body, when it is JSON but no object. */
	rawBody?: unknown;
	/** About the payment as a whole. */
	warnings: string[];
	/** Per entry of `invoices`, prefixed `invoice[i].`. */
	invoiceWarnings: string[][];
}

/** Reads any JSON value BRI signed; never fails. */
export function readPaymentCallback(value: unknown): ReadCallback {
	if (!isRecord(value)) {
		return {
			payment: {},
			rawBody: value,
			warnings: [
				`The callback body is ${kind(value)}, not a JSON object; it is passed on as sent under body. ${CHECK_PAYMENT}.`,
			],
			invoiceWarnings: [],
		};
	}
	const warnings: string[] = [];
	const { invoice, ...rest } = value;
	const payment = readRecord(rest, '', PAYMENT_MANDATORY, PAYMENT_AMOUNTS, warnings);
	if (payment.transactionID === undefined || String(payment.transactionID).trim() === '')
		warnings.push('Without a transactionID, a repeat of this callback cannot be recognised.');

	const list = invoiceList(invoice);
	if (list === undefined) {
		warnings.push(
			invoice === undefined || invoice === null
				? `invoice is missing: the callback does not say which invoices were paid. ${FIND_INVOICES}.`
				: `invoice is ${kind(invoice)}, not a list of invoices; it is passed on as sent. ${FIND_INVOICES}.`,
		);
		return { payment, rawInvoice: invoice ?? undefined, warnings, invoiceWarnings: [] };
	}
	if (list.length === 0) warnings.push(`invoice is an empty list. ${FIND_INVOICES}.`);
	const invoiceWarnings: string[][] = [];
	const invoices = list.map((entry, index) => {
		const found: string[] = [];
		invoiceWarnings.push(found);
		if (!isRecord(entry)) {
			found.push(
				`invoice[${index}] is ${kind(entry)}, not an invoice; it is passed on as sent. ${FIND_INVOICES}.`,
			);
			return entry;
		}
		const named = sampleNames(entry, `invoice[${index}].`, found);
		return readRecord(named, `invoice[${index}].`, INVOICE_MANDATORY, INVOICE_AMOUNTS, found);
	});
	return { payment, invoices, warnings, invoiceWarnings };
}

/** The transactionID that identifies a repeat of this callback, if it has a usable one. */
export function transactionKey(read: ReadCallback): string | undefined {
	const id = read.payment.transactionID;
	if (typeof id !== 'string' && typeof id !== 'number') return undefined;
	return String(id).trim() === '' ? undefined : String(id);
}

/** An array, a JSON string of one (the table types `invoice` as string), or a single invoice. */
function invoiceList(invoice: unknown): unknown[] | undefined {
	let value = invoice;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (Array.isArray(value)) return value;
	return isRecord(value) ? [value] : undefined;
}

/** Renames the table's field names to the sample's, keeping the field order. */
function sampleNames(record: Record<string, unknown>, prefix: string, warnings: string[]) {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(record)) {
		const target = INVOICE_TABLE_NAMES[key];
		if (target === undefined) {
			out[key] = value;
			continue;
		}
		const other = record[target];
		if (other === undefined || other === null) out[target] = value;
		else if (String(other) !== String(value)) {
			out[key] = value;
			warnings.push(
				`${prefix}${target} ${show(other)} and ${prefix}${key} ${show(value)} differ; the item carries both as sent. Check which one is right before booking.`,
			);
		}
	}
	return out;
}

/** Checks the mandatory fields and the amounts; writes exponent-form amounts out. */
function readRecord(
	record: Record<string, unknown>,
	prefix: string,
	mandatory: string[],
	amounts: string[],
	warnings: string[],
): Record<string, unknown> {
	const out: Record<string, unknown> = { ...record };
	for (const field of mandatory) {
		const value = record[field];
		if (value === undefined || value === null)
			warnings.push(
				`${prefix}${field} is missing, though section 25 makes it mandatory. ${CHECK_PAYMENT}.`,
			);
		else if (typeof value === 'string' && value.trim() === '')
			warnings.push(
				`${prefix}${field} is empty, though section 25 makes it mandatory. ${CHECK_PAYMENT}.`,
			);
		else if (typeof value !== 'string' && typeof value !== 'number')
			warnings.push(
				`${prefix}${field} is ${kind(value)} where section 25 has text; it is passed on as sent. ${CHECK_PAYMENT}.`,
			);
	}
	for (const field of amounts) {
		const value = record[field];
		if (typeof value !== 'string' || value.trim() === '' || PLAIN_NUMBER.test(value.trim()))
			continue;
		const text = value.trim();
		const number = Number(text);
		if (EXPONENT_NUMBER.test(text) && Number.isFinite(number)) {
			out[field] = String(number);
			warnings.push(
				`${prefix}${field} ${show(value)} is in exponent form and was read as ${String(number)}; ${CHECK_EXACT}.`,
			);
		} else {
			warnings.push(
				`${prefix}${field} ${show(value)} is not a number; it is passed on as sent. ${CHECK_PAYMENT}.`,
			);
		}
	}
	return out;
}

function kind(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return 'text';
	if (typeof value === 'boolean') return 'true/false';
	return `a ${typeof value}`;
}

/** A value for a warning: quoted and short. Callback fields hold no secrets. */
function show(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Output shaping

export type OutputMode = 'perInvoice' | 'perPayment';

/**
 * One item per invoice (each with the payment's brivaNo, transactionID, transactionDate,
 * paymentType, totalPaymentAmount and additionalInfo) or one per payment, fields under the
 * sample's names. `warnings` only when there are some. New objects: the input is left alone.
 */
export function callbackItems(
	read: ReadCallback,
	mode: OutputMode,
	parseAmounts: boolean,
): Array<Record<string, unknown>> {
	if ('rawBody' in read) {
		return [withWarnings({ body: read.rawBody }, read.warnings)];
	}
	const payment = parseAmounts ? withNumbers(read.payment, PAYMENT_AMOUNTS) : { ...read.payment };
	const invoices = read.invoices?.map((entry) =>
		!isRecord(entry) ? entry : parseAmounts ? withNumbers(entry, INVOICE_AMOUNTS) : { ...entry },
	);
	if (mode === 'perPayment') {
		const invoice = invoices ?? read.rawInvoice;
		return [
			withWarnings(invoice === undefined ? payment : { ...payment, invoice }, [
				...read.warnings,
				...read.invoiceWarnings.flat(),
			]),
		];
	}
	const shared: Record<string, unknown> = {};
	for (const field of PAYMENT_FIELDS_PER_INVOICE)
		if (payment[field] !== undefined) shared[field] = payment[field];
	if (invoices === undefined || invoices.length === 0) {
		const invoice = invoices ?? read.rawInvoice;
		return [withWarnings(invoice === undefined ? shared : { ...shared, invoice }, read.warnings)];
	}
	return invoices.map((entry, index) =>
		withWarnings(isRecord(entry) ? { ...shared, ...entry } : { ...shared, invoice: entry }, [
			...read.warnings,
			...(read.invoiceWarnings[index] ?? []),
		]),
	);
}

function withWarnings(item: Record<string, unknown>, warnings: string[]) {
	return warnings.length > 0 ? { ...item, warnings } : item;
}

/** Numeric strings (exponent form too) become numbers; anything else stays as sent. */
export function parseAmount(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!PLAIN_NUMBER.test(text) && !EXPONENT_NUMBER.test(text)) return value;
	const number = Number(text);
	return Number.isFinite(number) ? number : value;
}

function withNumbers(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	const copy: Record<string, unknown> = { ...record };
	for (const field of fields) if (field in copy) copy[field] = parseAmount(copy[field]);
	return copy;
}
