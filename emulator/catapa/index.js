// @ts-check
'use strict';
/*
 * CATAPA emulator: the BPJS Membership endpoints of CATAPA's public API and what the code reads
 * around them (docs/spec-readings.md#catapa): OAuth 2.0 client credentials with a Tenant header,
 * the employee and BPJS provider/template listings with page/size/query, the {code, message,
 * status, timestamp} error shape and a 400-per-minute rate limit answered with HTTP 429 and
 * Retry-After. Node built-ins only. This file is the server; auth.js (token, tenant, rate
 * limit), store.js (data, listings), memberships.js (Get/Update) and errors.js do the work.
 *
 *   const { startCatapaEmulator, DEMO } = require('./emulator/catapa');
 *   const emu = await startCatapaEmulator({ port: 0 });
 *   // credential: Base URL emu.url, Tenant DEMO.tenant, Client ID DEMO.clientId, Client Secret DEMO.clientSecret
 *   emu.configure({ force429: 2, retryAfterSec: 1 }); emu.stats(); emu.requests; await emu.close();
 *
 * From another process (e.g. a real n8n in e2e tests), the same controls answer JSON at
 * GET /_emulator/stats | /requests?limit=N | /state | /config and
 * POST /_emulator/config {"force429":2} | /expire-tokens | /reset.
 */

const http = require('node:http');
const { serveControl, requestLog } = require('../lib/control');
const { listen } = require('../lib/listen');
const { readStateFile, writeStateFile } = require('../lib/stateFile');
const { ApiError, errorBody } = require('./errors');
const { createAuth } = require('./auth');
const { LISTS, createState, listPage, stateJson } = require('./store');
const { MEMBERSHIP_PATH, membership } = require('./memberships');

const DEMO = Object.freeze({
	tenant: 'demo-tenant',
	clientId: 'demo-client-id',
	clientSecret: 'demo-client-secret',
});

/**
 * @param {{ port?: number, host?: string, seed?: boolean, rateLimitPerMinute?: number,
 *   tokenLifetimeSec?: number, latencyMs?: number, stateFile?: string, clients?: Array<{tenant: string, clientId: string, clientSecret: string}> }} [options]
 */
async function startCatapaEmulator(options = {}) {
	const config = {
		rateLimitPerMinute: options.rateLimitPerMinute ?? 400,
		tokenLifetimeSec: options.tokenLifetimeSec ?? 3600,
		latencyMs: options.latencyMs ?? 0,
		/** Answer the next N API calls with 429, whatever the rate (for tests). */
		force429: 0,
		/** Retry-After (seconds) sent with forced 429s; null sends none (the client must back off on its own). */
		retryAfterSec: /** @type {number | null} */ (1),
	};
	const initialConfig = { ...config };
	const clients = options.clients ?? [{ ...DEMO }];
	const seed = options.seed ?? true;

	let state = createState(seed);
	// Saved data (the `stateFile` option, set by `npm start`): restored at start, saved on change.
	const stateFile = options.stateFile;
	/** What was restored from `stateFile` (null: started empty or seeded). */
	let restored = /** @type {{ file: string, memberships: number } | null} */ (null);
	if (stateFile) {
		const saved = readStateFile(
			stateFile,
			'CATAPA',
			(d) =>
				Array.isArray(d.employees) &&
				d.healthcareMemberships instanceof Map &&
				d.manpowerMemberships instanceof Map,
		);
		if (saved) {
			state = { ...state, ...saved };
			restored = {
				file: stateFile,
				memberships: state.healthcareMemberships.size + state.manpowerMemberships.size,
			};
		}
	}
	const persist = () => {
		if (stateFile) writeStateFile(stateFile, state);
	};
	/** @type {Array<Record<string, any>>} */
	const requests = [];
	const counters = {
		tokenRequests: 0,
		requests: 0,
		rateLimited: 0,
		byEndpoint: /** @type {Record<string, number>} */ ({}),
	};
	const auth = createAuth(config, clients, counters);

	/**
	 * @param {http.ServerResponse} res
	 * @param {number} status
	 * @param {unknown} body
	 * @param {Record<string, string>} [headers]
	 */
	function send(res, status, body, headers = {}) {
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(text),
			...headers,
		});
		res.end(text);
	}

	/** @param {http.IncomingMessage} req @returns {Promise<string>} */
	function readBody(req) {
		return new Promise((resolve, reject) => {
			/** @type {Buffer[]} */
			const chunks = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			req.on('error', reject);
		});
	}

	// ------------------------------------------------------------------ control endpoints (/_emulator/…)

	/** @type {Record<string, (body: any, url: URL) => unknown>} */
	const CONTROL = {
		'GET /_emulator': () => ({ endpoints: Object.keys(CONTROL) }),
		'GET /_emulator/stats': () => emu.stats(),
		'GET /_emulator/requests': requestLog(requests),
		'GET /_emulator/state': () => stateJson(state),
		'GET /_emulator/config': () => ({ ...config }),
		'POST /_emulator/config': (body) => emu.configure(body),
		'POST /_emulator/expire-tokens': () => {
			emu.expireTokens();
			return { ok: true };
		},
		'POST /_emulator/reset': () => {
			emu.reset();
			return { ok: true };
		},
	};

	// ------------------------------------------------------------------ server

	const server = http.createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://emulator');
		const method = req.method ?? 'GET';
		const raw = await readBody(req).catch(() => '');
		// Test controls are neither logged nor counted nor rate limited.
		if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/'))
			return serveControl(CONTROL, method, url, raw, (status, body) => send(res, status, body));
		const membershipMatch = MEMBERSHIP_PATH.exec(url.pathname);
		const endpoint =
			url.pathname === '/oauth/token'
				? 'POST /oauth/token'
				: membershipMatch
					? `${method} /core/v1/employees/{employeeId}/bpjs-${membershipMatch[2]}-memberships`
					: `${method} ${url.pathname}`;
		/** @type {Record<string, any>} */
		const entry = {
			at: new Date().toISOString(),
			method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			body: raw,
			endpoint,
			status: 0,
		};
		requests.push(entry);
		counters.byEndpoint[endpoint] = (counters.byEndpoint[endpoint] ?? 0) + 1;

		if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));

		/** @type {{status: number, body: unknown, headers?: Record<string, string>}} */
		let answer;
		try {
			if (url.pathname === '/oauth/token') {
				if (method !== 'POST')
					throw new ApiError(
						405,
						'METHOD_NOT_ALLOWED',
						`Request method '${method}' is not supported`,
					);
				answer = auth.issueToken(req, raw);
			} else {
				counters.requests++;
				const grant = auth.authorize(req);
				auth.rateLimit(grant.clientId);
				const list = /** @type {Record<string, string>} */ (LISTS)[url.pathname];
				if (list && method === 'GET') {
					answer = { status: 200, body: listPage(state, list, url.searchParams) };
				} else if (membershipMatch) {
					const employeeId = decodeURIComponent(membershipMatch[1]);
					const kind = /** @type {'healthcare' | 'manpower'} */ (membershipMatch[2]);
					answer = { status: 200, body: membership(state, method, employeeId, kind, raw) };
					if (method !== 'GET') persist();
				} else {
					throw new ApiError(404, 'NOT_FOUND', `No endpoint ${method} ${url.pathname}`);
				}
			}
		} catch (error) {
			const apiError =
				error instanceof ApiError
					? error
					: new ApiError(500, 'INTERNAL_SERVER_ERROR', 'Unexpected emulator error');
			answer = { status: apiError.status, body: errorBody(apiError), headers: apiError.headers };
		}
		entry.status = answer.status;
		send(res, answer.status, answer.body, answer.headers);
	});

	const listening = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');

	const emu = {
		url: listening.url,
		port: listening.port,
		get state() {
			return state;
		},
		requests,
		restored,
		/** Counts since start or the last reset. */
		stats() {
			return { ...counters, byEndpoint: { ...counters.byEndpoint } };
		},
		/**
		 * Changes knobs while running.
		 * @param {{ rateLimitPerMinute?: number, tokenLifetimeSec?: number, latencyMs?: number,
		 *   force429?: number, retryAfterSec?: number | null }} changes
		 */
		configure(changes) {
			Object.assign(config, changes);
			return { ...config };
		},
		/** Every issued token answers 401 from now on (as after expires_in). */
		expireTokens() {
			auth.expireTokens();
		},
		/** Back to the seed data and the start knobs; forgets tokens, rate windows, the request log and the counters. */
		reset() {
			state = createState(seed);
			persist();
			auth.reset();
			requests.length = 0;
			Object.assign(counters, { tokenRequests: 0, requests: 0, rateLimited: 0, byEndpoint: {} });
			Object.assign(config, initialConfig);
		},
		close() {
			return new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve(undefined));
			});
		},
	};
	return emu;
}

module.exports = { startCatapaEmulator, DEMO };
