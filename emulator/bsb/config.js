// @ts-check
'use strict';
// The BSB emulator's settings: the demo credentials, the knobs (latency, faults, token lifetime …),
// the callback settings of the payment simulation, and the one function that checks a patch of them.
const { parseReadings } = require('./readings');

const DEMO = Object.freeze({
	consumerKey: 'demo-consumer-key',
	consumerSecret: 'demo-consumer-secret',
	providerId: 'demo-provider-id',
	callbackSecretKey: 'demo-callback-secret',
});

const KNOB_DEFAULTS = Object.freeze({
	latencyMs: 0, // added before answering every /v1/bsb call
	latencyJitterMs: 0, // plus a random 0..jitter ms (seeded PRNG)
	errorRate5xx: 0, // fraction answered 503 + HTML before the call runs (no state change)
	errorAfterCommitRate: 0, // fraction of successful calls answered 502 + HTML after the state changed
	timeoutRate: 0, // fraction held open without an answer
	timeoutHoldMs: 0, // 0: held until the client gives up or close(); else the socket is destroyed after this
	token0601Rate: 0, // fraction answered 401 0601 even with a valid token
	tokenLifetimeSec: 179999, // expires_in of new tokens
	timestampToleranceSec: 0, // 0: any well-formed BRI-Timestamp; else 0602 when off by more
	companyName: 'Demo Biller (BSB emulator)',
});
const CALLBACK_DEFAULTS = Object.freeze({
	baseUrl: /** @type {string | null} */ (null),
	// Where the access token is asked for, when not baseUrl: a second partner process behind the
	// same load balancer (queue mode: token from one webhook process, callback to another).
	tokenBaseUrl: /** @type {string | null} */ (null),
	version: 'v1',
	providerId: DEMO.providerId,
	secretKey: DEMO.callbackSecretKey,
	hmacKey: /** @type {'consumerSecret' | 'callbackSecretKey'} */ ('consumerSecret'),
	signedPathPrefix: /** @type {string | null} */ (null),
	timeoutMs: 10000,
});
const RATE_KNOBS = ['errorRate5xx', 'errorAfterCommitRate', 'timeoutRate', 'token0601Rate'];

/**
 * @typedef {{ -readonly [K in keyof typeof KNOB_DEFAULTS]: (typeof KNOB_DEFAULTS)[K] extends number ? number : string }
 *   & { callback: import('./payments').CallbackConfig, readings: import('./readings').Reading[] }} Config
 */

/**
 * Applies a patch of knobs to a config (in place), checking each value. Throws on unknown keys
 * or bad values, so a typo in a test does not silently do nothing.
 * @param {Config} config
 * @param {Record<string, any>} patch
 */
function applyKnobs(config, patch) {
	for (const [k, v] of Object.entries(patch)) {
		if (k === 'callback') {
			if (v === null || typeof v !== 'object') throw new Error('callback must be an object');
			const cb = { ...config.callback };
			for (const [ck, cv] of Object.entries(v)) {
				if (!(ck in CALLBACK_DEFAULTS)) throw new Error(`unknown callback setting: ${ck}`);
				if (ck === 'hmacKey' && cv !== 'consumerSecret' && cv !== 'callbackSecretKey')
					throw new Error("callback.hmacKey must be 'consumerSecret' or 'callbackSecretKey'");
				if (
					(ck === 'baseUrl' || ck === 'tokenBaseUrl') &&
					cv !== null &&
					!/^https?:\/\/[^/]/.test(String(cv))
				)
					throw new Error(`callback.${ck} must be an http(s) URL or null`);
				if (ck === 'timeoutMs' && !(Number(cv) > 0))
					throw new Error('callback.timeoutMs must be > 0');
				/** @type {any} */ (cb)[ck] = ck === 'timeoutMs' ? Number(cv) : cv;
			}
			config.callback = cb;
			continue;
		}
		if (k === 'readings') {
			config.readings = parseReadings(v);
			continue;
		}
		if (!(k in KNOB_DEFAULTS)) throw new Error(`unknown knob: ${k}`);
		if (k === 'companyName') {
			config.companyName = String(v);
			continue;
		}
		const n = Number(v);
		if (!Number.isFinite(n) || n < 0) throw new Error(`${k} must be a number >= 0`);
		if (RATE_KNOBS.includes(k) && n > 1) throw new Error(`${k} is a fraction from 0 to 1`);
		if (k === 'tokenLifetimeSec' && n === 0) throw new Error('tokenLifetimeSec must be > 0');
		/** @type {any} */ (config)[k] = n;
	}
}

/** Config as shown to callers: the callback secret key hidden. */
const publicConfig = (/** @type {Config} */ c) => ({
	...c,
	callback: { ...c.callback, secretKey: c.callback.secretKey ? '***' : '' },
});

/** A fresh config: every knob at its default, no readings. */
function defaultConfig() {
	return /** @type {Config} */ ({
		...KNOB_DEFAULTS,
		callback: { ...CALLBACK_DEFAULTS },
		readings: [],
	});
}

module.exports = {
	DEMO,
	KNOB_DEFAULTS,
	CALLBACK_DEFAULTS,
	applyKnobs,
	publicConfig,
	defaultConfig,
};
