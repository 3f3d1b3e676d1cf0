// @ts-check
'use strict';
// BRI Smart Billing (BSB) emulator: a real HTTP server on 127.0.0.1, Node built-ins only.
// Serves the BRIAPI token endpoint, the 23 BSB endpoints (./routes.js) behind the gateway's
// token and signature checks, fault-injection knobs, a payment simulation that drives the
// callback flow (./payments.js), and JSON control endpoints under /_emulator/.
const http = require('node:http');
const crypto = require('node:crypto');
const { ROUTES, dispatch } = require('./routes');
const store = require('./store');
const { applyPayment, deliver, paySummary } = require('./payments');
const { seed } = require('./seed');
const { READINGS, parseReadings, shapeCallbackBody } = require('./readings');
const { briSign, safeEqual, isBriTimestamp, prng, tokenId } = require('./util');
const { serveControl, requestLog } = require('../lib/control');
const { listen } = require('../lib/listen');
const { readStateFile, writeStateFile } = require('../lib/stateFile');

const DEMO = Object.freeze({
	consumerKey: 'demo-consumer-key',
	consumerSecret: 'demo-consumer-secret',
	providerId: 'demo-provider-id',
	callbackSecretKey: 'demo-callback-secret',
});

const BSB_PREFIX = '/v1/bsb';
const TOKEN_PATH = '/oauth/client_credential/accesstoken';
const MAX_BODY_BYTES = 1024 * 1024;
const CALLBACK_LOG_LIMIT = 1000;

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

const gateway = (/** @type {string} */ code, /** @type {string} */ desc) => ({
	status: { code, desc },
});
const GATEWAY = {
	'0601': { http: 401, body: gateway('0601', 'Invalid token') },
	'0602': { http: 401, body: gateway('0602', 'Invalid signature') },
	'0603': { http: 401, body: gateway('0603', 'Client forbidden access') },
	'0109': { http: 400, body: gateway('0109', 'Invalid request parameter') },
};
const html = (/** @type {number} */ code, /** @type {string} */ text) =>
	`<html><head><title>${code} ${text}</title></head><body><center><h1>${code} ${text}</h1></center></body></html>`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

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

/** Request headers for the log, the bearer token replaced by a short id. */
function logHeaders(/** @type {http.IncomingHttpHeaders} */ headers) {
	const out = { ...headers };
	const m = /^Bearer (.+)$/.exec(String(headers.authorization || ''));
	if (headers.authorization)
		out.authorization = m ? `Bearer *** (tokenId ${tokenId(m[1])})` : '***';
	return out;
}

const codeOf = (/** @type {any} */ body) =>
	body && typeof body === 'object' ? (body.responseCode ?? body.status?.code ?? null) : null;

/**
 * Starts the emulator. See README "Emulators" for every option.
 * @param {Partial<Omit<Config, 'callback'>> & { port?: number, host?: string, consumerKey?: string, consumerSecret?: string,
 *   seed?: boolean, quiet?: boolean, randomSeed?: number, logLimit?: number, stateFile?: string,
 *   callback?: Partial<import('./payments').CallbackConfig>, readings?: string | string[] }} [options]
 */
async function startBsbEmulator(options = {}) {
	const {
		port = 0,
		host = '127.0.0.1',
		consumerKey = DEMO.consumerKey,
		consumerSecret = DEMO.consumerSecret,
		seed: withSeed = false,
		quiet = true,
		randomSeed,
		logLimit = 5000,
		stateFile,
		...knobs
	} = options;
	if (!LOOPBACK.has(host))
		throw new Error(`the BSB emulator listens on the loopback interface only, not ${host}`);

	/** @type {Config} */
	const config = { ...KNOB_DEFAULTS, callback: { ...CALLBACK_DEFAULTS }, readings: [] };
	applyKnobs(config, knobs);
	/** BSB calls left before every token is refused (POST /_emulator/expire-tokens {afterCalls}). */
	let expireAfterCalls = -1;
	let random = prng(randomSeed ?? crypto.randomInt(2 ** 31));
	const chance = (/** @type {number} */ rate) => rate > 0 && (rate >= 1 || random() < rate);

	const state = store.createState();
	/** @type {Map<string, { expiresAt: number }>} access token → expiry (epoch ms) */
	const tokens = new Map();
	const newStats = () => ({
		tokenRequests: 0,
		requests: 0,
		/** @type {Record<string, number>} */ byEndpoint: {},
		/** @type {Record<string, number>} */ rejected: { '0601': 0, '0602': 0 },
		/** @type {Record<string, number>} */ injected: { 503: 0, 502: 0, timeout: 0, '0601': 0 },
	});
	let stats = newStats();
	/** @type {Array<Record<string, any>>} */
	const requests = [];
	/** @type {Array<Record<string, any>>} */
	const callbacks = [];
	const say = (/** @type {string} */ line) => {
		if (!quiet) process.stdout.write(`[bsb] ${line}\n`);
	};

	// ------------------------------------------------------------------ saved data (stateFile)

	/** What was restored from `stateFile` (null: started empty or seeded). */
	let restored = /** @type {{ file: string, invoices: number, payments: number } | null} */ (null);
	if (stateFile) {
		const saved = readStateFile(
			stateFile,
			'BSB',
			(d) => d.state?.invoices instanceof Map && Array.isArray(d.callbacks),
		);
		if (saved) {
			const fresh = /** @type {Record<string, any>} */ (store.createState());
			for (const [k, v] of Object.entries(fresh)) {
				const got = saved.state[k];
				if (v instanceof Map ? got instanceof Map : typeof got === typeof v)
					/** @type {any} */ (state)[k] = got;
			}
			callbacks.push(...saved.callbacks);
			restored = { file: stateFile, invoices: state.invoices.size, payments: state.payments.size };
		}
	}
	/** Saves data and callbacks after every change, when `stateFile` is set. */
	const persist = () => {
		if (stateFile) writeStateFile(stateFile, { state, callbacks });
	};

	// ------------------------------------------------------------------ HTTP plumbing

	/** @param {http.ServerResponse} res @param {number} status @param {any} body */
	function send(res, status, body, contentType = 'application/json; charset=utf-8') {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {
			'Content-Type': contentType,
			'Content-Length': Buffer.byteLength(text),
		});
		res.end(text);
	}

	function logEntry(/** @type {Record<string, any>} */ entry) {
		requests.push(entry);
		if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
		return entry;
	}

	// ------------------------------------------------------------------ token endpoint

	/** POST /oauth/client_credential/accesstoken?grant_type=client_credentials, form client_id / client_secret. */
	function tokenEndpoint(
		/** @type {string} */ method,
		/** @type {URL} */ url,
		/** @type {string} */ raw,
	) {
		stats.tokenRequests++;
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

	// ------------------------------------------------------------------ gateway checks

	/**
	 * The gateway's checks, in order: bearer token known and unexpired (else 401 0601);
	 * BRI-Timestamp and BRI-Signature present (else 400 0109); timestamp `yyyy-MM-ddTHH:mm:ss.SSSZ`
	 * and, if timestampToleranceSec is set, near now (else 401 0602); signature over the path as
	 * received (no query), the verb, the token, the timestamp and the raw body (else 401 0602).
	 * @returns {keyof typeof GATEWAY | null}
	 */
	function authenticate(
		/** @type {http.IncomingHttpHeaders} */ h,
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

	/** HTTP status of a gateway refusal; section 5 lists 0601 at HTTP 200 (token0601At200). */
	const gatewayStatus = (/** @type {keyof typeof GATEWAY} */ code) =>
		code === '0601' && config.readings.includes('token0601At200') ? 200 : GATEWAY[code].http;

	// ------------------------------------------------------------------ BSB calls

	async function bsbCall(
		/** @type {http.IncomingMessage} */ req,
		/** @type {http.ServerResponse} */ res,
		/** @type {string} */ rawPath,
		/** @type {string} */ raw,
	) {
		const method = String(req.method);
		const started = Date.now();
		stats.requests++;
		const key = `${method} ${rawPath}`;
		stats.byEndpoint[key] = (stats.byEndpoint[key] || 0) + 1;
		const entry = logEntry({
			at: new Date(started).toISOString(),
			method,
			path: rawPath,
			headers: logHeaders(req.headers),
			body: raw,
			status: 0,
			responseCode: null,
		});
		const finish = (
			/** @type {number} */ status,
			/** @type {any} */ body,
			/** @type {string | undefined} */ contentType = undefined,
		) => {
			Object.assign(entry, {
				status,
				responseCode: codeOf(body),
				durationMs: Date.now() - started,
			});
			say(
				`${method} ${rawPath} → ${status} ${entry.responseCode ?? entry.injected ?? ''} (${entry.durationMs} ms)`,
			);
			send(res, status, body, contentType);
		};

		const delay =
			config.latencyMs + (config.latencyJitterMs > 0 ? random() * config.latencyJitterMs : 0);
		if (delay > 0) await new Promise((r) => setTimeout(r, delay));
		if (res.destroyed) return;

		if (chance(config.timeoutRate)) {
			stats.injected.timeout++;
			entry.injected = 'timeout';
			say(`${method} ${rawPath} → held open (injected timeout)`);
			if (config.timeoutHoldMs > 0)
				setTimeout(() => res.socket?.destroy(), config.timeoutHoldMs).unref();
			return;
		}
		if (expireAfterCalls >= 0 && expireAfterCalls-- === 0) expireTokens();
		if (chance(config.token0601Rate)) {
			stats.injected['0601']++;
			stats.rejected['0601']++;
			entry.injected = '0601';
			return finish(gatewayStatus('0601'), GATEWAY['0601'].body);
		}
		const rejected = authenticate(req.headers, method, rawPath, raw);
		if (rejected) {
			stats.rejected[rejected] = (stats.rejected[rejected] || 0) + 1;
			return finish(gatewayStatus(rejected), GATEWAY[rejected].body);
		}
		if (chance(config.errorRate5xx)) {
			stats.injected['503']++;
			entry.injected = '503';
			return finish(503, html(503, 'Service Temporarily Unavailable'), 'text/html');
		}
		const route = ROUTES[`${method} ${rawPath.slice(BSB_PREFIX.length)}`];
		// Sections 5, 7, 9 read by their method tables: POST only (docs/spec-readings.md#5-customers-get-all).
		if (route?.getAll && config.readings.includes('getAllPostOnly'))
			return finish(405, html(405, 'Method Not Allowed'), 'text/html');
		if (!route) return finish(404, gateway('0404', `No BSB endpoint ${method} ${rawPath}`));
		const reply = dispatch(route, method, raw, {
			state,
			now: new Date(),
			companyName: config.companyName,
			readings: config.readings,
		});
		if (reply.status === 200) persist();
		if (reply.status === 200 && chance(config.errorAfterCommitRate)) {
			stats.injected['502']++;
			entry.injected = '502';
			return finish(502, html(502, 'Bad Gateway'), 'text/html');
		}
		finish(reply.status, reply.body);
	}

	// ------------------------------------------------------------------ payments and callbacks

	/** The callback settings for one delivery: the configured ones with `patch` on top (checked). */
	function callbackFor(/** @type {Record<string, any> | undefined} */ patch) {
		if (!patch) return config.callback;
		const one = /** @type {Config} */ ({ callback: config.callback });
		applyKnobs(one, { callback: patch });
		return one.callback;
	}

	/**
	 * @param {import('./payments').PayInput} input
	 * @param {{ callback?: Record<string, any> }} [options] callback settings for this payment only
	 */
	async function pay(input, options = {}) {
		const cb = callbackFor(options.callback);
		const { payment, body: sampleBody } = applyPayment(state, input);
		// Serialized once more only when a reading reshapes it; these bytes are signed and sent.
		const body = shapeCallbackBody(sampleBody, config.readings);
		/** @type {Record<string, any>} */
		const record = {
			index: callbacks.length,
			at: new Date().toISOString(),
			transactionID: payment.transactionID,
			brivaNo: payment.brivaNo,
			resendOf: null,
			body,
		};
		pushCallback(record);
		persist(); // the payment stands even if the partner never answers
		await deliver(record, cb, consumerSecret, config.readings);
		persist();
		say(
			`payment ${payment.transactionID} on ${payment.brivaNo}: callback ${record.skipped ? 'skipped' : `${record.callbackStatus ?? '-'} ${record.responseCode ?? record.error ?? ''}`}`,
		);
		return { record, payment };
	}

	/** The callback record with this index (indexes stay as the log is trimmed). */
	function callbackAt(/** @type {number} */ index) {
		const record = callbacks.find((c) => c.index === index);
		if (!record)
			throw Object.assign(
				new Error(`no callback record ${index}; GET /_emulator/callbacks lists them`),
				{ status: 404 },
			);
		return record;
	}

	/** Sends a recorded callback again (same body bytes, new token, timestamp and signature). */
	async function resend(
		/** @type {number | Record<string, any> | undefined} */ which,
		/** @type {{ callback?: Record<string, any> }} */ options = {},
	) {
		const cb = callbackFor(options.callback);
		const original =
			typeof which === 'object' && which !== null
				? which
				: which === undefined
					? callbacks.at(-1)
					: callbacks.find((c) => c.index === Number(which));
		if (!original || typeof original.body !== 'string')
			throw new Error(`resend: no callback record ${JSON.stringify(which)}`);
		/** @type {Record<string, any>} */
		const record = {
			index: callbacks.length,
			at: new Date().toISOString(),
			transactionID: original.transactionID,
			brivaNo: original.brivaNo,
			resendOf: original.index,
			body: original.body,
		};
		pushCallback(record);
		await deliver(record, cb, consumerSecret, config.readings);
		persist();
		return record;
	}

	function pushCallback(/** @type {Record<string, any>} */ record) {
		record.index = (callbacks.at(-1)?.index ?? -1) + 1;
		callbacks.push(record);
		if (callbacks.length > CALLBACK_LOG_LIMIT)
			callbacks.splice(0, callbacks.length - CALLBACK_LOG_LIMIT);
	}

	// ------------------------------------------------------------------ module API

	function expireTokens() {
		const n = tokens.size;
		tokens.clear();
		expireAfterCalls = -1;
		return n;
	}

	/** Now, or (afterCalls) once that many more BSB calls have been answered: "midway" in a run. */
	function expireTokensLater(/** @type {{ afterCalls?: number }} */ opts = {}) {
		if (opts.afterCalls === undefined) return { expired: expireTokens() };
		const n = Number(opts.afterCalls);
		if (!Number.isInteger(n) || n < 0) throw new Error('afterCalls must be a whole number >= 0');
		expireAfterCalls = n;
		return { expiresAfterCalls: n };
	}

	/** Clears data, counters, the request log and callbacks; keeps tokens and (unless `knobs`) the knobs. */
	function reset(/** @type {{ seed?: boolean, knobs?: boolean }} */ opts = {}) {
		store.clearState(state);
		stats = newStats();
		requests.length = 0;
		callbacks.length = 0;
		if (opts.knobs) {
			Object.assign(config, KNOB_DEFAULTS, { callback: { ...CALLBACK_DEFAULTS }, readings: [] });
		}
		const seeded = opts.seed ? seed(state, config.companyName) : null;
		persist();
		return seeded;
	}

	function seedNow() {
		const seeded = seed(state, config.companyName);
		persist();
		return seeded;
	}

	function configure(/** @type {Record<string, any>} */ patch = {}) {
		const { randomSeed: rs, ...rest } = patch;
		const next = { ...config, callback: { ...config.callback }, readings: [...config.readings] };
		applyKnobs(next, rest); // all or nothing
		Object.assign(config, next);
		if (rs !== undefined) random = prng(Number(rs));
		return publicConfig(config);
	}

	// ------------------------------------------------------------------ control endpoints (/_emulator/…)

	/** @type {Record<string, (body: any, url: URL) => any>} */
	const CONTROL = {
		'GET /_emulator': () => ({
			endpoints: Object.keys(CONTROL),
			bsbEndpoints: Object.entries(ROUTES).map(
				([k, r]) => `${k.split(' ')[0]} ${BSB_PREFIX}${k.split(' ')[1]} (§${r.section} ${r.name})`,
			),
		}),
		'GET /_emulator/stats': () => emu.stats(),
		'GET /_emulator/requests': requestLog(requests),
		'GET /_emulator/state': () => store.stateToJson(state),
		'GET /_emulator/config': () => publicConfig(config),
		'POST /_emulator/config': (b) => configure(b),
		'POST /_emulator/expire-tokens': (b) => expireTokensLater(b),
		'GET /_emulator/readings': () => ({ on: config.readings, known: READINGS }),
		'POST /_emulator/readings': (b) => ({
			on: configure({ readings: b.readings ?? b.on ?? [] }).readings,
		}),
		'POST /_emulator/reset': (b) => ({ ok: true, seeded: reset(b) }),
		'POST /_emulator/seed': () => seedNow(),
		'POST /_emulator/pay': async (b) => {
			const { record, payment } = await pay(b, { callback: b.callback });
			return paySummary(record, payment, `${emu.url}/_emulator/callbacks/${record.index}`);
		},
		'GET /_emulator/callbacks': () => callbacks,
		'GET /_emulator/callbacks/<index>': () => {
			throw new Error('put the record index in the path, e.g. GET /_emulator/callbacks/0');
		},
		'POST /_emulator/callbacks/resend': (b) => resend(b.index, { callback: b.callback }),
	};

	// ------------------------------------------------------------------ server

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size <= MAX_BODY_BYTES) chunks.push(c);
		});
		req.on('end', () => {
			if (size > MAX_BODY_BYTES)
				return send(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
			// The raw bytes as received, decoded once; the signature is checked over exactly this.
			const raw = Buffer.concat(chunks).toString('utf8');
			// Origin-form as sent; an absolute-form target (via a proxy) loses its origin.
			const rawUrl = String(req.url || '/').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
			const rawPath = rawUrl.split(/[?#]/, 1)[0];
			const url = new URL(rawUrl, 'http://emulator.invalid');
			const method = String(req.method);
			let work;
			if (rawPath === BSB_PREFIX || rawPath.startsWith(`${BSB_PREFIX}/`))
				work = bsbCall(req, res, rawPath, raw);
			else if (rawPath === TOKEN_PATH) {
				const form = new URLSearchParams(raw);
				if (form.has('client_secret')) form.set('client_secret', '***');
				const r = tokenEndpoint(method, url, raw);
				logEntry({
					at: new Date().toISOString(),
					method,
					path: rawPath,
					headers: logHeaders(req.headers),
					body: form.toString(),
					status: r.http,
					responseCode: codeOf(r.body) ?? (r.http === 200 ? 'token' : null),
				});
				say(`${method} ${rawPath} → ${r.http}`);
				send(res, r.http, r.body);
				return;
			} else if (method === 'GET' && /^\/_emulator\/callbacks\/\d+\/?$/.test(rawPath)) {
				const index = Number(rawPath.split('/')[3]);
				work = serveControl(
					{ 'GET /_emulator/callbacks/:index': () => callbackAt(index) },
					method,
					new URL('/_emulator/callbacks/:index', url),
					raw,
					(status, body) => send(res, status, body),
				);
			} else if (rawPath === '/_emulator' || rawPath.startsWith('/_emulator/'))
				work = serveControl(CONTROL, method, url, raw, (status, body) => send(res, status, body));
			else return send(res, 404, gateway('0404', `Unknown path ${rawPath}`));
			work.catch((e) => {
				say(`internal error: ${e && e.message}`);
				if (!res.headersSent) send(res, 500, { error: 'emulator internal error' });
			});
		});
	});
	const listening = await listen(server, port, host);

	const emu = {
		url: listening.url,
		port: listening.port,
		consumerKey,
		/** Live config (read it; change it with configure()). */
		get config() {
			return config;
		},
		configure,
		stats: () => /** @type {ReturnType<typeof newStats>} */ (JSON.parse(JSON.stringify(stats))),
		get requests() {
			return requests;
		},
		get state() {
			return state;
		},
		get callbacks() {
			return callbacks;
		},
		expireTokens,
		/** `{ afterCalls: n }`: every token is refused once n more BSB calls have been answered. */
		expireTokensLater,
		/** Turns on exactly these readings (see ./readings.js); [] for the default reading. */
		setReadings: (/** @type {string | string[]} */ r) => configure({ readings: r }).readings,
		reset,
		seed: seedNow,
		/** Simulates a payment; resolves to the full callback record (see README "Emulators"). */
		pay: async (
			/** @type {import('./payments').PayInput} */ input,
			/** @type {{ callback?: Record<string, any> }} */ options = {},
		) => (await pay(input, options)).record,
		/** What was restored from `stateFile` at start (null: started empty or seeded). */
		restored,
		resend,
		/** Signs like a partner would, with this emulator's consumer secret (for tests and scripts). */
		sign: (
			/** @type {{ path: string, verb: string, token: string, timestamp: string, body: string }} */ p,
		) => briSign(consumerSecret, p),
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
	if (withSeed && !restored) emu.seed();
	return emu;
}

module.exports = { startBsbEmulator, DEMO, KNOB_DEFAULTS, CALLBACK_DEFAULTS, ROUTES, READINGS };
