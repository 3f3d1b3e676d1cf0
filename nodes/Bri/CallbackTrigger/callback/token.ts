// Section 24: the provider pair check and the stateless access tokens the trigger issues.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { isRecord } from '../../../shared/json';

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

export type TokenCheck =
	{ ok: true } | { ok: false; reason: 'malformed token' | 'forged token' | 'expired token' };

/** Valid while now (in whole seconds) is before the expiry. */
export function verifyCallbackToken(key: Buffer, token: string, now: number): TokenCheck {
	const match = TOKEN_PATTERN.exec(token);
	if (!match) return { ok: false, reason: 'malformed token' };
	const head = `${match[1]}.${match[2]}`;
	const expected = Buffer.from(tokenMac(key, head), 'utf8');
	if (!timingSafeEqual(expected, Buffer.from(match[3], 'utf8')))
		return { ok: false, reason: 'forged token' };
	if (Math.floor(now / 1000) >= Number(match[1])) return { ok: false, reason: 'expired token' };
	return { ok: true };
}

function tokenMac(key: Buffer, head: string): string {
	return createHmac('sha256', key).update(head, 'utf8').digest('base64url');
}
