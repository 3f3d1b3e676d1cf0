#!/usr/bin/env node
// `npm run bench`: this package's nodes side by side with what users would build instead, in one
// process run, against one n8n 2.40.7 and one BSB emulator, sides alternating over several rounds.
// Prints figures and writes BENCHMARKS.md. Never a timed test: nothing here passes or fails on
// speed, and it is not part of `npm test` or CI. All traffic stays on 127.0.0.1.
//
//   BENCH_ROUNDS=3       rounds of bulk invoicing (default 3); callbacks and growth run
//                        BENCH_ROUNDS - 1 rounds (at least 1), to keep the run near 25 minutes
//   BENCH_QUICK=1        a smoke run: a tenth of the sizes, 1 round, written to test-output/bench/
//   BENCH_ONLY=bulk,callbacks,growth   run only these parts
//   BENCH_CPU_PROF=dir   run n8n with --cpu-prof, profiles written to dir when n8n stops
//   BENCH_N8N_ENV="K=V …"  more environment for n8n, e.g. N8N_EXPRESSION_ENGINE=legacy
//   BENCH_OUT=file       where to write the report (default BENCHMARKS.md)
//   BENCH_RENDER=file    only rewrite the report from a results JSON of an earlier run
//                        (test-output/bench/results-full.json), e.g. after editing bench/analysis.md
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execSync } = require('node:child_process');

const runtime = require('../scripts/n8n-runtime');
const { startBsbEmulator, DEMO } = require('../emulator/bsb');
const { startN8n, memoryWatch, processTree, commandOf, sleep } = require('./lib/n8n');
const { bareInvoiceLoop, sendCallbacks, post } = require('./lib/clients');
const { median, fmt, ratio, table } = require('./lib/report');

const REPO = runtime.REPO_ROOT;
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 1 : Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const SHORT_ROUNDS = Math.max(1, ROUNDS - 1);
const ONLY = new Set(
	(process.env.BENCH_ONLY ?? 'bulk,callbacks,growth').split(',').map((s) => s.trim()),
);
const SCALE = QUICK ? 0.1 : 1;
const BULK_COUNT = Math.round(2000 * SCALE);
const CALLBACK_COUNT = Math.round(1000 * SCALE);
const CALLBACK_IN_FLIGHT = 20;
const GROWTH_SIZES = [100, 1000, 10000].map((n) => Math.max(10, Math.round(n * SCALE)));
const LATENCY_MS = 20;
const OUT = path.resolve(
	process.env.BENCH_OUT ??
		(QUICK
			? path.join(REPO, 'test-output', 'bench', 'BENCHMARKS.quick.md')
			: path.join(REPO, 'BENCHMARKS.md')),
);

const log = (message) => process.stdout.write(`[bench] ${message}\n`);

function loadWorkflow(file, values) {
	let text = fs.readFileSync(path.join(__dirname, 'workflows', file), 'utf8');
	// "__X__" as a whole JSON string becomes the value (numbers stay numbers); inside text, its text.
	text = text.replace(/"__([A-Z_]+)__"/g, (whole, key) =>
		key in values ? JSON.stringify(values[key]) : whole,
	);
	text = text.replace(/__([A-Z_]+)__/g, (whole, key) =>
		key in values ? String(values[key]) : whole,
	);
	return JSON.parse(text);
}

// ------------------------------------------------------------------ bulk invoices

/** One bulk run of an n8n workflow; returns its figures. */
async function runBulkWorkflow(n8n, emu, workflowId, count, requestNodes) {
	emu.reset({ seed: true });
	emu.expireTokens(); // every run starts with a token n8n holds but BRI no longer takes
	await sleep(300); // let n8n settle (the previous run's execution data, GC)
	const watch = memoryWatch(n8n.pid);
	const t0 = performance.now();
	const executionId = await n8n.startRun(workflowId);
	const summary = await n8n.waitFinished(workflowId, executionId);
	const clientMs = performance.now() - t0;
	const memory = watch.stop();
	const stats = emu.stats();
	const execution = await n8n.getExecution(executionId);
	const runData = execution.data.resultData.runData;
	const nodeMs = requestNodes.reduce(
		(sum, name) => sum + (runData[name]?.[0]?.executionTime ?? 0),
		0,
	);
	const last = runData[requestNodes[requestNodes.length - 1]]?.[0];
	const outItems = last?.data?.main?.[0]?.length ?? 0;
	const wallMs = new Date(summary.stoppedAt).getTime() - new Date(summary.startedAt).getTime();
	const created = stats.byEndpoint['POST /v1/bsb/invoice'] ?? 0;
	const ok = summary.status === 'success' && outItems === count && emu.state.invoices.size >= count;
	if (!ok)
		log(
			`  WARNING: execution ${executionId} ${summary.status}, ${outItems} items out, ${created} creates seen: ${execution.data.resultData.error?.message ?? ''}`,
		);
	return {
		ok,
		wallMs,
		clientMs,
		nodeMs,
		rps: count / (wallMs / 1000),
		nodeRps: count / (nodeMs / 1000),
		tokenRequests: stats.tokenRequests,
		rejected0601: stats.rejected['0601'] ?? 0,
		creates: created,
		...memory,
	};
}

async function runBare(n8n, emu, count, concurrency, runId) {
	emu.reset({ seed: true });
	emu.expireTokens();
	await sleep(300);
	const watch = memoryWatch(n8n.pid);
	const result = await bareInvoiceLoop({
		bsbUrl: emu.url,
		consumerKey: DEMO.consumerKey,
		consumerSecret: DEMO.consumerSecret,
		count,
		concurrency,
		runId,
	});
	const memory = watch.stop();
	const stats = emu.stats();
	const ok = result.ok === count;
	if (!ok) log(`  WARNING: bare loop: ${result.ok} ok, ${result.failed} failed`);
	return {
		ok,
		wallMs: result.ms,
		clientMs: result.ms,
		nodeMs: result.ms,
		rps: count / (result.ms / 1000),
		nodeRps: count / (result.ms / 1000),
		tokenRequests: stats.tokenRequests,
		rejected0601: stats.rejected['0601'] ?? 0,
		creates: stats.byEndpoint['POST /v1/bsb/invoice'] ?? 0,
		...memory,
		n8nIdle: true,
	};
}

async function benchBulk(n8n, emu) {
	const count = BULK_COUNT;
	const values = {
		COUNT: count,
		BSB_URL: emu.url,
		CONSUMER_KEY: DEMO.consumerKey,
		CONSUMER_SECRET: DEMO.consumerSecret,
	};
	const ids = {};
	for (const c of [1, 10])
		ids[`node-c${c}`] = (
			await n8n.importWorkflow(
				loadWorkflow('node-bulk-invoices.json', { ...values, CONCURRENCY: c }),
			)
		).id;
	ids['http-b10'] = (
		await n8n.importWorkflow(
			loadWorkflow('http-request-bulk-invoices.json', {
				...values,
				BATCH_SIZE: 10,
				BATCH_INTERVAL: LATENCY_MS,
			}),
		)
	).id;
	ids['http-all'] = (
		await n8n.importWorkflow(
			loadWorkflow('http-request-bulk-invoices.json', {
				...values,
				BATCH_SIZE: 1,
				BATCH_INTERVAL: 0,
			}),
		)
	).id;
	const sides = [
		{
			key: 'node-c1',
			label: 'BRI Smart Billing node, Requests at Once 1',
			run: () => runBulkWorkflow(n8n, emu, ids['node-c1'], count, ['Create invoices']),
		},
		{
			key: 'node-c10',
			label: 'BRI Smart Billing node, Requests at Once 10',
			run: () => runBulkWorkflow(n8n, emu, ids['node-c10'], count, ['Create invoices']),
		},
		{
			key: 'http-b10',
			label: `HTTP Request + Code + token step, batches of 10 every ${LATENCY_MS} ms`,
			run: () =>
				runBulkWorkflow(n8n, emu, ids['http-b10'], count, [
					'Get token',
					'Sign requests',
					'Create invoices',
				]),
		},
		{
			key: 'http-all',
			label: 'HTTP Request + Code + token step, batching off (all at once)',
			run: () =>
				runBulkWorkflow(n8n, emu, ids['http-all'], count, [
					'Get token',
					'Sign requests',
					'Create invoices',
				]),
		},
		{
			key: 'bare-c10',
			label: 'Bare Node.js loop (node:http keep-alive), 10 at once',
			run: (round) => runBare(n8n, emu, count, 10, `bare${round}`),
		},
	];
	const results = Object.fromEntries(sides.map((s) => [s.key, /** @type {any[]} */ ([])]));
	for (let round = 0; round < ROUNDS; round++) {
		// Rotate the order each round, so no side always runs first or after the same neighbour.
		const order = sides.map((_, i) => sides[(i + round) % sides.length]);
		for (const side of order) {
			const r = await side.run(round);
			results[side.key].push(r);
			log(
				`bulk round ${round + 1}/${ROUNDS} ${side.key}: ${fmt(r.wallMs / 1000, 2)} s, ${fmt(r.rps, 0)} req/s, ${r.tokenRequests} token req, n8n peak ${fmt(r.mainPeakMb, 0)} MB + runner ${fmt(r.runnerPeakMb, 0)} MB`,
			);
		}
	}
	return { count, sides, results };
}

// ------------------------------------------------------------------ callbacks

async function waitExecutions(n8n, workflowId, atLeast, status, timeoutMs = 300000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { count } = await n8n.executions(workflowId, 1, status);
		if (count >= atLeast) return count;
		if (Date.now() > deadline) return count;
		await sleep(100);
	}
}

async function benchCallbacks(n8n, emu) {
	// A real section 25 body: let the emulator pay a demo invoice with no partner to call.
	emu.reset({ seed: true });
	emu.configure({ callback: { baseUrl: null } });
	const paid = await emu.pay({ brivaNo: '106107185000001' });
	const template = JSON.parse(paid.body);
	let seq = 0;
	const bodies = (n, tag) =>
		Array.from({ length: n }, () =>
			JSON.stringify({
				...template,
				transactionID: `${tag}${String(seq++).padStart(15 - tag.length, '0')}`.slice(0, 16),
			}),
		);

	const trigger = await n8n.importWorkflow(loadWorkflow('callback-trigger.json', {}));
	const webhookPath = 'bench-bri-callback';
	const plain = await n8n.importWorkflow(
		loadWorkflow('webhook-code-callback.json', {
			WEBHOOK_PATH: webhookPath,
			CONSUMER_SECRET: DEMO.consumerSecret,
		}),
	);
	await n8n.activate(trigger.id);
	await n8n.activate(plain.id);
	const webhookId = trigger.nodes.find((n) => n.type.endsWith('briSmartBillingTrigger')).webhookId;
	const triggerUrl = n8n.webhookUrl(`${webhookId}/v1/payment/callback`);
	const plainUrl = n8n.webhookUrl(`${webhookPath}/v1/payment/callback`);
	await sleep(1000);

	// BRI gets a token first (section 24); one token serves a batch, as within its 180 s lifetime.
	const accessToken = async () => {
		const answer = await post(
			undefined,
			n8n.webhookUrl(`${webhookId}/v1/access-token`),
			{ 'Content-Type': 'application/json' },
			JSON.stringify({ providerId: DEMO.providerId, secretKey: DEMO.callbackSecretKey }),
		);
		const token = JSON.parse(answer.text).accessToken;
		if (!token) throw new Error(`access token refused: ${answer.status} ${answer.text}`);
		return token;
	};

	const sides = {
		trigger: {
			label: 'BRI Smart Billing Trigger (Respond: On Receipt) → No Op',
			id: trigger.id,
			url: triggerUrl,
		},
		plain: {
			label: 'Webhook (respond when last node finishes) → Code verifying BRI-Signature',
			id: plain.id,
			url: plainUrl,
		},
	};
	const results = { trigger: { valid: [], forged: [] }, plain: { valid: [], forged: [] } };

	const batch = async (sideKey, kind, round) => {
		const side = sides[sideKey];
		const before = (await n8n.executions(side.id, 1)).count;
		const token = await accessToken();
		const list = bodies(CALLBACK_COUNT, kind === 'valid' ? `${round}1` : `${round}9`);
		await sleep(300);
		const watch = memoryWatch(n8n.pid);
		const t0 = performance.now();
		const sent = await sendCallbacks({
			url: side.url,
			token,
			bodies: list,
			secret: kind === 'valid' ? DEMO.consumerSecret : 'not-the-consumer-secret',
			inFlight: CALLBACK_IN_FLIGHT,
		});
		// Done when every execution it started has finished (the trigger answers before its run ends).
		const expected = kind === 'valid' || sideKey === 'plain' ? before + CALLBACK_COUNT : before;
		if (expected > before) await waitExecutions(n8n, side.id, expected);
		const doneMs = performance.now() - t0;
		const memory = watch.stop();
		if (expected === before) await sleep(1000); // give a wrongly started execution time to show
		const after = (await n8n.executions(side.id, 1)).count;
		const r = {
			sendMs: sent.ms,
			doneMs,
			medianLatencyMs: median(sent.latencies),
			p95LatencyMs: percentile(sent.latencies, 0.95),
			statuses: sent.statuses,
			executions: after - before,
			cpuMsPerCallback: (memory.cpuSeconds * 1000) / CALLBACK_COUNT,
			perSecond: CALLBACK_COUNT / (doneMs / 1000),
			...memory,
		};
		results[sideKey][kind].push(r);
		log(
			`callbacks round ${round + 1}/${SHORT_ROUNDS} ${sideKey} ${kind}: ${fmt(doneMs / 1000, 2)} s to done, median ${fmt(r.medianLatencyMs, 2)} ms, ${fmt(r.cpuMsPerCallback, 2)} ms CPU each, statuses ${JSON.stringify(r.statuses)}, ${r.executions} executions`,
		);
	};

	for (let round = 0; round < SHORT_ROUNDS; round++) {
		const order = round % 2 === 0 ? ['trigger', 'plain'] : ['plain', 'trigger'];
		for (const kind of ['valid', 'forged'])
			for (const sideKey of order) await batch(sideKey, kind, round);
	}
	return { count: CALLBACK_COUNT, sides, results };
}

function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// ------------------------------------------------------------------ growth

async function benchGrowth(n8n, emu) {
	const ids = {};
	for (const n of GROWTH_SIZES)
		ids[n] = (
			await n8n.importWorkflow(
				loadWorkflow('node-bulk-invoices.json', { COUNT: n, CONCURRENCY: 10 }),
			)
		).id;
	const results = Object.fromEntries(GROWTH_SIZES.map((n) => [n, /** @type {any[]} */ ([])]));
	for (let round = 0; round < SHORT_ROUNDS; round++) {
		for (const n of round % 2 === 0 ? GROWTH_SIZES : [...GROWTH_SIZES].reverse()) {
			const r = await runBulkWorkflow(n8n, emu, ids[n], n, ['Create invoices']);
			results[n].push(r);
			log(
				`growth round ${round + 1}/${SHORT_ROUNDS} ${n} invoices: ${fmt(r.wallMs / 1000, 2)} s, ${fmt(r.rps, 0)} req/s, n8n peak ${fmt(r.mainPeakMb, 0)} MB + runner ${fmt(r.runnerPeakMb, 0)} MB`,
			);
		}
	}
	return { sizes: GROWTH_SIZES, results };
}

// ------------------------------------------------------------------ main

function machine() {
	const cpus = os.cpus();
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const marker = JSON.parse(
		fs.readFileSync(path.join(runtime.RUNTIME_DIR, 'runtime.json'), 'utf8'),
	);
	let commit = 'unknown';
	try {
		commit = execSync('git rev-parse --short HEAD', { cwd: REPO, encoding: 'utf8' }).trim();
	} catch {
		/* not a git checkout */
	}
	return {
		date: new Date().toISOString(),
		cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
		memory: `${fmt(os.totalmem() / 2 ** 30, 1)} GiB`,
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		n8n: marker.n8n,
		n8nNode: marker.node,
		pkg: `${pkg.name} ${pkg.version}`,
		commit,
	};
}

async function main() {
	const started = Date.now();
	const env = {
		NODE_FUNCTION_ALLOW_BUILTIN: 'crypto', // the Code nodes that sign and verify need node:crypto
		N8N_LOG_LEVEL: 'warn',
		N8N_CONCURRENCY_PRODUCTION_LIMIT: '-1',
	};
	for (const pair of (process.env.BENCH_N8N_ENV ?? '').split(/\s+/).filter(Boolean)) {
		const at = pair.indexOf('=');
		if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
	}
	if (process.env.BENCH_CPU_PROF) {
		fs.mkdirSync(path.resolve(process.env.BENCH_CPU_PROF), { recursive: true });
		env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`;
	}
	log(`rounds ${ROUNDS}${QUICK ? ' (quick smoke run)' : ''}; parts: ${[...ONLY].join(', ')}`);
	const emu = await startBsbEmulator({
		port: 0,
		seed: true,
		latencyMs: LATENCY_MS,
		randomSeed: 1,
		quiet: true,
	});
	log(`BSB emulator on ${emu.url}, ${LATENCY_MS} ms added latency`);
	const n8n = await startN8n({ bsbUrl: emu.url, env, log });
	const stopAll = async () => {
		await n8n.stop();
		await emu.close();
	};
	process.once('SIGINT', () => stopAll().then(() => process.exit(130)));
	const info = machine();
	info.extraEnv = process.env.BENCH_N8N_ENV ?? '';
	try {
		await sleep(2000);
		info.processes = processTree(n8n.pid).map((pid) =>
			commandOf(pid).replace(REPO, '.').slice(0, 100),
		);
		const idle = memoryWatch(n8n.pid);
		await sleep(500);
		info.idle = idle.stop();
		info.loadStart = os.loadavg();
		const result = { info };
		if (ONLY.has('bulk')) result.bulk = await benchBulk(n8n, emu);
		if (ONLY.has('callbacks')) result.callbacks = await benchCallbacks(n8n, emu);
		if (ONLY.has('growth')) {
			emu.configure({ latencyMs: LATENCY_MS });
			result.growth = await benchGrowth(n8n, emu);
		}
		result.totalMinutes = (Date.now() - started) / 60000;
		info.loadEnd = os.loadavg();
		fs.mkdirSync(path.join(REPO, 'test-output', 'bench'), { recursive: true });
		fs.writeFileSync(
			path.join(REPO, 'test-output', 'bench', `results-${QUICK ? 'quick' : 'full'}.json`),
			JSON.stringify(result, null, 2),
		);
		const markdown = require('./lib/report').render(result, {
			rounds: ROUNDS,
			shortRounds: SHORT_ROUNDS,
			quick: QUICK,
			latencyMs: LATENCY_MS,
			inFlight: CALLBACK_IN_FLIGHT,
			analysis: readAnalysis(),
		});
		fs.mkdirSync(path.dirname(OUT), { recursive: true });
		fs.writeFileSync(OUT, withQueueSection(markdown));
		process.stdout.write(`\n${markdown.split('\n## Analysis')[0]}\n`);
		log(
			`report written to ${path.relative(process.cwd(), OUT)} (${fmt(result.totalMinutes, 1)} min)`,
		);
	} finally {
		await stopAll();
	}
}

/** The report plus the queue-mode section bench/queue.js wrote into OUT earlier, kept as it is. */
function withQueueSection(markdown) {
	let old = '';
	try {
		old = fs.readFileSync(OUT, 'utf8');
	} catch {
		return markdown;
	}
	const match = /<!-- queue-bench:start -->[\s\S]*<!-- queue-bench:end -->/.exec(old);
	return match ? `${markdown.trimEnd()}\n\n${match[0]}\n` : markdown;
}

function readAnalysis() {
	try {
		return fs.readFileSync(path.join(__dirname, 'analysis.md'), 'utf8');
	} catch {
		return '';
	}
}

// Keep the helpers reachable for a quick look from a REPL.
module.exports = { loadWorkflow, ratio, table };

function renderOnly(file) {
	const result = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
	const rounds = result.bulk ? result.bulk.results['node-c10'].length : ROUNDS;
	const shortRounds = result.growth
		? result.growth.results[result.growth.sizes[0]].length
		: SHORT_ROUNDS;
	const markdown = require('./lib/report').render(result, {
		rounds,
		shortRounds,
		quick: QUICK,
		latencyMs: LATENCY_MS,
		inFlight: CALLBACK_IN_FLIGHT,
		analysis: readAnalysis(),
	});
	fs.writeFileSync(OUT, withQueueSection(markdown));
	log(`report rewritten to ${path.relative(process.cwd(), OUT)} from ${file}`);
}

if (require.main === module && process.env.BENCH_RENDER) {
	renderOnly(process.env.BENCH_RENDER);
} else if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`[bench] failed: ${error.stack ?? error}\n`);
		process.exit(1);
	});
}
