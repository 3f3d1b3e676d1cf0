// BSB callbacks, BRI → partner (spec sections 24–25, NOTES.md "BSB callbacks").
// Pure functions: the trigger node does the I/O and passes the clock in.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { verifyBriSignature } from './briSignature';

/** Spec section 25, error table: 401 / 0004. Used for every authentication failure alike. */
export const UNAUTHORIZED = { responseCode: '0004', responseMessage: 'Unauthorized' } as const;
/** Spec section 24, error table: 400 / 01. */
export const INVALID_PROVIDER = {
	responseCode: '01',
	responseMessage: 'Invalid providerId or secretKey',
} as const;

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 180;
export const DEFAULT_TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_DUPLICATE_MEMORY = 1000;

export interface BsbValidationErrorBody {
	responseCode: '0012';
	responseMessage: 'Error Validation';
	errors: { error: string; issueAt: string; validationError: Record<string, string[]> };
}

/** BSB's own error envelope (NOTES.md "BSB's own envelope"), spec section 25: 400 / 0012. */
export function validationErrorBody(
	validationError: Record<string, string[]>,
	now: number,
): BsbValidationErrorBody {
	return {
		responseCode: '0012',
		responseMessage: 'Error Validation',
		errors: { error: 'Error Validation', issueAt: new Date(now).toISOString(), validationError },
	};
}

/** The success answer of spec section 25: the payload echoed under `data`. */
export function successBody(payload: unknown) {
	return { responseCode: '0000', responseMessage: 'Success', data: payload };
}

// ---------------------------------------------------------------------------------------------
// Constant-time comparison

/**
 * Compares two secrets in constant time, whatever their lengths: both sides are hashed first,
 * so timingSafeEqual always sees two 32-byte buffers and the length leaks nothing either.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const da = createHash('sha256').update(a).digest();
	const db = createHash('sha256').update(b).digest();
	return timingSafeEqual(da, db);
}

// ---------------------------------------------------------------------------------------------
// Access token endpoint (section 24)

export interface ProviderPair {
	providerId: string;
	secretKey: string;
}

/** Checks the providerId/secretKey BRI sends against the credential's; never accepts empty values. */
export function checkProviderPair(body: unknown, expected: ProviderPair): boolean {
	const record = isRecord(body) ? body : {};
	const providerId = typeof record.providerId === 'string' ? record.providerId : '';
	const secretKey = typeof record.secretKey === 'string' ? record.secretKey : '';
	// Both comparisons always run, so timing does not say which half was wrong.
	const idOk = constantTimeEqual(providerId, expected.providerId);
	const keyOk = constantTimeEqual(secretKey, expected.secretKey);
	return idOk && keyOk && expected.providerId !== '' && expected.secretKey !== '';
}

// ---------------------------------------------------------------------------------------------
// Stateless callback tokens: `<expiry>.<nonce>.<mac>`, mac = base64url(HMAC(key, expiry.nonce)).
// Nothing is stored, so tokens survive restarts and work across queue-mode webhook processes.

const TOKEN_PATTERN = /^([0-9]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * The key that signs tokens, derived from the callback secret key and bound to the provider and
 * to one trigger (its webhook ID), so a token is worth nothing to another workflow.
 */
export function callbackTokenKey(secretKey: string, providerId: string, audience: string): Buffer {
	return createHmac('sha256', secretKey)
		.update(`n8n-nodes-bri-bpjs/callback-token/v1\n${providerId}\n${audience}`, 'utf8')
		.digest();
}

export interface IssuedToken {
	accessToken: string;
	/** Seconds, as a string: the spec's `expiredIn` (section 24). */
	expiredIn: string;
	/** Epoch seconds after which the token is refused. */
	expiresAt: number;
}

export function issueCallbackToken(
	key: Buffer,
	lifetimeSeconds: number,
	now: number,
	nonce: Buffer = randomBytes(16),
): IssuedToken {
	const lifetime = Math.max(1, Math.floor(lifetimeSeconds));
	const expiresAt = Math.floor(now / 1000) + lifetime;
	const head = `${expiresAt}.${nonce.toString('base64url')}`;
	return {
		accessToken: `${head}.${tokenMac(key, head)}`,
		expiredIn: String(lifetime),
		expiresAt,
	};
}

export type TokenCheck = { ok: true } | { ok: false; reason: 'malformed token' | 'forged token' | 'expired token' };

/** Valid while now (in whole seconds) is before the expiry. */
export function verifyCallbackToken(key: Buffer, token: string, now: number): TokenCheck {
	const match = TOKEN_PATTERN.exec(token);
	if (!match) return { ok: false, reason: 'malformed token' };
	const head = `${match[1]}.${match[2]}`;
	const expected = Buffer.from(tokenMac(key, head), 'utf8');
	if (!timingSafeEqual(expected, Buffer.from(match[3], 'utf8'))) return { ok: false, reason: 'forged token' };
	if (Math.floor(now / 1000) >= Number(match[1])) return { ok: false, reason: 'expired token' };
	return { ok: true };
}

function tokenMac(key: Buffer, head: string): string {
	return createHmac('sha256', key).update(head, 'utf8').digest('base64url');
}

// ---------------------------------------------------------------------------------------------
// BRI-Timestamp window

// `yyyy-MM-ddTHH:mm:ss.SSSZ` per NOTES.md. Fractions of 0–9 digits and explicit offsets are
// read as the instant they name (the spec asks for UTC, but the instant is unambiguous and the
// signature covers the header's exact text anyway); no zone at all is refused.
const TIMESTAMP_PATTERN =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch milliseconds of a BRI-Timestamp, or undefined when it is not a real ISO 8601 instant. */
export function parseBriTimestamp(value: string): number | undefined {
	const m = TIMESTAMP_PATTERN.exec(value);
	if (!m) return undefined;
	const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
	const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
	const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	const check = new Date(utc);
	// Date.UTC rolls 2024-02-30 over to March; refuse dates that do not exist.
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== day ||
		hour > 23 ||
		minute > 59 ||
		second > 59
	) {
		return undefined;
	}
	let offsetMinutes = 0;
	if (m[8] !== 'Z') {
		const digits = m[8].replace(':', '');
		const sign = digits[0] === '-' ? -1 : 1;
		offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
	}
	return utc - offsetMinutes * 60_000;
}

/** Inside the window when |now − timestamp| ≤ tolerance: clock skew is allowed both ways. */
export function timestampWithinWindow(value: string, now: number, toleranceMs: number): boolean {
	const at = parseBriTimestamp(value);
	return at !== undefined && Math.abs(now - at) <= toleranceMs;
}

// ---------------------------------------------------------------------------------------------
// Payment callback verification (section 25)

export type HeaderValue = string | string[] | undefined;

export interface CallbackRequest {
	/** HTTP method as received. */
	method: string;
	/** The path BRI signed: as received, or the public path behind a proxy. */
	signedPath: string;
	/** Node-style headers, names in lower case. */
	headers: Record<string, HeaderValue>;
	/** The raw request body, exactly as received. */
	rawBody?: Buffer | string;
	/** Set when the caller stopped reading a body past the size limit. */
	bodyTooLarge?: boolean;
}

export interface CallbackVerifySettings {
	/** Key that signed the access tokens, see callbackTokenKey(). */
	tokenKey: Buffer;
	/** HMAC key of BRI-Signature: the Consumer Secret by default (spec, "Signature"). */
	signatureSecret: string;
	toleranceMs: number;
	maxBodyBytes: number;
	now: number;
}

export interface Refusal {
	ok: false;
	status: 400 | 401;
	body: typeof UNAUTHORIZED | BsbValidationErrorBody;
	/** Short and secret-free; for tests and debug logs. */
	reason: string;
}

export type CallbackAuth = { ok: true; token: string; timestamp: string; signature: string } | Refusal;
export type CallbackVerdict = { ok: true; payload: PaymentCallback } | Refusal;

function unauthorized(reason: string): Refusal {
	return { ok: false, status: 401, body: UNAUTHORIZED, reason };
}

function invalid(reason: string, validationError: Record<string, string[]>, now: number): Refusal {
	return { ok: false, status: 400, body: validationErrorBody(validationError, now), reason };
}

/**
 * What can be checked before the body is read: method, the three headers, the Bearer token and
 * the timestamp window. Every failure gives the same 401 answer (spec section 25: 0004), so a
 * caller learns nothing about which check failed.
 */
export function checkCallbackAuth(
	request: Pick<CallbackRequest, 'method' | 'headers'>,
	settings: Pick<CallbackVerifySettings, 'tokenKey' | 'toleranceMs' | 'now'>,
): CallbackAuth {
	if (request.method.toUpperCase() !== 'POST') return unauthorized('method is not POST');
	const authorization = singleHeader(request.headers.authorization);
	const timestamp = singleHeader(request.headers['bri-timestamp']);
	const signature = singleHeader(request.headers['bri-signature']);
	if (authorization === undefined) return unauthorized('missing Authorization header');
	if (timestamp === undefined) return unauthorized('missing BRI-Timestamp header');
	if (signature === undefined) return unauthorized('missing BRI-Signature header');

	const bearer = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
	if (!bearer) return unauthorized('Authorization is not a Bearer token');
	const token = bearer[1];
	const tokenCheck = verifyCallbackToken(settings.tokenKey, token, settings.now);
	if (!tokenCheck.ok) return unauthorized(tokenCheck.reason);

	if (!timestampWithinWindow(timestamp, settings.now, settings.toleranceMs)) {
		return unauthorized('BRI-Timestamp outside the tolerance window');
	}
	return { ok: true, token, timestamp, signature };
}

/**
 * Decides what to do with a payment callback. Order: checkCallbackAuth(), body size, signature
 * over the raw body (401), JSON and mandatory fields (400 / 0012 with validationError).
 */
export function verifyCallbackRequest(
	request: CallbackRequest,
	settings: CallbackVerifySettings,
): CallbackVerdict {
	const auth = checkCallbackAuth(request, settings);
	if (!auth.ok) return auth;

	const raw =
		request.rawBody === undefined
			? Buffer.alloc(0)
			: Buffer.isBuffer(request.rawBody)
				? request.rawBody
				: Buffer.from(request.rawBody, 'utf8');
	// Checked before hashing so a huge body costs nothing more. The caller holds a valid token
	// by now, so telling it about the limit reveals nothing.
	if (request.bodyTooLarge === true || raw.length > settings.maxBodyBytes) {
		return invalid(
			'body too large',
			{ body: [`must be at most ${settings.maxBodyBytes} bytes`] },
			settings.now,
		);
	}

	if (!verifyCallbackSignature(settings.signatureSecret, request.signedPath, auth, raw)) {
		return unauthorized('BRI-Signature does not match');
	}
	const body = raw.toString('utf8');

	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return invalid('malformed JSON', { body: ['must be a JSON object'] }, settings.now);
	}
	const validation = validatePaymentCallback(parsed);
	if (!validation.ok) return invalid('missing or invalid fields', validation.validationError, settings.now);
	return { ok: true, payload: validation.payload };
}

/**
 * BRI-Signature over the raw body bytes (spec, "Signature"; NOTES.md: the raw body, not a
 * re-serialized one). BRI signs the body as UTF-8 text: bytes that are not valid UTF-8 could not
 * have been signed as sent, and decoding them lossily would let two bodies share one signature.
 */
export function verifyCallbackSignature(
	secret: string,
	path: string,
	headers: { token: string; timestamp: string; signature: string },
	rawBody: Buffer,
): boolean {
	let body: string;
	try {
		body = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(rawBody);
	} catch {
		return false;
	}
	return verifyBriSignature(
		secret,
		{ path, verb: 'POST', token: headers.token, timestamp: headers.timestamp, body },
		headers.signature,
	);
}

function singleHeader(value: HeaderValue): string | undefined {
	// A repeated header is ambiguous about what was signed: treat it as absent.
	if (typeof value !== 'string' || value === '') return undefined;
	return value;
}

// ---------------------------------------------------------------------------------------------
// Payload validation (section 25's request table and sample)

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
const PAYMENT_REQUIRED = ['brivaNo', 'transactionDate', 'totalPaymentAmount', 'transactionID', 'paymentType'];
// Mandatory in the table, but the sample sends them empty: present, may be empty.
const PAYMENT_PRESENT = ['additionalInfo'];
const INVOICE_REQUIRED = ['referenceNumInvoice', 'referenceNumCustomer', 'referenceNumFeetype', 'amount'];
const INVOICE_PRESENT = ['discount', 'expDate'];
/** Amounts the table says are numeric; a non-number there is refused. */
const NUMERIC_REQUIRED = { payment: ['totalPaymentAmount'], invoice: ['amount'] };
const NUMBER_PATTERN = /^-?\d+(\.\d+)?$/;

export type PaymentValidation =
	| { ok: true; payload: PaymentCallback }
	| { ok: false; validationError: Record<string, string[]> };

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
			else checkFields(invoice, prefix, INVOICE_REQUIRED, INVOICE_PRESENT, NUMERIC_REQUIRED.invoice, add);
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
		else if (required.includes(field) && String(value).trim() === '') add(prefix + field, 'must not be empty');
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
const PAYMENT_FIELDS_PER_INVOICE = ['brivaNo', 'transactionID', 'transactionDate', 'paymentType', 'totalPaymentAmount'];

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

// ---------------------------------------------------------------------------------------------
// Duplicate transactionIDs: a bounded first-in-first-out list, kept by the caller (the
// workflow's static data). Pure: returns a new list, never mutates the one given.

export interface SeenTransactions {
	/** Oldest first; at most `capacity` entries. */
	ids: string[];
}

export function rememberTransaction(
	memory: unknown,
	transactionId: string,
	capacity: number,
): { duplicate: boolean; memory: SeenTransactions } {
	const ids =
		isRecord(memory) && Array.isArray(memory.ids)
			? memory.ids.filter((id): id is string => typeof id === 'string')
			: [];
	if (ids.includes(transactionId)) return { duplicate: true, memory: { ids } };
	const limit = Math.max(1, Math.floor(capacity));
	const next = [...ids, transactionId];
	return { duplicate: false, memory: { ids: next.slice(Math.max(0, next.length - limit)) } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
