#!/usr/bin/env node
// What the trigger's own checks cost, without n8n around them: the pure functions of
// nodes/Bri/CallbackTrigger/callback/ (built into dist/) verifying 10,000 valid and 10,000 forged
// callbacks in this process. Run after `npm run build`: node bench/verify-cost.js
'use strict';

const { createHmac } = require('node:crypto');
// Built output, so a variable: the typecheck runs before the build and must not resolve it.
const BUILT = '../dist/nodes/Bri/CallbackTrigger/callback';
const cb = require(BUILT);

const secret = 'demo-consumer-secret';
const path = '/webhook/0f1e2d3c-0000-4000-8000-000000000000/v1/payment/callback';
const tokenKey = cb.callbackTokenKey('demo-callback-secret', 'demo-provider-id', 'bench');
const token = cb.issueCallbackToken(tokenKey, 180, Date.now()).accessToken;
let body = '';
const sign = (key, timestamp) =>
	createHmac('sha256', key)
		.update(
			`path=${path}&verb=POST&token=Bearer ${token}&timestamp=${timestamp}&body=${body}`,
			'utf8',
		)
		.digest('base64');

function run(n, key) {
	let accepted = 0;
	const started = process.hrtime.bigint();
	for (let i = 0; i < n; i++) {
		const timestamp = new Date().toISOString();
		const request = {
			method: 'POST',
			signedPath: path,
			headers: {
				authorization: `Bearer ${token}`,
				'bri-timestamp': timestamp,
				'bri-signature': sign(key, timestamp),
			},
			rawBody: Buffer.from(body),
		};
		const settings = {
			tokenKey,
			signatureSecret: secret,
			toleranceMs: 300000,
			maxBodyBytes: 1 << 20,
			now: Date.now(),
		};
		if (cb.verifyCallbackRequest(request, settings).ok) accepted++;
	}
	return { us: Number(process.hrtime.bigint() - started) / 1000 / n, accepted };
}

(async () => {
	// A real section 25 body, made by the BSB emulator paying a demo invoice (no partner called).
	const { startBsbEmulator } = require('../emulator/bsb');
	const emu = await startBsbEmulator({ port: 0, seed: true, quiet: true });
	body = (await emu.pay({ brivaNo: '106107185000001' })).body;
	await emu.close();
	run(1000, secret); // warm up
	const valid = run(10000, secret);
	const forged = run(10000, 'not-the-consumer-secret');
	console.log(
		`valid:  ${valid.us.toFixed(1)} µs per callback (incl. signing it here), ${valid.accepted} of 10000 accepted`,
	);
	console.log(
		`forged: ${forged.us.toFixed(1)} µs per callback (incl. signing it here), ${forged.accepted} of 10000 accepted`,
	);
})();
