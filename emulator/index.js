#!/usr/bin/env node
// @ts-check
'use strict';
// `npm run emulator` (and `npm start`): the BSB and the CATAPA emulators, seeded.
// `startAll(opts)` does the same in-process for scripts and tests.
const path = require('node:path');
const { startBsbEmulator, DEMO, READINGS } = require('./bsb');
const catapa = require('./catapa');

/**
 * The emulators' handles, inferred from the code: the one type every test and script uses.
 * @typedef {Awaited<ReturnType<typeof startBsbEmulator>>} BsbEmulator
 * @typedef {Awaited<ReturnType<typeof catapa.startCatapaEmulator>>} CatapaEmulator
 * @typedef {BsbEmulator['requests'][number]} BsbRequest  one entry of the BSB request log
 * @typedef {BsbEmulator['callbacks'][number]} BsbCallback  one payment callback sent to the partner
 * @typedef {CatapaEmulator['requests'][number]} CatapaRequest  one entry of the CATAPA request log
 */

const USAGE = `Usage: node emulator/index.js [options]
  --bsb-port <n>            BSB port (env BSB_EMULATOR_PORT, default 4010; 0 = any free port)
  --catapa-port <n>         CATAPA port (env CATAPA_EMULATOR_PORT, default 4020)
  --latency-ms <n>          added delay before every BSB answer
  --latency-jitter-ms <n>   plus a random 0..n ms
  --error-rate <f>          fraction of BSB calls answered 503 (0..1)
  --timeout-rate <f>        fraction of BSB calls held open without an answer (0..1)
  --token-0601-rate <f>     fraction of BSB calls answered 401 0601 (0..1)
  --token-lifetime <s>      token lifetime in seconds (default 179999)
  --callback-base-url <u>   partner base URL for payment callbacks (env BSB_CALLBACK_BASE_URL)
  --callback-hmac-key <k>   consumerSecret (default) or callbackSecretKey
  --readings <a,b,…>        play other readings of the BSB spec (env BSB_READINGS; "all" for every one;
                            at run time: POST /_emulator/readings {"readings":[…]}):
${Object.entries(READINGS)
	.map(([name, what]) => `      ${name.padEnd(24)}${what}`)
	.join('\n')}
  --state-dir <d>           keep the data in <d>/emulator-bsb.json and <d>/emulator-catapa.json,
                            so a restart brings it back (npm start uses its n8n data folder)
  --no-seed                 start without demo data
  --quiet                   no per-request log lines
  --help`;

/** Parses `--name value` / `--flag` arguments. */
function parseArgs(/** @type {string[]} */ argv) {
	/** @type {Record<string, string | boolean>} */
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
		const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
		if (inline !== undefined) out[name] = inline;
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[name] = argv[++i];
		else out[name] = true;
	}
	return out;
}

/**
 * Starts the BSB and the CATAPA emulators. With `stateDir`, each keeps its data in a file there
 * (emulator-bsb.json, emulator-catapa.json) and a restart brings it back.
 * @param {{ bsbPort?: number, catapaPort?: number, seed?: boolean, quiet?: boolean, stateDir?: string,
 *   bsb?: Record<string, any>, catapa?: Record<string, any> }} [opts]
 */
async function startAll(opts = {}) {
	const seed = opts.seed ?? true;
	const bsb = await startBsbEmulator({
		port: opts.bsbPort ?? 4010,
		host: '127.0.0.1',
		seed,
		quiet: opts.quiet ?? true,
		...(opts.stateDir ? { stateFile: path.join(opts.stateDir, 'emulator-bsb.json') } : {}),
		...opts.bsb,
	});
	/** @type {CatapaEmulator} */
	let catapaEmulator;
	try {
		catapaEmulator = await catapa.startCatapaEmulator({
			port: opts.catapaPort ?? 4020,
			host: '127.0.0.1',
			seed,
			...(opts.stateDir ? { stateFile: path.join(opts.stateDir, 'emulator-catapa.json') } : {}),
			...opts.catapa,
		});
	} catch (e) {
		await bsb.close();
		throw e;
	}
	return {
		bsb,
		catapa: catapaEmulator,
		catapaDemo: catapa.DEMO,
		close: async () => {
			await Promise.all([bsb.close(), catapaEmulator.close()]);
		},
	};
}

function banner(/** @type {Awaited<ReturnType<typeof startAll>>} */ all) {
	const u = all.bsb.url;
	const lines = [
		'',
		`BRI Smart Billing emulator  ${u}`,
		`  BRI API credential: Environment "Custom URL" = ${u}`,
		`    Consumer Key          ${DEMO.consumerKey}`,
		`    Consumer Secret       ${DEMO.consumerSecret}`,
		`    Callback Provider ID  ${DEMO.providerId}`,
		`    Callback Secret Key   ${DEMO.callbackSecretKey}`,
		'  (demo credentials of the emulator only)',
		all.bsb.restored
			? `  Data restored from ${all.bsb.restored.file}: ${all.bsb.restored.invoices} invoice(s); BRIVA numbers: ${[...all.bsb.state.brivas.keys()].join(', ') || 'none'}`
			: `  Seeded BRIVA numbers: ${[...all.bsb.state.brivas.keys()].join(', ') || 'none'}`,
		'  Control (JSON, no auth):',
		`    GET  ${u}/_emulator/stats | /requests | /state | /config | /callbacks`,
		`    POST ${u}/_emulator/config        {"latencyMs":200,"errorRate5xx":0.1,"callback":{"baseUrl":"http://127.0.0.1:5678/webhook/<id>"}}`,
		`    POST ${u}/_emulator/pay           {"brivaNo":"106107185000001"}`,
		`    POST ${u}/_emulator/callbacks/resend {"index":0}`,
		`    POST ${u}/_emulator/expire-tokens | /reset {"seed":true} | /seed`,
		`    POST ${u}/_emulator/readings       {"readings":["token0601At200"]}   (GET lists them)`,
		`  Readings played: ${all.bsb.config.readings.join(', ') || 'the samples’ (default)'}`,
	];
	lines.push('', `CATAPA emulator  ${all.catapa.url}`);
	for (const [k, v] of Object.entries(all.catapaDemo)) lines.push(`    ${k.padEnd(21)} ${v}`);
	lines.push('', 'Ctrl-C stops.', '');
	process.stdout.write(lines.join('\n'));
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const num = (
		/** @type {string} */ name,
		/** @type {string | undefined} */ env,
		/** @type {number | undefined} */ fallback,
	) => {
		const v = args[name] ?? (env ? process.env[env] : undefined);
		if (v === undefined || v === '') return fallback;
		const n = Number(v);
		if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number >= 0`);
		return n;
	};
	/** @type {Record<string, any>} */
	const knobs = {};
	for (const [flag, knob] of [
		['latency-ms', 'latencyMs'],
		['latency-jitter-ms', 'latencyJitterMs'],
		['error-rate', 'errorRate5xx'],
		['timeout-rate', 'timeoutRate'],
		['token-0601-rate', 'token0601Rate'],
		['token-lifetime', 'tokenLifetimeSec'],
	]) {
		const v = num(flag, undefined, undefined);
		if (v !== undefined) knobs[knob] = v;
	}
	const callbackBaseUrl = args['callback-base-url'] ?? process.env.BSB_CALLBACK_BASE_URL;
	if (typeof callbackBaseUrl === 'string' && callbackBaseUrl)
		knobs.callback = { baseUrl: callbackBaseUrl };
	const readings = args.readings ?? process.env.BSB_READINGS;
	if (typeof readings === 'string' && readings) knobs.readings = readings;
	if (typeof args['callback-hmac-key'] === 'string')
		knobs.callback = { ...knobs.callback, hmacKey: args['callback-hmac-key'] };

	const all = await startAll({
		bsbPort: num('bsb-port', 'BSB_EMULATOR_PORT', 4010),
		catapaPort: num('catapa-port', 'CATAPA_EMULATOR_PORT', 4020),
		seed: !args['no-seed'],
		quiet: Boolean(args.quiet),
		stateDir: typeof args['state-dir'] === 'string' ? args['state-dir'] : undefined,
		bsb: knobs,
	});
	banner(all);
	let closing = false;
	const stop = async () => {
		if (closing) return;
		closing = true;
		await all.close();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`emulator: ${e.message}\n`);
		process.exit(1);
	});
}

module.exports = { startAll };
