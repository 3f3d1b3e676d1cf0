// @ts-check
'use strict';
// OAuth 2.0 client credentials with a Tenant header, bearer tokens checked per tenant, and the
// per-client rate limit answered with 429 and Retry-After (docs/spec-readings.md#catapa).
const { randomBytes, timingSafeEqual } = require('node:crypto');
const { ApiError } = require('./errors');

const WINDOW_MS = 60_000;

/** @param {unknown} a @param {unknown} b */
function sameSecret(a, b) {
	const x = Buffer.from(String(a ?? ''));
	const y = Buffer.from(String(b ?? ''));
	return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Tokens and rate windows of one emulator; `config` and `counters` are the emulator's own
 * (read live, so configure() applies at once).
 * @param {{ tokenLifetimeSec: number, rateLimitPerMinute: number, force429: number, retryAfterSec: number | null }} config
 * @param {Array<{tenant: string, clientId: string, clientSecret: string}>} clients
 * @param {{ tokenRequests: number, rateLimited: number }} counters
 */
function createAuth(config, clients, counters) {
	/** @type {Map<string, {tenant: string, clientId: string, expiresAt: number}>} */
	let tokens = new Map();
	/** @type {Map<string, number[]>} API call times per client, for the per-minute limit. */
	let windows = new Map();

	/** @param {import('node:http').IncomingMessage} req @param {string} raw */
	function issueToken(req, raw) {
		counters.tokenRequests++;
		const auth = String(req.headers.authorization ?? '');
		if (!auth.startsWith('Basic ')) {
			return {
				status: 401,
				body: {
					error: 'unauthorized',
					error_description: 'Full authentication is required to access this resource',
				},
			};
		}
		const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const clientId = colon < 0 ? decoded : decoded.slice(0, colon);
		const clientSecret = colon < 0 ? '' : decoded.slice(colon + 1);
		const tenant = String(req.headers.tenant ?? '').trim();
		if (tenant === '') {
			return {
				status: 400,
				body: { error: 'invalid_request', error_description: 'Missing Tenant header' },
			};
		}
		const client = clients.find((c) => c.tenant === tenant && c.clientId === clientId);
		if (!client || !sameSecret(client.clientSecret, clientSecret)) {
			return {
				status: 401,
				body: { error: 'invalid_client', error_description: 'Bad client credentials' },
			};
		}
		const form = new URLSearchParams(raw);
		if (form.get('grant_type') !== 'client_credentials') {
			return {
				status: 400,
				body: {
					error: 'unsupported_grant_type',
					error_description: `Unsupported grant type: ${form.get('grant_type') ?? ''}`,
				},
			};
		}
		const token = randomBytes(24).toString('hex');
		tokens.set(token, { tenant, clientId, expiresAt: Date.now() + config.tokenLifetimeSec * 1000 });
		return {
			status: 200,
			body: {
				access_token: token,
				token_type: 'bearer',
				expires_in: config.tokenLifetimeSec,
				scope: 'read write',
			},
		};
	}

	// ------------------------------------------------------------------ API

	/** @param {import('node:http').IncomingMessage} req */
	function authorize(req) {
		const auth = String(req.headers.authorization ?? '');
		const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
		const grant = tokens.get(token);
		if (!grant)
			throw new ApiError(
				401,
				'UNAUTHORIZED',
				'Full authentication is required to access this resource',
			);
		if (grant.expiresAt <= Date.now())
			throw new ApiError(401, 'UNAUTHORIZED', 'Access token expired');
		const tenant = String(req.headers.tenant ?? '').trim();
		if (tenant === '') throw new ApiError(400, 'TENANT_REQUIRED', 'Tenant header is required');
		if (tenant !== grant.tenant) {
			throw new ApiError(403, 'FORBIDDEN', `Access token was not issued for tenant ${tenant}`);
		}
		return grant;
	}

	/** Sliding one-minute window per client (400 requests a minute per client: docs/spec-readings.md#catapa). */
	function rateLimit(/** @type {string} */ clientId) {
		const now = Date.now();
		if (config.force429 > 0) {
			config.force429--;
			counters.rateLimited++;
			/** @type {Record<string, string>} */
			const headers =
				config.retryAfterSec === null ? {} : { 'Retry-After': String(config.retryAfterSec) };
			throw new ApiError(
				429,
				'TOO_MANY_REQUESTS',
				'Too many requests, please try again later',
				headers,
			);
		}
		const times = (windows.get(clientId) ?? []).filter((t) => t > now - WINDOW_MS);
		windows.set(clientId, times);
		if (times.length >= config.rateLimitPerMinute) {
			counters.rateLimited++;
			const retryAfter = Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000));
			throw new ApiError(
				429,
				'TOO_MANY_REQUESTS',
				`Rate limit of ${config.rateLimitPerMinute} requests per minute exceeded`,
				{ 'Retry-After': String(retryAfter) },
			);
		}
		times.push(now);
	}

	return {
		issueToken,
		authorize,
		rateLimit,
		/** Every issued token answers 401 from now on (as after expires_in). */
		expireTokens() {
			for (const grant of tokens.values()) grant.expiresAt = 0;
		},
		/** Forgets tokens and rate windows. */
		reset() {
			tokens = new Map();
			windows = new Map();
		},
	};
}

module.exports = { createAuth };
