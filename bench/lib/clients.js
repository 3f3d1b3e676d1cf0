// What runs outside n8n: the bare Node.js HTTP client loop (the limit for bulk invoicing) and
// the sender of payment callbacks. Plain node:http with keep-alive, 127.0.0.1 only.
'use strict';

const http = require('node:http');
const { createHmac } = require('node:crypto');

function post(agent, url, headers, body) {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		if (target.hostname !== '127.0.0.1')
			return reject(new Error(`bench traffic stays on 127.0.0.1, not ${target.hostname}`));
		const req = http.request(
			{
				agent,
				host: target.hostname,
				port: target.port,
				path: target.pathname + target.search,
				method: 'POST',
				headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
				);
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

function briSign(secret, { path, verb, token, timestamp, body }) {
	return createHmac('sha256', secret)
		.update(
			`path=${path}&verb=${verb}&token=Bearer ${token}&timestamp=${timestamp}&body=${body}`,
			'utf8',
		)
		.digest('base64');
}

/** Runs `count` jobs with `concurrency` workers; job(i) returns a promise. */
async function pool(count, concurrency, job) {
	let next = 0;
	const worker = async () => {
		while (next < count) await job(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * The bare loop: one token, then `count` signed invoice creates, `concurrency` at a time.
 * Returns { ms, ok, failed }.
 */
async function bareInvoiceLoop({ bsbUrl, consumerKey, consumerSecret, count, concurrency, runId }) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const started = performance.now();
	const form = new URLSearchParams({
		client_id: consumerKey,
		client_secret: consumerSecret,
	}).toString();
	const tokenAnswer = await post(
		agent,
		`${bsbUrl}/oauth/client_credential/accesstoken?grant_type=client_credentials`,
		{ 'Content-Type': 'application/x-www-form-urlencoded' },
		form,
	);
	const token = JSON.parse(tokenAnswer.text).access_token;
	let ok = 0;
	let failed = 0;
	await pool(count, concurrency, async (i) => {
		const body = JSON.stringify({
			referenceNumInvoice: `B${runId}-${String(i).padStart(5, '0')}`,
			referenceNumCustomer: 'CUST001',
			referenceNumFeetype: 'IPL001',
			amount: String(100000 + i),
			expDate: '2030-12-31',
		});
		const timestamp = new Date().toISOString();
		const signature = briSign(consumerSecret, {
			path: '/v1/bsb/invoice',
			verb: 'POST',
			token,
			timestamp,
			body,
		});
		const answer = await post(
			agent,
			`${bsbUrl}/v1/bsb/invoice`,
			{
				'Content-Type': 'application/json',
				Authorization: `Bearer ${token}`,
				'BRI-Timestamp': timestamp,
				'BRI-Signature': signature,
			},
			body,
		);
		if (answer.status === 200 && JSON.parse(answer.text).responseCode === '0000') ok++;
		else failed++;
	});
	const ms = performance.now() - started;
	agent.destroy();
	return { ms, ok, failed };
}

/**
 * Sends payment callbacks as BRI does (section 25): signed POSTs with a bearer token, `inFlight`
 * at a time. `bodies[i]` is the raw JSON; `secret` signs (a wrong one forges). Returns the
 * latency of each request (ms) and the HTTP statuses seen.
 */
async function sendCallbacks({ url, token, bodies, secret, inFlight }) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
	const path = new URL(url).pathname;
	const latencies = new Array(bodies.length);
	const statuses = {};
	const started = performance.now();
	await pool(bodies.length, inFlight, async (i) => {
		const body = bodies[i];
		const timestamp = new Date().toISOString();
		const signature = briSign(secret, { path, verb: 'POST', token, timestamp, body });
		const t0 = performance.now();
		const answer = await post(
			agent,
			url,
			{
				'Content-Type': 'application/json',
				Authorization: `Bearer ${token}`,
				'BRI-Timestamp': timestamp,
				'BRI-Signature': signature,
			},
			body,
		);
		latencies[i] = performance.now() - t0;
		statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
	});
	const ms = performance.now() - started;
	agent.destroy();
	return { ms, latencies, statuses };
}

module.exports = { post, briSign, pool, bareInvoiceLoop, sendCallbacks };
