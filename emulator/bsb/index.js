// @ts-check
'use strict';
// BRI Smart Billing (BSB) emulator: a real HTTP server on 127.0.0.1, Node built-ins only.
// Serves the BRIAPI token endpoint and the 23 BSB endpoints (./routes.js) behind the gateway's
// token and signature checks (./gateway.js), with fault-injection knobs (./config.js), a payment
// simulation that drives the callback flow (./callbackLog.js, ./payments.js), and JSON control
// endpoints under /_emulator/. This file holds the server, the BSB call path and the controls.
const http = require('node:http');
const crypto = require('node:crypto');
const { ROUTES, dispatch } = require('./routes');
const store = require('./store');
const { paySummary } = require('./payments');
const { seed } = require('./seed');
const { READINGS } = require('./readings');
const { briSign, prng, tokenId } = require('./util');
const {
	DEMO,
	KNOB_DEFAULTS,
	CALLBACK_DEFAULTS,
	applyKnobs,
	publicConfig,
	defaultConfig,
} = require('./config');
const { TOKEN_PATH, GATEWAY, gatewayBody, html, createGateway } = require('./gateway');
const { createCallbackLog } = require('./callbackLog');
const { serveControl, requestLog } = require('../lib/control');
const { listen } = require('../lib/listen');
const { readStateFile, writeStateFile } = require('../lib/stateFile');

const BSB_PREFIX = '/v1/bsb';
const MAX_BODY_BYTES = 1024 * 1024;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

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
 * @param {Partial<Omit<import('./config').Config, 'callback'>> & { port?: number, host?: string, consumerKey?: string, consumerSecret?: string,
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

	const config = defaultConfig();
	applyKnobs(config, knobs);
	/** BSB calls left before every token is refused (POST /_emulator/expire-tokens {afterCalls}). */
	let expireAfterCalls = -1;
	let random = prng(randomSeed ?? crypto.randomInt(2 ** 31));
	const chance = (/** @type {number} */ rate) => rate > 0 && (rate >= 1 || random() < rate);

	const state = store.createState();
	const gateway = createGateway({ consumerKey, consumerSecret, config });
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
			return finish(gateway.statusOf('0601'), GATEWAY['0601'].body);
		}
		const rejected = gateway.authenticate(req.headers, method, rawPath, raw);
		if (rejected) {
			stats.rejected[rejected] = (stats.rejected[rejected] || 0) + 1;
			return finish(gateway.statusOf(rejected), GATEWAY[rejected].body);
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
		if (!route) return finish(404, gatewayBody('0404', `No BSB endpoint ${method} ${rawPath}`));
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

	const { pay, callbackAt, resend } = createCallbackLog({
		state,
		config,
		consumerSecret,
		callbacks,
		persist,
		say,
	});

	// ------------------------------------------------------------------ module API

	function expireTokens() {
		expireAfterCalls = -1;
		return gateway.expireTokens();
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
				stats.tokenRequests++;
				const r = gateway.tokenEndpoint(method, url, raw);
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
			else return send(res, 404, gatewayBody('0404', `Unknown path ${rawPath}`));
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
