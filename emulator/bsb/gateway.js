// @ts-check
'use strict';
// The BRIAPI gateway in front of BSB: the client-credentials token endpoint, and the token,
// timestamp and signature checks every /v1/bsb call passes first (docs/spec-readings.md#bri-api-platform).
const crypto = require('node:crypto');
const { briSign, safeEqual, isBriTimestamp } = require('./util');

const TOKEN_PATH = '/oauth/client_credential/accesstoken';

const gatewayBody = (/** @type {string} */ code, /** @type {string} */ desc) => ({
	status: { code, desc },
});
const GATEWAY = {
	'0601': { http: 401, body: gatewayBody('0601', 'Invalid token') },
	'0602': { http: 401, body: gatewayBody('0602', 'Invalid signature') },
	'0603': { http: 401, body: gatewayBody('0603', 'Client forbidden access') },
	'0109': { http: 400, body: gatewayBody('0109', 'Invalid request parameter') },
};

/** An HTML error page, as the portal's proxy answers some errors. */
const html = (/** @type {number} */ code, /** @type {string} */ text) =>
	`<html><head><title>${code} ${text}</title></head><body><center><h1>${code} ${text}</h1></center></body></html>`;

/**
 * The gateway of one emulator: its consumer key and secret, the tokens it issued.
 * @param {{ consumerKey: string, consumerSecret: string, config: import('./config').Config }} options
 */
function createGateway({ consumerKey, consumerSecret, config }) {
	/** @type {Map<string, { expiresAt: number }>} access token → expiry (epoch ms) */
	const tokens = new Map();

	/** POST /oauth/client_credential/accesstoken?grant_type=client_credentials, form client_id / client_secret. */
	function tokenEndpoint(
		/** @type {string} */ method,
		/** @type {URL} */ url,
		/** @type {string} */ raw,
	) {
		const form = new URLSearchParams(raw);
		const grant = url.searchParams.get('grant_type');
		const id = form.get('client_id');
		const secret = form.get('client_secret');
		if (method !== 'POST' || !grant || id === null || secret === null) return GATEWAY['0109'];
		// Both compared in constant time, whatever the first one gives.
		const good = [
			safeEqual(id, consumerKey),
			safeEqual(secret, consumerSecret),
			grant === 'client_credentials',
		].every(Boolean);
		if (!good) return GATEWAY['0603'];
		const accessToken = crypto.randomBytes(21).toString('base64url');
		const issuedAt = Date.now();
		tokens.set(accessToken, { expiresAt: issuedAt + config.tokenLifetimeSec * 1000 });
		if (tokens.size > 10000)
			for (const [t, v] of tokens) if (v.expiresAt <= issuedAt) tokens.delete(t);
		// Apigee-style answer of BRIAPI, every value a string (docs/spec-readings.md#bri-api-platform).
		return {
			http: 200,
			body: {
				refresh_token_expires_in: '0',
				organization_name: 'bri',
				token_type: 'BearerToken',
				issued_at: String(issuedAt),
				client_id: id,
				access_token: accessToken,
				application_name: 'bsb-emulator',
				scope: '',
				expires_in: String(config.tokenLifetimeSec),
				refresh_count: '0',
				status: 'approved',
			},
		};
	}

	/**
	 * The gateway's checks, in order: bearer token known and unexpired (else 401 0601);
	 * BRI-Timestamp and BRI-Signature present (else 400 0109); timestamp `yyyy-MM-ddTHH:mm:ss.SSSZ`
	 * and, if timestampToleranceSec is set, near now (else 401 0602); signature over the path as
	 * received (no query), the verb, the token, the timestamp and the raw body (else 401 0602).
	 * @returns {keyof typeof GATEWAY | null}
	 */
	function authenticate(
		/** @type {import('node:http').IncomingHttpHeaders} */ h,
		/** @type {string} */ method,
		/** @type {string} */ path,
		/** @type {string} */ raw,
	) {
		const m = /^Bearer (\S+)$/.exec(String(h.authorization || ''));
		const t = m ? tokens.get(m[1]) : undefined;
		if (!m || !t || t.expiresAt <= Date.now()) return '0601';
		const ts = h['bri-timestamp'];
		const sig = h['bri-signature'];
		if (typeof ts !== 'string' || typeof sig !== 'string') return '0109';
		if (!isBriTimestamp(ts)) return '0602';
		if (
			config.timestampToleranceSec > 0 &&
			Math.abs(Date.now() - Date.parse(ts)) > config.timestampToleranceSec * 1000
		)
			return '0602';
		const expected = briSign(consumerSecret, {
			path,
			verb: method,
			token: m[1],
			timestamp: ts,
			body: raw,
		});
		return safeEqual(expected, sig) ? null : '0602';
	}

	/** HTTP status of a refusal; section 5 lists 0601 at HTTP 200 (the token0601At200 reading). */
	const statusOf = (/** @type {keyof typeof GATEWAY} */ code) =>
		code === '0601' && config.readings.includes('token0601At200') ? 200 : GATEWAY[code].http;

	/** Forgets every token issued; returns how many there were. */
	function expireTokens() {
		const n = tokens.size;
		tokens.clear();
		return n;
	}

	return { tokenEndpoint, authenticate, statusOf, expireTokens };
}

module.exports = { TOKEN_PATH, GATEWAY, gatewayBody, html, createGateway };
