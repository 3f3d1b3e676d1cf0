// BRI API request signing (BRIAPI platform; BSB spec "Signature - How to create signature",
// between sections 24 and 25; docs/spec-readings.md#signature). Pure functions, no I/O.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignatureInput {
	/** URL path after host and port, with the /v1/bsb prefix, without the query string. */
	path: string;
	/** HTTP method; upper-cased before signing. */
	verb: string;
	/** The access token alone, without the "Bearer " prefix. */
	token: string;
	/** BRI-Timestamp header value, see briTimestamp(). */
	timestamp: string;
	/** The exact body string sent on the wire; '' when there is no body. */
	body: string;
}

/** `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, exactly three millisecond digits. */
export function briTimestamp(date: Date = new Date()): string {
	// toISOString always gives three ms digits and a Z; years past 9999 would add a sign.
	return date.toISOString();
}

/**
 * The string that is signed: `path=…&verb=…&token=Bearer …&timestamp=…&body=…`. `separator` sits
 * between "Bearer" and the token: one space per the recipe; '' only to verify inbound callbacks
 * signed as section 24's worked example writes it (docs/spec-readings.md#signature).
 */
export function signaturePayload(input: SignatureInput, separator: ' ' | '' = ' '): string {
	return (
		`path=${input.path}&verb=${input.verb.toUpperCase()}&token=Bearer${separator}${input.token}` +
		`&timestamp=${input.timestamp}&body=${input.body}`
	);
}

/** BRI-Signature = Base64(HMAC-SHA256(secret, payload)), the payload hashed as UTF-8. */
export function briSignature(secret: string, input: SignatureInput): string {
	return createHmac('sha256', secret).update(signaturePayload(input), 'utf8').digest('base64');
}

/** Constant-time check of a received BRI-Signature; false for any malformed value. */
export function verifyBriSignature(
	secret: string,
	input: SignatureInput,
	received: string,
): boolean {
	if (typeof received !== 'string' || received.length === 0 || received.length > 512) return false;
	const expected = Buffer.from(briSignature(secret, input), 'utf8');
	const given = Buffer.from(received, 'utf8');
	// Compare equal-length buffers only; a length mismatch still costs one comparison.
	if (given.length !== expected.length) {
		timingSafeEqual(expected, expected);
		return false;
	}
	return timingSafeEqual(expected, given);
}

/**
 * The headers that authenticate one BSB request: the bearer token, BRI-Timestamp and a
 * BRI-Signature over exactly `body` (the string sent on the wire, '' for none).
 */
export function briAuthHeaders(
	secret: string,
	request: { url: string; verb: string; token: string; body: string },
	timestamp: string = briTimestamp(),
): Record<'Authorization' | 'BRI-Timestamp' | 'BRI-Signature', string> {
	const { url, verb, token, body } = request;
	return {
		Authorization: `Bearer ${token}`,
		'BRI-Timestamp': timestamp,
		'BRI-Signature': briSignature(secret, { path: signedPath(url), verb, token, timestamp, body }),
	};
}

/** The path part BRI signs: after host and port, no query string, no fragment. */
export function signedPath(url: string): string {
	const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
	const path = withoutOrigin.split(/[?#]/, 1)[0];
	return path === '' ? '/' : path;
}
