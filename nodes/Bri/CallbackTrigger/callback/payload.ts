// Section 25: reading the payment payload, and the items the trigger outputs.
import { isRecord } from '../../../shared/json';

export interface PaymentCallback {
	brivaNo: string;
	transactionDate: string;
	totalPaymentAmount: string;
	transactionID: string;
	additionalInfo: string;
	paymentType: string;
	invoice: Array<Record<string, unknown>>;
	[key: string]: unknown;
}

// Names follow the sample payload (NOTES.md: the sample wins over the table): the table's
// referenceNumberInvoice / …Customers / …Feetype / expDatePayment are sent as
// referenceNumInvoice / referenceNumCustomer / referenceNumFeetype / expDate.
const PAYMENT_REQUIRED = [
	'brivaNo',
	'transactionDate',
	'totalPaymentAmount',
	'transactionID',
	'paymentType',
];
// Mandatory in the table, but the sample sends them empty: present, may be empty.
const PAYMENT_PRESENT = ['additionalInfo'];
const INVOICE_REQUIRED = [
	'referenceNumInvoice',
	'referenceNumCustomer',
	'referenceNumFeetype',
	'amount',
];
const INVOICE_PRESENT = ['discount', 'expDate'];
/** Amounts the table says are numeric; a non-number there is refused. */
const NUMERIC_REQUIRED = { payment: ['totalPaymentAmount'], invoice: ['amount'] };
const NUMBER_PATTERN = /^-?\d+(\.\d+)?$/;

export type PaymentValidation =
	{ ok: true; payload: PaymentCallback } | { ok: false; validationError: Record<string, string[]> };

/**
 * Presence and type of the mandatory fields, plus the numeric amounts. Lengths are not checked:
 * refusing a real payment over a length the bank itself chose would lose the callback.
 */
export function validatePaymentCallback(value: unknown): PaymentValidation {
	const errors: Record<string, string[]> = {};
	const add = (field: string, message: string) => (errors[field] ??= []).push(message);
	if (!isRecord(value)) {
		return { ok: false, validationError: { body: ['must be a JSON object'] } };
	}
	checkFields(value, '', PAYMENT_REQUIRED, PAYMENT_PRESENT, NUMERIC_REQUIRED.payment, add);
	const invoices = value.invoice;
	if (!Array.isArray(invoices) || invoices.length === 0) {
		add('invoice', invoices === undefined ? 'is required' : 'must be a non-empty array');
	} else {
		invoices.forEach((invoice, index) => {
			const prefix = `invoice[${index}].`;
			if (!isRecord(invoice)) add(`invoice[${index}]`, 'must be an object');
			else
				checkFields(
					invoice,
					prefix,
					INVOICE_REQUIRED,
					INVOICE_PRESENT,
					NUMERIC_REQUIRED.invoice,
					add,
				);
		});
	}
	if (Object.keys(errors).length > 0) return { ok: false, validationError: errors };
	return { ok: true, payload: value as PaymentCallback };
}

function checkFields(
	record: Record<string, unknown>,
	prefix: string,
	required: string[],
	present: string[],
	numeric: string[],
	add: (field: string, message: string) => void,
) {
	for (const field of [...required, ...present]) {
		const value = record[field];
		if (value === undefined || value === null) add(prefix + field, 'is required');
		// The spec says string; a JSON number carries the same value, so it is accepted.
		else if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
			add(prefix + field, 'must be a string');
		else if (required.includes(field) && String(value).trim() === '')
			add(prefix + field, 'must not be empty');
		else if (numeric.includes(field) && !NUMBER_PATTERN.test(String(value).trim()))
			add(prefix + field, 'must be numeric');
	}
}

// ---------------------------------------------------------------------------------------------
// Output shaping

export type OutputMode = 'perInvoice' | 'perPayment';

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
/** Payment fields copied onto each invoice item (issue 5). */
const PAYMENT_FIELDS_PER_INVOICE = [
	'brivaNo',
	'transactionID',
	'transactionDate',
	'paymentType',
	'totalPaymentAmount',
];

/**
 * One object per invoice (each with the payment's brivaNo, transactionID, transactionDate,
 * paymentType and totalPaymentAmount) or one per payment (the payload as is). New objects:
 * the payload itself is left untouched.
 */
export function callbackItems(
	payload: PaymentCallback,
	mode: OutputMode,
	parseAmounts: boolean,
): Array<Record<string, unknown>> {
	const payment = parseAmounts ? withNumbers(payload, PAYMENT_AMOUNTS) : { ...payload };
	const invoices = payload.invoice.map((invoice) =>
		parseAmounts ? withNumbers(invoice, INVOICE_AMOUNTS) : { ...invoice },
	);
	if (mode === 'perPayment') return [{ ...payment, invoice: invoices }];
	const shared: Record<string, unknown> = {};
	for (const field of PAYMENT_FIELDS_PER_INVOICE) shared[field] = payment[field];
	return invoices.map((invoice) => ({ ...shared, ...invoice }));
}

/** Numeric strings become numbers; anything else (empty, "1.000,00", lists) stays as sent. */
export function parseAmount(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!NUMBER_PATTERN.test(text)) return value;
	const number = Number(text);
	return Number.isFinite(number) ? number : value;
}

function withNumbers(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	const copy: Record<string, unknown> = { ...record };
	for (const field of fields) if (field in copy) copy[field] = parseAmount(copy[field]);
	return copy;
}
