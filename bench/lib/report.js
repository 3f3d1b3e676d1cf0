// Medians, ratios and the BENCHMARKS.md text.
'use strict';

function median(values) {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fmt(value, digits = 1) {
	if (!Number.isFinite(value)) return 'n/a';
	return value.toLocaleString('en-US', {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
	});
}

function ratio(a, b) {
	return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}

function table(head, rows) {
	return [
		`| ${head.join(' | ')} |`,
		`| ${head.map(() => '---').join(' | ')} |`,
		...rows.map((r) => `| ${r.join(' | ')} |`),
	].join('\n');
}

const med = (runs, key) => median(runs.map((r) => r[key]));
const verdict = (ok) => (ok ? 'met' : '**missed**');
const all = (runs, key) => runs.map((r) => fmt(r[key] / 1000, 2)).join(' / ');

function renderBulk(bulk, o) {
	const r = bulk.results;
	const rows = bulk.sides.map((s) => {
		const runs = r[s.key];
		const idle = runs[0]?.n8nIdle;
		return [
			s.label,
			fmt(med(runs, 'wallMs') / 1000, 2),
			all(runs, 'wallMs'),
			fmt(med(runs, 'rps'), 0),
			idle ? '—' : fmt(med(runs, 'nodeMs') / 1000, 2),
			`${fmt(med(runs, 'tokenRequests'), 0)} (${fmt(med(runs, 'rejected0601'), 0)})`,
			idle ? `(idle ${fmt(med(runs, 'mainPeakMb'), 0)})` : fmt(med(runs, 'mainPeakMb'), 0),
			idle ? '—' : fmt(med(runs, 'runnerPeakMb'), 0),
			idle ? '—' : fmt(med(runs, 'cpuSeconds'), 1),
			runs.every((x) => x.ok) ? 'yes' : '**no**',
		];
	});
	const c1 = med(r['node-c1'], 'wallMs');
	const c10 = med(r['node-c10'], 'wallMs');
	const http = med(r['http-b10'], 'wallMs');
	const httpAll = med(r['http-all'], 'wallMs');
	const bareRps = med(r['bare-c10'], 'rps');
	const nodeRps = med(r['node-c10'], 'rps');
	const tokens = Math.max(
		...r['node-c10'].map((x) => x.tokenRequests),
		...r['node-c1'].map((x) => x.tokenRequests),
	);
	const targets = [
		[
			'Node at 10 at once ≥ 8× faster than at 1',
			`${fmt(ratio(c1, c10), 1)}×`,
			verdict(ratio(c1, c10) >= 8),
		],
		[
			`Node at 10 no slower than HTTP Request, batches of 10 (time ratio ≤ 1.0)`,
			fmt(ratio(c10, http), 2),
			verdict(ratio(c10, http) <= 1),
		],
		[
			'(for reference) node at 10 vs HTTP Request with batching off',
			fmt(ratio(c10, httpAll), 2),
			'—',
		],
		[
			'Node throughput ≥ 80 % of the bare loop at 10 at once',
			`${fmt(100 * ratio(nodeRps, bareRps), 0)} %`,
			verdict(ratio(nodeRps, bareRps) >= 0.8),
		],
		[
			`One token request per run of ${bulk.count.toLocaleString('en-US')} (most in any node run)`,
			String(tokens),
			verdict(tokens === 1),
		],
	];
	return [
		`### 1. Bulk invoice creation: ${bulk.count.toLocaleString('en-US')} creates, ${o.latencyMs} ms added latency`,
		'',
		table(
			[
				'Side',
				'Wall time (s), median',
				'Each round (s)',
				'Requests/s',
				'Time in request nodes (s)',
				'Token requests (0601 refusals)',
				'n8n main peak RSS (MB)',
				'Task runner peak RSS (MB)',
				'n8n CPU (s)',
				'All created',
			],
			rows,
		),
		'',
		table(['Target', 'Figure', 'Verdict'], targets),
	].join('\n');
}

function renderCallbacks(cb) {
	const rows = [];
	for (const [key, side] of Object.entries(cb.sides)) {
		for (const kind of ['valid', 'forged']) {
			const runs = cb.results[key][kind];
			const statuses = {};
			for (const run of runs)
				for (const [s, n] of Object.entries(run.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
			rows.push([
				side.label,
				kind === 'valid' ? 'valid' : 'forged signature',
				fmt(med(runs, 'doneMs') / 1000, 2),
				fmt(med(runs, 'perSecond'), 0),
				fmt(med(runs, 'medianLatencyMs'), 2),
				fmt(med(runs, 'p95LatencyMs'), 2),
				fmt(med(runs, 'cpuMsPerCallback'), 2),
				Object.entries(statuses)
					.map(([s, n]) => `${s}: ${n}`)
					.join(', '),
				runs.map((x) => x.executions).join(' / '),
				fmt(med(runs, 'totalPeakMb'), 0),
			]);
		}
	}
	const t = cb.results.trigger;
	const forgedExecutions = t.forged.reduce((sum, x) => sum + x.executions, 0);
	const cpuRatio = ratio(med(t.valid, 'cpuMsPerCallback'), med(t.forged, 'cpuMsPerCallback'));
	const latencyRatio = ratio(med(t.valid, 'medianLatencyMs'), med(t.forged, 'medianLatencyMs'));
	const plainRatio = ratio(
		med(cb.results.plain.valid, 'cpuMsPerCallback'),
		med(t.valid, 'cpuMsPerCallback'),
	);
	const targets = [
		[
			'Forged callbacks into the trigger start no execution',
			`${forgedExecutions} executions`,
			verdict(forgedExecutions === 0),
		],
		[
			'Rejection ≥ 10× cheaper than one accepted callback (n8n CPU per request)',
			`${fmt(cpuRatio, 1)}×`,
			verdict(cpuRatio >= 10),
		],
		['(same, by median answer time)', `${fmt(latencyRatio, 1)}×`, '—'],
		[
			'(for reference) CPU per valid callback, Webhook + Code ÷ trigger',
			`${fmt(plainRatio, 1)}×`,
			'—',
		],
	];
	return [
		`### 2. Callback handling: ${cb.count.toLocaleString('en-US')} callbacks per batch, 20 in flight`,
		'',
		table(
			[
				'Workflow',
				'Callbacks',
				'Batch time to last execution done (s)',
				'Callbacks/s',
				'Median answer (ms)',
				'p95 answer (ms)',
				'n8n CPU per callback (ms)',
				'HTTP statuses (all rounds)',
				'Executions started (each round)',
				'n8n + runner peak RSS (MB)',
			],
			rows,
		),
		'',
		table(['Target', 'Figure', 'Verdict'], targets),
	].join('\n');
}

function renderGrowth(growth) {
	const base = growth.sizes[0];
	const baseRuns = growth.results[base];
	const rows = growth.sizes.map((n) => {
		const runs = growth.results[n];
		const wall = med(runs, 'wallMs');
		return [
			n.toLocaleString('en-US'),
			fmt(wall / 1000, 2),
			fmt(wall / n, 2),
			fmt(med(runs, 'rps'), 0),
			fmt(med(runs, 'mainPeakMb'), 0),
			fmt(med(runs, 'runnerPeakMb'), 0),
			fmt(ratio(wall, med(baseRuns, 'wallMs')), 1) + '×',
			runs.every((x) => x.ok) && runs.every((x) => x.tokenRequests === 1)
				? 'yes, 1 token each'
				: '**no**',
		];
	});
	return [
		'### 3. Growth: the node at 10 at once',
		'',
		table(
			[
				'Invoices',
				'Wall time (s), median',
				'ms per invoice',
				'Requests/s',
				'n8n main peak RSS (MB)',
				'Task runner peak RSS (MB)',
				`Time vs ${base.toLocaleString('en-US')}`,
				'All created',
			],
			rows,
		),
	].join('\n');
}

function render(result, o) {
	const i = result.info;
	const parts = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (bench/run.js). Figures, not tests: nothing here fails on speed, and none of it',
		'runs in `npm test` or CI. Every comparison ran in one process run, against one n8n and one BSB emulator,',
		`sides alternating (order rotated each round): ${o.rounds} round(s) of bulk invoicing, ${o.shortRounds} of callbacks and of growth; the tables give medians.${o.quick ? ' **Quick smoke run: a tenth of the sizes.**' : ''}`,
		'',
		table(
			['', ''],
			[
				['Date', i.date],
				['Machine', `${i.cpu}, ${i.memory} RAM, ${i.os}`],
				[
					'n8n',
					`${i.n8n} on Node ${i.n8nNode} (pinned runtime, scripts/n8n-runtime.js), SQLite, regular mode, JS task runner internal`,
				],
				['Package', `${i.pkg} at ${i.commit}, installed as a community package`],
				...(i.extraEnv ? [['Extra n8n environment', `\`${i.extraEnv}\``]] : []),
				[
					'Bench process',
					`Node ${i.node}; BSB emulator in-process, ${o.latencyMs} ms added latency on each BSB answer`,
				],
				['Run time', `${fmt(result.totalMinutes, 1)} min`],
				[
					'Load average (1, 5, 15 min)',
					`at start ${(i.loadStart ?? []).map((x) => fmt(x, 2)).join(', ')}; at end ${(i.loadEnd ?? []).map((x) => fmt(x, 2)).join(', ')} (the machine is shared; other work ran beside the bench)`,
				],
				[
					'n8n at rest',
					`main ${fmt(i.idle?.mainPeakMb, 0)} MB RSS, task runner ${fmt(i.idle?.runnerPeakMb, 0)} MB`,
				],
			],
		),
		'',
		'How it measures:',
		'',
		"- **Wall time** of an n8n side is n8n's own `startedAt` → `stoppedAt` of the execution (manual run through the REST API, as the editor's button does), so it includes the Code node that makes the items and saving the run data. *Time in request nodes* is n8n's `executionTime` of the nodes that talk to BSB (for the HTTP Request side: token step + signing Code node + HTTP Request). Requests/s = invoices ÷ wall time.",
		"- Before each bulk run the emulator is reset and every token it issued is expired, so each run starts as a run the next day would: the stored token is refused once (`0601`) and one new one is fetched. *Token requests* come from the emulator's stats.",
		'- **Memory**: peak RSS of the n8n main process and, separately, of its JS task runner (Code nodes), sampled every 50 ms from `/proc/<pid>/status` during the run; for the main process also `VmHWM` after resetting it (`clear_refs`) at the start of the run. *n8n CPU* is user + system time of both.',
		'- The **HTTP Request** side is what a user builds without this package: a token step (HTTP Request, form POST, *Execute Once*), a Code node that serializes each body and computes BRI-Signature with `crypto` (n8n started with `NODE_FUNCTION_ALLOW_BUILTIN=crypto`, which 2.40.7 passes to its JS task runner), and an HTTP Request node sending the raw JSON with the three headers. Its batching is *Items per Batch* 10, *Batch Interval* = the latency; HTTP Request has no limit on requests in flight, see the analysis. The workflows are in `bench/workflows/`.',
		"- **Callbacks** are signed as BRI signs them (bench/lib/clients.js, the body a section 25 body the emulator made), 20 in flight over keep-alive connections, each batch with one access token from the trigger's section 24 endpoint. A batch is done when the last execution it started has finished. *CPU per callback* is the n8n main process + task runner CPU time of the batch ÷ the number of callbacks. The Webhook + Code side re-serializes the parsed body to check the signature (the Webhook node hands over parsed JSON).",
		'',
		'## Results',
		'',
	];
	if (result.bulk) parts.push(renderBulk(result.bulk, o), '');
	if (result.callbacks) parts.push(renderCallbacks(result.callbacks), '');
	if (result.growth) parts.push(renderGrowth(result.growth), '');
	if (o.analysis) parts.push(o.analysis.trim(), '');
	return parts.join('\n');
}

module.exports = { median, fmt, ratio, table, render };
