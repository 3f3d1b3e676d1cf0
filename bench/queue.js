#!/usr/bin/env node
// `npm run bench:queue`: payment callbacks per second in n8n queue mode through 1 webhook process
// against 2 (main + 2 `n8n webhook` + 1 `n8n worker`, our own PostgreSQL and Redis, see
// scripts/lib/queue.js). Prints figures and writes them into BENCHMARKS.md between the
// "queue-bench" markers. Never a timed test; all traffic stays on 127.0.0.1.
//
//   BENCH_QUEUE_CALLBACKS=400   callbacks per run (default 400)
//   BENCH_QUEUE_ROUNDS=2        rounds; the two sides alternate, order rotated (default 2)
//   BENCH_QUEUE_IN_FLIGHT=16    callbacks in flight (default 16)
//   BENCH_OUT=file              where to write (default BENCHMARKS.md); BENCH_OUT=- prints only
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const runtime = require('../scripts/n8n-runtime');
const lib = require('../scripts/lib/n8n');
const queue = require('../scripts/lib/queue');
const demo = require('../scripts/lib/demo');
const { startAll } = require('../emulator/index.js');

const COUNT = Number(process.env.BENCH_QUEUE_CALLBACKS ?? 400);
const ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 2);
const IN_FLIGHT = Number(process.env.BENCH_QUEUE_IN_FLIGHT ?? 16);
const OUT = process.env.BENCH_OUT ?? path.join(runtime.REPO_ROOT, 'BENCHMARKS.md');
const START = '<!-- queue-bench:start -->';
const END = '<!-- queue-bench:end -->';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line = '') => process.stdout.write(`${line}\n`);
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function pool(count, width, fn) {
	const out = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (next < count) {
				const i = next++;
				out[i] = await fn(i);
			}
		}),
	);
	return out;
}

async function main() {
	const started = Date.now();
	const load0 = os.loadavg();
	runtime.ensureRuntime({ quiet: true });
	const logDir = path.join(runtime.REPO_ROOT, 'test-output', 'bench-queue');
	fs.mkdirSync(logDir, { recursive: true });
	const services = await queue.startServices();
	const emulators = await startAll({ bsbPort: 0, catapaPort: 0, quiet: true });
	let cluster;
	try {
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bri-bench-pack-'));
		try {
			cluster = await queue.startCluster({
				services,
				tgz: lib.packPackage(packDir),
				logDir,
				webhooks: 2,
				workers: 1,
			});
		} finally {
			fs.rmSync(packDir, { recursive: true, force: true });
		}
		const rest = new lib.RestClient(cluster.main.baseUrl);
		await rest.setupOwner(demo.OWNER);
		await rest.login(demo.OWNER.email, demo.OWNER.password);
		const [bri] = demo
			.emulatorCredentials({ bsbUrl: emulators.bsb.url })
			.filter((c) => c.type === 'briApi');
		const credential = await rest.post('/credentials', {
			name: bri.name,
			type: bri.type,
			data: bri.data,
		});
		const webhookId = randomUUID();
		const workflow = await rest.post(
			'/workflows',
			queue.callbackWorkflow({
				name: 'Callbacks (bench)',
				webhookId,
				credential: { id: credential.id, name: bri.name },
			}),
		);
		await rest.post(`/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
		const hook = (proc) => `${proc.baseUrl}/webhook/${webhookId}`;
		for (const proc of cluster.webhooks) {
			for (let i = 0; ; i++) {
				const r = await fetch(`${hook(proc)}/v1/access-token`, { method: 'POST', body: '{}' });
				if (r.status === 400) break;
				if (i > 120) throw new Error(`${proc.name} never served the callback URL`);
				await sleep(500);
			}
		}
		const executions = () =>
			Number(
				services.postgres.psql(
					`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${workflow.id}' AND "stoppedAt" IS NOT NULL`,
					services.postgres.database,
				),
			);

		// One run: COUNT callbacks, each its own token + signed callback (as BRI sends them),
		// through the given webhook processes in turn; then until the worker has run them all.
		async function run(procs) {
			const before = executions();
			const t0 = Date.now();
			const records = await pool(COUNT, IN_FLIGHT, (i) =>
				emulators.bsb.pay(
					{ brivaNo: '106107185000003', invoices: ['INV-2024-0004'], amount: 1 },
					{ callback: { baseUrl: hook(procs[i % procs.length]), timeoutMs: 30000 } },
				),
			);
			const answered = (Date.now() - t0) / 1000;
			const ok = records.filter((r) => r.responseCode === '0000').length;
			while (executions() < before + ok) await sleep(200);
			const done = (Date.now() - t0) / 1000;
			return { ok, answeredPerSec: COUNT / answered, executedPerSec: ok / done };
		}

		// Warm-up: JIT and connection pools, not counted.
		await run(cluster.webhooks);
		const results = { one: [], two: [] };
		for (let round = 0; round < ROUNDS; round++) {
			const order = round % 2 ? ['two', 'one'] : ['one', 'two'];
			for (const side of order) {
				const r = await run(side === 'one' ? [cluster.webhooks[0]] : cluster.webhooks);
				results[side].push(r);
				say(
					`round ${round + 1} ${side === 'one' ? '1 webhook process ' : '2 webhook processes'}: ${r.ok}/${COUNT} answered 0000, ${r.answeredPerSec.toFixed(1)} answered/s, ${r.executedPerSec.toFixed(1)} executed/s`,
				);
			}
		}
		const memory = cluster
			.processes()
			.map((p) => `${p.name} ${queue.rssMb(p.pid)} MB`)
			.join(', ');
		const row = (label, rs) =>
			`| ${label} | ${median(rs.map((r) => r.answeredPerSec)).toFixed(1)} | ${median(rs.map((r) => r.executedPerSec)).toFixed(1)} | ${rs.map((r) => r.answeredPerSec.toFixed(1)).join(', ')} | ${rs.every((r) => r.ok === COUNT) ? 'yes' : 'no'} |`;
		const section = [
			START,
			'## Queue mode: callbacks through 1 webhook process against 2',
			'',
			'Written by `npm run bench:queue` (bench/queue.js). n8n 2.40.7 in queue mode: main, 2 `n8n webhook`, 1 `n8n worker` (concurrency 10), PostgreSQL 15 and Redis 7 of Debian, all on this one machine. ' +
				`Each callback is a full BRI delivery from the BSB emulator (access token, then the signed callback), ${IN_FLIGHT} in flight, ${COUNT} per run, ${ROUNDS} round(s) per side after a warm-up, sides alternating. ` +
				'*Answered/s*: callbacks answered `0000` by the webhook processes per second. *Executed/s*: until the worker has finished every execution.',
			'',
			'| Webhook processes | Answered/s (median) | Executed/s (median) | Each round, answered/s | All answered 0000 |',
			'| --- | --- | --- | --- | --- |',
			row('1', results.one),
			row('2', results.two),
			'',
			`Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, shared with other work; load average at start ${load0.map((l) => l.toFixed(2)).join(', ')}, at end ${os
				.loadavg()
				.map((l) => l.toFixed(2))
				.join(', ')}. ` +
				`Date ${new Date().toISOString()}; run time ${Math.round((Date.now() - started) / 1000)} s. Memory at the end (RSS with task runners): ${memory}.`,
			'',
			'On 2 cores every n8n process, PostgreSQL, Redis and the emulator share the same CPUs, so a second webhook process adds no CPU, only a second event loop (and availability, see README "Scaling"); how far the webhook tier scales on separate machines is not measured here. Read the load average: on a busy machine the figures are low and noisy.',
			END,
		].join('\n');
		say('');
		say(section);
		if (OUT !== '-') {
			let text = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '# Benchmarks\n';
			const at = text.indexOf(START);
			const end = text.indexOf(END);
			text =
				at >= 0 && end > at
					? text.slice(0, at) + section + text.slice(end + END.length)
					: `${text.trimEnd()}\n\n${section}\n`;
			fs.writeFileSync(OUT, text);
			say(`\nwritten to ${OUT}`);
		}
	} finally {
		await cluster?.stop();
		await emulators.close();
		await services.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`bench:queue failed: ${error.stack || error.message}\n`);
	process.exit(1);
});
