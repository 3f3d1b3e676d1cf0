// @ts-check
'use strict';
// Small helpers shared by the BSB emulator: BRI signature (written here with node:crypto,
// independently of the package's own code), Jakarta clock, a seeded PRNG, outbound HTTP.
const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

/**
 * The signed string of the BRIAPI platform (docs/spec-readings.md#signature):
 * `path=<PATH>&verb=<VERB>&token=Bearer <TOKEN>&timestamp=<TS>&body=<BODY>`; `separator` ''
 * writes the token part as the worked example does, `Bearer<TOKEN>`.
 * @param {{ path: string, verb: string, token: string, timestamp: string, body: string }} p
 * @param {' ' | ''} [separator]
 */
function signaturePayload(p, separator = ' ') {
	return `path=${p.path}&verb=${p.verb.toUpperCase()}&token=Bearer${separator}${p.token}&timestamp=${p.timestamp}&body=${p.body}`;
}

/**
 * BRI-Signature = Base64(HMAC-SHA256(secret, payload)), payload hashed as UTF-8; `encoding`
 * 'hex' gives the 64 hex digits the header tables' length suggests.
 * @param {string} secret
 * @param {{ path: string, verb: string, token: string, timestamp: string, body: string }} p
 * @param {{ separator?: ' ' | '', encoding?: 'base64' | 'hex' }} [form]
 */
function briSign(secret, p, form = {}) {
	return crypto
		.createHmac('sha256', secret)
		.update(signaturePayload(p, form.separator ?? ' '), 'utf8')
		.digest(form.encoding ?? 'base64');
}

/** Constant-time string comparison; false for different lengths. */
function safeEqual(/** @type {string} */ a, /** @type {string} */ b) {
	const x = Buffer.from(String(a), 'utf8');
	const y = Buffer.from(String(b), 'utf8');
	if (x.length !== y.length) {
		crypto.timingSafeEqual(x, x);
		return false;
	}
	return crypto.timingSafeEqual(x, y);
}

const BRI_TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `yyyy-MM-ddTHH:mm:ss.SSSZ`, UTC, a real instant. */
function isBriTimestamp(/** @type {unknown} */ s) {
	if (typeof s !== 'string' || !BRI_TIMESTAMP_RE.test(s)) return false;
	const t = Date.parse(s);
	return !Number.isNaN(t) && new Date(t).toISOString() === s;
}

// Asia/Jakarta is UTC+7 all year (no daylight saving), so a fixed offset is exact.
const JAKARTA_OFFSET_MS = 7 * 3600 * 1000;

/** Jakarta wall clock: `{ date: 'yyyy-MM-dd', dateTime: 'yyyy-MM-dd HH:mm:ss' }`. */
function jakarta(/** @type {Date} */ at = new Date()) {
	const iso = new Date(at.getTime() + JAKARTA_OFFSET_MS).toISOString();
	return { date: iso.slice(0, 10), dateTime: `${iso.slice(0, 10)} ${iso.slice(11, 19)}` };
}

/** Whole days from date a to date b, both `yyyy-MM-dd`. */
function daysBetween(/** @type {string} */ a, /** @type {string} */ b) {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/** Deterministic PRNG (mulberry32), so tests and benchmarks can replay fault patterns. */
function prng(/** @type {number} */ seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Short, non-reversible id of a token, so logs can tell tokens apart without holding them. */
function tokenId(/** @type {string} */ token) {
	return crypto.createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/**
 * POST a string body; resolves `{ status, text }`, rejects on network error or timeout.
 * A fresh connection per call (agent: false), so partners' test servers close promptly.
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {string} body
 * @param {number} timeoutMs
 * @returns {Promise<{ status: number, text: string }>}
 */
function postText(url, headers, body, timeoutMs) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const lib = u.protocol === 'https:' ? https : http;
		const req = lib.request(
			u,
			{
				method: 'POST',
				agent: false,
				headers: {
					...headers,
					'Content-Length': String(Buffer.byteLength(body, 'utf8')),
					Connection: 'close',
				},
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode || 0, text: Buffer.concat(chunks).toString('utf8') }),
				);
				res.on('error', reject);
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body, 'utf8');
	});
}

/** JSON.parse that returns undefined instead of throwing. */
function tryJson(/** @type {string} */ text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

module.exports = {
	signaturePayload,
	briSign,
	safeEqual,
	isBriTimestamp,
	jakarta,
	daysBetween,
	prng,
	tokenId,
	postText,
	tryJson,
};
