// @ts-check
'use strict';
/*
 * CATAPA emulator: the BPJS Membership endpoints of CATAPA's public API
 * (../shared/specs/catapa-bpjs-membership-api.txt) and what NOTES.md adds: OAuth 2.0 client
 * credentials with a Tenant header, the employee and BPJS provider/template listings with
 * page/size/query, the {code, message, status, timestamp} error shape and a 400-per-minute rate
 * limit answered with HTTP 429 and Retry-After. Node built-ins only.
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
const { randomBytes, randomUUID, timingSafeEqual } = require('node:crypto');
const { seedState, pensionEnd } = require('./seed');
const { serveControl, requestLog } = require('../lib/control');
const { listen } = require('../lib/listen');

const DEMO = Object.freeze({
	tenant: 'demo-tenant',
	clientId: 'demo-client-id',
	clientSecret: 'demo-client-secret',
});

const MAX_PAGE_SIZE = 50;
const WINDOW_MS = 60_000;

const LISTS = {
	'/core/v1/employees': 'employees',
	'/core/v1/bpjs-healthcare-providers': 'healthcareProviders',
	'/core/v1/bpjs-healthcare-templates': 'healthcareTemplates',
	'/core/v1/bpjs-manpower-providers': 'manpowerProviders',
	'/core/v1/bpjs-manpower-templates': 'manpowerTemplates',
};

const MEMBERSHIP_PATH = /^\/core\/v1\/employees\/([^/]+)\/bpjs-(healthcare|manpower)-memberships$/;

/** An HTTP answer with CATAPA's error body. */
class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, code, message, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

/** @param {unknown} a @param {unknown} b */
function sameSecret(a, b) {
	const x = Buffer.from(String(a ?? ''));
	const y = Buffer.from(String(b ?? ''));
	return x.length === y.length && timingSafeEqual(x, y);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** @param {unknown} value */
function isDate(value) {
	if (typeof value !== 'string') return false;
	const m = DATE.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return (
		d.getUTCFullYear() === Number(m[1]) &&
		d.getUTCMonth() === Number(m[2]) - 1 &&
		d.getUTCDate() === Number(m[3])
	);
}

/**
 * @param {{ port?: number, host?: string, seed?: boolean, rateLimitPerMinute?: number,
 *   tokenLifetimeSec?: number, latencyMs?: number, clients?: Array<{tenant: string, clientId: string, clientSecret: string}> }} [options]
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

	const empty = () => ({
		employees: [],
		healthcareProviders: [],
		healthcareTemplates: [],
		manpowerProviders: [],
		manpowerTemplates: [],
		healthcareMemberships: new Map(),
		manpowerMemberships: new Map(),
	});
	/** @type {ReturnType<typeof seedState>} */
	let state = seed ? seedState() : /** @type {any} */ (empty());
	/** @type {Map<string, {tenant: string, clientId: string, expiresAt: number}>} */
	let tokens = new Map();
	/** @type {Map<string, number[]>} API call times per client, for the per-minute limit. */
	let windows = new Map();
	/** @type {Array<Record<string, any>>} */
	const requests = [];
	let counters = {
		tokenRequests: 0,
		requests: 0,
		rateLimited: 0,
		byEndpoint: /** @type {Record<string, number>} */ ({}),
	};

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

	/** @param {ApiError} error */
	function errorBody(error) {
		return {
			code: error.code,
			message: error.message,
			status: error.status,
			timestamp: new Date().toISOString(),
		};
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

	// ------------------------------------------------------------------ token endpoint

	/** @param {http.IncomingMessage} req @param {string} raw */
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

	/** @param {http.IncomingMessage} req */
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

	/** Sliding one-minute window per client (NOTES.md: 400 requests per minute per client). */
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

	/**
	 * @param {string} list
	 * @param {URLSearchParams} query
	 */
	function listPage(list, query) {
		const page = query.has('page') ? Number(query.get('page')) : 0;
		const size = query.has('size') ? Number(query.get('size')) : 20;
		if (!Number.isInteger(page) || page < 0)
			throw new ApiError(400, 'BAD_REQUEST', 'page must be an integer from 0');
		if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
			throw new ApiError(400, 'BAD_REQUEST', `size must be an integer from 1 to ${MAX_PAGE_SIZE}`);
		}
		/** @type {Array<Record<string, any>>} */
		let rows = /** @type {any} */ (state)[list];
		const search = (query.get('query') ?? '').trim();
		if (search !== '') {
			// `field:text` (e.g. name:John Doe), case-insensitive "contains"; bare text searches names.
			const colon = search.indexOf(':');
			const field = colon < 0 ? 'name' : search.slice(0, colon).trim();
			const text = (colon < 0 ? search : search.slice(colon + 1)).trim().toLowerCase();
			if (!['name', 'code', 'identificationNo', 'email'].includes(field)) {
				throw new ApiError(400, 'BAD_REQUEST', `Unsupported query field: ${field}`);
			}
			rows = rows.filter((row) =>
				String(row[field] ?? '')
					.toLowerCase()
					.includes(text),
			);
		}
		const content = rows.slice(page * size, page * size + size);
		return {
			content,
			number: page,
			size,
			numberOfElements: content.length,
			totalElements: rows.length,
			totalPages: Math.ceil(rows.length / size),
			first: page === 0,
			last: (page + 1) * size >= rows.length,
		};
	}

	/** Response fields of the spec's "Get/Update BPJS Healthcare Membership". */
	function healthcareView(/** @type {any} */ m) {
		return {
			id: m.id,
			employeeId: m.employeeId,
			membershipNumber: m.membershipNumber,
			startDate: m.startDate,
			endDate: m.endDate,
			effectiveDate: m.effectiveDate,
			firstLevelHealthcareFacility: m.firstLevelHealthcareFacility,
			dentalHealthcareFacility: m.dentalHealthcareFacility,
		};
	}

	/** Response fields of the spec's "Get/Update BPJS Manpower Membership". */
	function manpowerView(/** @type {any} */ m) {
		return {
			id: m.id,
			membershipNumber: m.membershipNumber,
			startDate: m.startDate,
			endDate: m.endDate,
			effectiveDate: m.effectiveDate,
			pensionEnd: m.pensionEnd,
		};
	}

	/** @param {any} body @param {string} field */
	function requireText(body, field) {
		const value = body[field];
		if (typeof value !== 'string' || value.trim() === '') {
			throw new ApiError(400, 'BAD_REQUEST', `${field} must not be blank`);
		}
		return value;
	}

	/** @param {any} body @param {string} field */
	function optionalText(body, field) {
		const value = body[field];
		if (value === undefined || value === null) return null;
		if (typeof value !== 'string')
			throw new ApiError(400, 'BAD_REQUEST', `${field} must be a string`);
		return value;
	}

	/** @param {any} body */
	function dates(body) {
		const startDate = requireText(body, 'startDate');
		if (!isDate(startDate))
			throw new ApiError(400, 'BAD_REQUEST', 'startDate must be a date in yyyy-MM-dd format');
		const effectiveDate = optionalText(body, 'effectiveDate');
		if (effectiveDate !== null && !isDate(effectiveDate)) {
			throw new ApiError(400, 'BAD_REQUEST', 'effectiveDate must be a date in yyyy-MM-dd format');
		}
		if (effectiveDate !== null && effectiveDate < startDate) {
			throw new ApiError(400, 'BAD_REQUEST', 'effectiveDate must not be before startDate');
		}
		// Spec: "Effective Date ... default to start date".
		return { startDate, effectiveDate: effectiveDate ?? startDate };
	}

	/**
	 * @param {string} list
	 * @param {string} id
	 * @param {string} code
	 * @param {string} field
	 */
	function mustExist(list, id, code, field) {
		if (!(/** @type {any} */ (state)[list].some((/** @type {any} */ row) => row.id === id))) {
			throw new ApiError(400, code, `${field} ${id} does not exist`);
		}
	}

	/**
	 * @param {string} method
	 * @param {string} employeeId
	 * @param {'healthcare' | 'manpower'} kind
	 * @param {string} raw
	 */
	function membership(method, employeeId, kind, raw) {
		const employee = state.employees.find((e) => e.id === employeeId);
		if (!employee)
			throw new ApiError(404, 'EMPLOYEE_NOT_FOUND', `Employee ${employeeId} not found`);
		const store = kind === 'healthcare' ? state.healthcareMemberships : state.manpowerMemberships;
		const view = kind === 'healthcare' ? healthcareView : manpowerView;
		if (method === 'GET') {
			const current = store.get(employeeId);
			if (!current) {
				throw new ApiError(
					404,
					`BPJS_${kind.toUpperCase()}_MEMBERSHIP_NOT_FOUND`,
					`Employee ${employeeId} has no BPJS ${kind} membership`,
				);
			}
			return view(current);
		}
		if (method !== 'PUT')
			throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Request method '${method}' is not supported`);
		/** @type {any} */
		let body;
		try {
			body = JSON.parse(raw);
		} catch {
			throw new ApiError(400, 'BAD_REQUEST', 'Request body is not valid JSON');
		}
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			throw new ApiError(400, 'BAD_REQUEST', 'Request body must be a JSON object');
		}
		const previous = store.get(employeeId);
		/** @type {any} */
		let next;
		if (kind === 'healthcare') {
			const providerId = requireText(body, 'bpjsHealthcareProviderId');
			const templateId = requireText(body, 'bpjsHealthcareTemplateId');
			const membershipNumber = requireText(body, 'membershipNumber');
			const { startDate, effectiveDate } = dates(body);
			mustExist(
				'healthcareProviders',
				providerId,
				'BPJS_HEALTHCARE_PROVIDER_NOT_FOUND',
				'bpjsHealthcareProviderId',
			);
			mustExist(
				'healthcareTemplates',
				templateId,
				'BPJS_HEALTHCARE_TEMPLATE_NOT_FOUND',
				'bpjsHealthcareTemplateId',
			);
			const family = body.additionalFamilyMemberships;
			if (
				family !== undefined &&
				family !== null &&
				(!Array.isArray(family) || family.some((f) => !f || typeof f !== 'object'))
			) {
				throw new ApiError(
					400,
					'BAD_REQUEST',
					'additionalFamilyMemberships must be an array of objects',
				);
			}
			next = {
				id: previous?.id ?? randomUUID(),
				employeeId,
				bpjsHealthcareProviderId: providerId,
				bpjsHealthcareTemplateId: templateId,
				bpjsHealthcareTreatmentClassId: optionalText(body, 'bpjsHealthcareTreatmentClassId'),
				membershipNumber,
				startDate,
				endDate: previous?.endDate ?? null,
				effectiveDate,
				firstLevelHealthcareFacility: optionalText(body, 'firstLevelHealthcareFacility'),
				dentalHealthcareFacility: optionalText(body, 'dentalHealthcareFacility'),
				additionalFamilyMemberships: family ?? [],
			};
		} else {
			const providerId = requireText(body, 'bpjsManpowerProviderId');
			const templateId = requireText(body, 'bpjsManpowerTemplateId');
			const { startDate, effectiveDate } = dates(body);
			mustExist(
				'manpowerProviders',
				providerId,
				'BPJS_MANPOWER_PROVIDER_NOT_FOUND',
				'bpjsManpowerProviderId',
			);
			mustExist(
				'manpowerTemplates',
				templateId,
				'BPJS_MANPOWER_TEMPLATE_NOT_FOUND',
				'bpjsManpowerTemplateId',
			);
			next = {
				id: previous?.id ?? randomUUID(),
				employeeId,
				bpjsManpowerProviderId: providerId,
				bpjsManpowerTemplateId: templateId,
				// Optional in the spec; keep the number on file when the update leaves it out.
				membershipNumber:
					optionalText(body, 'membershipNumber') ?? previous?.membershipNumber ?? null,
				startDate,
				endDate: previous?.endDate ?? null,
				effectiveDate,
				pensionEnd: pensionEnd(employee.birthDate),
			};
		}
		store.set(employeeId, next);
		return view(next);
	}

	// ------------------------------------------------------------------ control endpoints (/_emulator/…)

	/** Plain JSON copy of the state (Maps become objects). */
	function stateJson() {
		return {
			...state,
			healthcareMemberships: Object.fromEntries(state.healthcareMemberships),
			manpowerMemberships: Object.fromEntries(state.manpowerMemberships),
		};
	}

	/** @type {Record<string, (body: any, url: URL) => unknown>} */
	const CONTROL = {
		'GET /_emulator': () => ({ endpoints: Object.keys(CONTROL) }),
		'GET /_emulator/stats': () => emu.stats(),
		'GET /_emulator/requests': requestLog(requests),
		'GET /_emulator/state': () => stateJson(),
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
				answer = issueToken(req, raw);
			} else {
				counters.requests++;
				const grant = authorize(req);
				rateLimit(grant.clientId);
				const list = /** @type {Record<string, string>} */ (LISTS)[url.pathname];
				if (list && method === 'GET') {
					answer = { status: 200, body: listPage(list, url.searchParams) };
				} else if (membershipMatch) {
					const employeeId = decodeURIComponent(membershipMatch[1]);
					const kind = /** @type {'healthcare' | 'manpower'} */ (membershipMatch[2]);
					answer = { status: 200, body: membership(method, employeeId, kind, raw) };
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
			for (const grant of tokens.values()) grant.expiresAt = 0;
		},
		/** Back to the seed data and the start knobs; forgets tokens, rate windows, the request log and the counters. */
		reset() {
			state = seed ? seedState() : /** @type {any} */ (empty());
			tokens = new Map();
			windows = new Map();
			requests.length = 0;
			counters = { tokenRequests: 0, requests: 0, rateLimited: 0, byEndpoint: {} };
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
