// Section 25: what makes a payment callback authentic (token, timestamp, signature) and readable.
import { createHmac, timingSafeEqual } from 'node:crypto';

import { signaturePayload, signedPath } from '../../shared/signature';
import { UNAUTHORIZED, type BsbValidationErrorBody, validationErrorBody } from './answers';
import { type ReadCallback, readPaymentCallback } from './payload';
import { verifyCallbackToken } from './token';

// ---------------------------------------------------------------------------------------------
// BRI-Timestamp window

// `yyyy-MM-ddTHH:mm:ss.SSSZ` (docs/spec-readings.md#bri-api-platform). Fractions of 0–9 digits and explicit offsets are
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

// ---------------------------------------------------------------------------------------------
// The signed path

/**
 * Public Base Path as set: null when empty (the path as received is signed), '' for `/` (a proxy
 * maps the domain root onto the webhook), else `/bri` style: one leading slash, none trailing.
 */
export function publicBasePath(setting: unknown): string | null {
	const text = typeof setting === 'string' ? setting.trim() : '';
	if (text === '') return null;
	const base = text.replace(/\/+$/, '');
	return base === '' || base.startsWith('/') ? base : `/${base}`;
}

/** The path BRI signed (docs/spec-readings.md#25-callback-payment). */
export function callbackSignedPath(
	base: string | null,
	version: string,
	receivedUrl: string,
): string {
	return base === null ? signedPath(receivedUrl) : `${base}/${version}/payment/callback`;
}

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

export type CallbackAuth =
	{ ok: true; token: string; timestamp: string; signature: string } | Refusal;
/** `body`: the JSON as received, echoed in the answer; `callback`: what the items are made of. */
export type CallbackVerdict = { ok: true; body: unknown; callback: ReadCallback } | Refusal;

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
 * over the raw body (401), JSON (400 / 0012). Once those pass, the payment is accepted whatever
 * its fields say: oddities become warnings (docs/spec-readings.md#25-callback-payment).
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
	let body: unknown;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch {
		return invalid('malformed JSON', { body: ['must be JSON'] }, settings.now);
	}
	return { ok: true, body, callback: readPaymentCallback(body) };
}

/**
 * BRI-Signature over the raw body bytes (docs/spec-readings.md#signature: the raw body, not a
 * re-serialized one). BRI signs the body as UTF-8 text: bytes that are not valid UTF-8 could not
 * have been signed as sent, and decoding them lossily would let two bodies share one signature.
 * The same HMAC, key and payload are accepted in two encodings (Base64 per the recipe, hex per
 * the header tables' length 64) and over two writings of the token part (`Bearer <token>` per the
 * recipe, `Bearer<token>` per section 24's worked example); nothing else varies.
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
	const received = receivedDigest(headers.signature);
	const input = { path, verb: 'POST', token: headers.token, timestamp: headers.timestamp, body };
	// Both forms are always computed and compared, so timing does not tell them apart.
	const matches = ([' ', ''] as const).map((separator) => {
		const expected = createHmac('sha256', secret)
			.update(signaturePayload(input, separator), 'utf8')
			.digest();
		return timingSafeEqual(expected, received ?? Buffer.alloc(32));
	});
	return received !== undefined && matches.some(Boolean);
}

/** The 32 HMAC bytes of a BRI-Signature in canonical Base64 (44 characters) or hex (64). */
function receivedDigest(signature: string): Buffer | undefined {
	if (/^[0-9a-fA-F]{64}$/.test(signature)) return Buffer.from(signature, 'hex');
	if (!/^[A-Za-z0-9+/]{43}=$/.test(signature)) return undefined;
	const bytes = Buffer.from(signature, 'base64');
	// Only the one canonical text of the digest, as a string comparison would accept.
	return bytes.length === 32 && bytes.toString('base64') === signature ? bytes : undefined;
}

function singleHeader(value: HeaderValue): string | undefined {
	// A repeated header is ambiguous about what was signed: treat it as absent.
	if (typeof value !== 'string' || value === '') return undefined;
	return value;
}
