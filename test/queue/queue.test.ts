// Queue mode, real: n8n 2.40.7 main + 2 `n8n webhook` processes + 1 `n8n worker`, on our own
// PostgreSQL and Redis (scripts/lib/queue.js), with the BSB emulator sending real payment
// callbacks over HTTP. What is counted comes from Postgres (execution_entity/execution_data,
// credentials_entity) and from the worker's own log, never from our code's say-so.
// Figures the README quotes (dedup, re-sends after a kill, memory) are printed as [queue] lines.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import CryptoJS from 'crypto-js';

import { createInvoicesNode, invoiceRowsCode } from '../fixtures/bulkInvoices';

/* eslint-disable @typescript-eslint/no-require-imports */
const runtime = require('../../scripts/n8n-runtime');
const lib = require('../../scripts/lib/n8n');
const queue = require('../../scripts/lib/queue');
const demo = require('../../scripts/lib/demo');
const { startAll } = require('../../emulator/index.js');
/* eslint-enable @typescript-eslint/no-require-imports */

// Per test: 1,000 callbacks take minutes on 2 shared cores (two n8n webhook requests each).
jest.setTimeout(1_500_000);
// Size of the kill test (the brief's 1,000 doubles the suite's time on 2 cores; see README).
const KILL_CALLBACKS = Number(process.env.QUEUE_KILL_CALLBACKS ?? 1000);

const TRIGGER = 'BRI Smart Billing Trigger';
const TRIGGER_TYPE = 'n8n-nodes-bri-bpjs.briSmartBillingTrigger';
const CUST003 = '106107185000003';
const BIG_INVOICE = 'INV-2024-0004'; // seeded, due 1,000,000+: paid 1 rupiah at a time

type Record_ = {
	transactionID: string;
	tokenStatus: number | null;
	callbackStatus: number | null;
	responseCode: string | null;
	error: string | null;
	body: string;
	index: number;
};
type Proc = {
	name: string;
	baseUrl: string;
	pid: number;
	kill(): Promise<void>;
	stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const note = (line: string) => process.stdout.write(`[queue] ${line}\n`);

/** Runs fn over items, `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>) {
	const out: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (next < items.length) {
				const i = next++;
				out[i] = await fn(items[i], i);
			}
		}),
	);
	return out;
}

function callbackWorkflow(name: string, webhookId: string, settings: Record<string, unknown>) {
	const workflow = queue.callbackWorkflow({ name, webhookId, settings });
	// The node the executions' run data is read under (executionsByTransaction).
	expect(workflow.nodes[0]).toMatchObject({ name: TRIGGER, type: TRIGGER_TYPE });
	return workflow;
}

/** Webhook → Code (rows) → BRI Smart Billing invoice create: a bulk run the worker executes. */
function bulkWorkflow(webhookPath: string) {
	const code = `const { prefix, rows } = $input.first().json.query;\n${invoiceRowsCode('prefix', 'Number(rows)')}`;
	return {
		name: 'Bulk invoices (queue)',
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { path: webhookPath, httpMethod: 'POST', responseMode: 'onReceived' },
			},
			{
				id: randomUUID(),
				name: 'Rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: code },
			},
			createInvoicesNode(),
		],
		connections: {
			Webhook: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Create invoices', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

describe('queue mode: main + 2 webhook processes + 1 worker on PostgreSQL and Redis', () => {
	const outDir = path.join(runtime.REPO_ROOT, 'test-output', 'queue');
	let services: any;
	let cluster: any;
	let emulators: any;
	let bsb: any;
	let rest: any;
	let credentialId = '';
	let webhooks: Proc[] = [];
	let worker: Proc & { name: string };
	const hooks = { plain: randomUUID(), dedup: randomUUID() };
	const ids: Record<string, string> = {};
	const suiteStarted = Date.now();

	const psql = (sql: string): string => services.postgres.psql(sql, services.postgres.database);
	const base = (proc: Proc, webhookId: string) => `${proc.baseUrl}/webhook/${webhookId}`;

	/** transactionID → number of executions of the workflow whose trigger emitted it, and their statuses. */
	function executionsByTransaction(workflowId: string) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const flatted = require(path.join(runtime.RUNTIME_DIR, 'node_modules', 'flatted'));
		const rows = psql(
			`SELECT json_build_object('id', e.id, 'status', e.status, 'data', d.data)::text FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${workflowId}'`,
		)
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line));
		const counts = new Map<string, number>();
		const statuses: Record<string, number> = {};
		const executionIds: string[] = [];
		for (const row of rows) {
			statuses[row.status] = (statuses[row.status] ?? 0) + 1;
			executionIds.push(String(row.id));
			const data = flatted.parse(row.data);
			const item = data.resultData?.runData?.[TRIGGER]?.[0]?.data?.main?.[0]?.[0]?.json;
			const id = String(item?.transactionID ?? '?');
			counts.set(id, (counts.get(id) ?? 0) + 1);
		}
		return { counts, statuses, executionIds, total: rows.length };
	}

	const countExecutions = (workflowId: string) =>
		Number(psql(`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${workflowId}'`));
	const unfinished = () =>
		Number(
			psql(
				`SELECT count(*) FROM execution_entity WHERE status IN ('new', 'running', 'waiting') OR "stoppedAt" IS NULL`,
			),
		);

	/** Waits until the workflow has `count` executions and none is still running anywhere. */
	async function settle(workflowId: string, count: number, timeoutMs = 180_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const n = countExecutions(workflowId);
			if (n >= count && unfinished() === 0) return n;
			if (Date.now() > deadline)
				throw new Error(
					`workflow ${workflowId}: ${n} of ${count} executions after ${timeoutMs} ms`,
				);
			await sleep(500);
		}
	}

	/** Execution ids the worker's log says it ran. */
	const workerRan = () =>
		new Set(
			[
				...fs
					.readFileSync(path.join(outDir, `${worker.name}.log`), 'utf8')
					.matchAll(/Worker finished execution (\d+)/g),
			].map((m) => m[1]),
		);

	/** The BRI API credential's data as n8n stored it in Postgres, decrypted with the shared key. */
	function storedCredential(): Record<string, unknown> {
		const cipher = psql(`SELECT data FROM credentials_entity WHERE id = '${credentialId}'`);
		return JSON.parse(
			CryptoJS.AES.decrypt(cipher, cluster.encryptionKey).toString(CryptoJS.enc.Utf8),
		);
	}

	/** One payment of 1 rupiah; token from `tokenFrom`, callback to `callbackTo`. */
	const payVia = (tokenFrom: Proc, callbackTo: Proc, webhookId: string): Promise<Record_> =>
		bsb.pay(
			{ brivaNo: CUST003, invoices: [BIG_INVOICE], amount: 1 },
			{
				callback: {
					tokenBaseUrl: base(tokenFrom, webhookId),
					baseUrl: base(callbackTo, webhookId),
					timeoutMs: 30000,
				},
			},
		);

	beforeAll(async () => {
		fs.rmSync(outDir, { recursive: true, force: true });
		fs.mkdirSync(outDir, { recursive: true });
		runtime.ensureRuntime({ quiet: true });
		services = await queue.startServices();
		emulators = await startAll({ bsbPort: 0, catapaPort: 0, quiet: true });
		bsb = emulators.bsb;
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bri-queue-pack-'));
		try {
			cluster = await queue.startCluster({
				services,
				tgz: lib.packPackage(packDir),
				logDir: outDir,
				webhooks: 2,
				workers: 1,
			});
		} finally {
			fs.rmSync(packDir, { recursive: true, force: true });
		}
		webhooks = cluster.webhooks;
		worker = cluster.workers[0];
		note(`cluster up after ${Math.round((Date.now() - suiteStarted) / 1000)} s`);

		rest = new lib.RestClient(cluster.main.baseUrl);
		await rest.setupOwner(demo.OWNER);
		await rest.login(demo.OWNER.email, demo.OWNER.password);
		const [bri] = demo
			.emulatorCredentials({ bsbUrl: bsb.url })
			.filter((c: { type: string }) => c.type === 'briApi');
		credentialId = (
			await rest.post('/credentials', { name: bri.name, type: bri.type, data: bri.data })
		).id;
		const create = async (workflow: any) => {
			for (const node of workflow.nodes)
				if (node.type.startsWith('n8n-nodes-bri-bpjs.'))
					node.credentials = { briApi: { id: credentialId, name: bri.name } };
			const created = await rest.post('/workflows', workflow);
			await rest.post(`/workflows/${created.id}/activate`, { versionId: created.versionId });
			return created.id as string;
		};
		ids.plain = await create(callbackWorkflow('Callbacks (queue)', hooks.plain, {}));
		ids.dedup = await create(
			callbackWorkflow('Callbacks, duplicates dropped (queue)', hooks.dedup, {
				dropDuplicates: true,
			}),
		);
		ids.bulk = await create(bulkWorkflow('bulk-invoices'));
		// Publication is asynchronous in n8n 2.40: wait until both webhook processes answer.
		const deadline = Date.now() + 60_000;
		for (const proc of webhooks) {
			for (;;) {
				const answer = await fetch(`${base(proc, hooks.plain)}/v1/access-token`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: '{}',
				});
				if (answer.status === 400) break;
				if (Date.now() > deadline) throw new Error(`${proc.name} never served the callback URLs`);
				await sleep(500);
			}
		}
	});

	afterAll(async () => {
		const memory = cluster
			? cluster
					.processes()
					.map((p: Proc) => `${p.name} ${queue.rssMb(p.pid)} MB`)
					.join(', ')
			: '';
		if (memory) note(`memory (RSS with task runners) at the end: ${memory}`);
		await cluster?.stop();
		await emulators?.close();
		await services?.stop();
		note(`suite time ${Math.round((Date.now() - suiteStarted) / 1000)} s`);
	});

	it('1,000 callbacks, token from one webhook process and callback to the other: 1,000 executions, all by the worker', async () => {
		const started = Date.now();
		const records = await pool(Array.from({ length: 1000 }), 16, (_, i) =>
			payVia(webhooks[i % 2], webhooks[(i + 1) % 2], hooks.plain),
		);
		const seconds = (Date.now() - started) / 1000;
		const bad = records.filter((r) => r.responseCode !== '0000');
		expect(bad.map((r) => `${r.callbackStatus} ${r.responseCode} ${r.error}`)).toEqual([]);
		expect(new Set(records.map((r) => r.transactionID)).size).toBe(1000);
		note(
			`1,000 callbacks answered 0000 in ${seconds.toFixed(1)} s (${(1000 / seconds).toFixed(1)}/s, 16 at a time)`,
		);

		await settle(ids.plain, 1000);
		const { counts, statuses, executionIds, total } = executionsByTransaction(ids.plain);
		expect(total).toBe(1000);
		expect(statuses).toEqual({ success: 1000 });
		for (const r of records) expect(counts.get(r.transactionID)).toBe(1);
		// The worker logs "finished" a moment after Postgres marks the execution done: wait for it.
		const notLogged = () => executionIds.filter((id) => !workerRan().has(id));
		for (let i = 0; i < 40 && notLogged().length > 0; i++) await sleep(250);
		expect(notLogged()).toEqual([]);
		note(`1,000 executions in Postgres, all success, all run by ${worker.name}`);
	});

	it('200 forged callbacks to both processes: 401 / 0004 each, no execution', async () => {
		const before = countExecutions(ids.plain);
		const good = (await payVia(webhooks[0], webhooks[1], hooks.plain)).body;
		const tokenAnswer = await fetch(`${base(webhooks[0], hooks.plain)}/v1/access-token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				providerId: demo.BRI.providerId,
				secretKey: demo.BRI.callbackSecretKey,
			}),
		});
		const token = ((await tokenAnswer.json()) as { accessToken: string }).accessToken;
		const answers = await pool(Array.from({ length: 200 }), 16, async (_, i) => {
			const proc = webhooks[i % 2];
			const payload = JSON.parse(good);
			payload.transactionID = `F${String(i).padStart(15, '0')}`;
			const body = JSON.stringify(payload);
			const timestamp = new Date().toISOString();
			const urlPath = `/webhook/${hooks.plain}/v1/payment/callback`;
			// Four forgeries in turn: wrong signing key, forged token expiry, no token, body changed.
			const kind = i % 4;
			const [expiry, nonce, mac] = token.split('.');
			const usedToken = kind === 1 ? `${Number(expiry) + 3600}.${nonce}.${mac}` : token;
			const key = kind === 0 ? 'not-the-consumer-secret' : demo.BRI.consumerSecret;
			const signature = CryptoJS.enc.Base64.stringify(
				CryptoJS.HmacSHA256(
					`path=${urlPath}&verb=POST&token=Bearer ${usedToken}&timestamp=${timestamp}&body=${body}`,
					key,
				),
			);
			const response = await fetch(`${proc.baseUrl}${urlPath}`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(kind === 2 ? {} : { Authorization: `Bearer ${usedToken}` }),
					'BRI-Timestamp': timestamp,
					'BRI-Signature': signature,
				},
				body: kind === 3 ? body.replace('"F', '"G') : body,
			});
			return `${response.status} ${((await response.json()) as { responseCode: string }).responseCode}`;
		});
		expect(answers.filter((a) => a !== '401 0004')).toEqual([]);
		// Marker: one good callback after them all; once it is in, a forged one would be too.
		const marker = await payVia(webhooks[1], webhooks[0], hooks.plain);
		expect(marker.responseCode).toBe('0000');
		await settle(ids.plain, before + 2);
		await sleep(2000);
		expect(countExecutions(ids.plain)).toBe(before + 2);
		const { counts } = executionsByTransaction(ids.plain);
		expect([...counts.keys()].filter((id) => /^[FG]/.test(id))).toEqual([]);
	});

	it('bulk run of 500 invoices on the worker: one token, kept in Postgres across two executions, refreshed once after expiry', async () => {
		const run = async (prefix: string) => {
			const before = countExecutions(ids.bulk);
			const answer = await fetch(
				`${webhooks[0].baseUrl}/webhook/bulk-invoices?prefix=${prefix}&rows=500`,
				{
					method: 'POST',
				},
			);
			expect(answer.status).toBe(200);
			await settle(ids.bulk, before + 1, 300_000);
			const [id, status] = psql(
				`SELECT id || ' ' || status FROM execution_entity WHERE "workflowId" = '${ids.bulk}' ORDER BY id DESC LIMIT 1`,
			).split(' ');
			expect(status).toBe('success');
			// n8n marks the execution finished in Postgres a moment before the worker logs it.
			for (let i = 0; i < 40 && !workerRan().has(id); i++) await sleep(250);
			expect(workerRan().has(id)).toBe(true);
			for (const ref of [`${prefix}-000`, `${prefix}-499`])
				expect(bsb.state.invoices.has(ref)).toBe(true);
		};
		expect(storedCredential().accessToken ?? '').toBe('');
		const tokens0 = bsb.stats().tokenRequests;
		await run('QA');
		expect(bsb.stats().tokenRequests - tokens0).toBe(1);
		const first = String(storedCredential().accessToken ?? '');
		expect(first).not.toBe('');

		await run('QB');
		expect(bsb.stats().tokenRequests - tokens0).toBe(1); // the token came from Postgres
		expect(storedCredential().accessToken).toBe(first);

		bsb.expireTokens();
		await run('QC');
		expect(bsb.stats().tokenRequests - tokens0).toBe(2); // one refresh, for 500 calls
		const refreshed = String(storedCredential().accessToken ?? '');
		expect(refreshed).not.toBe('');
		expect(refreshed).not.toBe(first);
	});

	it('Drop Duplicate Callbacks across two webhook processes: nothing lost; duplicates measured', async () => {
		const N = 30;
		const originals = await pool(Array.from({ length: 2 * N }), 8, (_, i) =>
			payVia(webhooks[i % 2], webhooks[i % 2], hooks.dedup),
		);
		expect(originals.every((r) => r.responseCode === '0000')).toBe(true);
		await settle(ids.dedup, 2 * N);
		const remembered = (): number => {
			const text = psql(`SELECT "staticData" FROM workflow_entity WHERE id = '${ids.dedup}'`);
			return new Set(originals.map((r) => r.transactionID).filter((id) => text.includes(id))).size;
		};
		note(
			`dedup: after ${2 * N} payments (8 at a time over both processes) the workflow's static data in Postgres holds ${remembered()} of their transactionIDs`,
		);
		// Seconds apart: the first N re-sent to the other process 2 s later.
		await sleep(2000);
		const apart = originals.slice(0, N);
		const apartAnswers = await pool(apart, 8, (r, i) =>
			bsb.resend(r, {
				callback: { tokenBaseUrl: null, baseUrl: base(webhooks[(i + 1) % 2], hooks.dedup) },
			}),
		);
		// At the same moment: the other N re-sent to both processes at once.
		const together = originals.slice(N);
		const togetherAnswers = (
			await pool(together, 4, (r) =>
				Promise.all(
					webhooks.map((proc) =>
						bsb.resend(r, { callback: { tokenBaseUrl: null, baseUrl: base(proc, hooks.dedup) } }),
					),
				),
			)
		).flat();
		const all = [...apartAnswers, ...togetherAnswers] as Record_[];
		// Guaranteed: every delivery is answered 0000 (BRI stops re-sending) and every payment has
		// an execution; never more executions than deliveries.
		expect(all.filter((r) => r.responseCode !== '0000')).toEqual([]);
		await sleep(3000);
		await settle(ids.dedup, 2 * N);
		const { counts } = executionsByTransaction(ids.dedup);
		for (const r of originals) expect(counts.get(r.transactionID)).toBeGreaterThanOrEqual(1);
		for (const r of apart) expect(counts.get(r.transactionID)).toBeLessThanOrEqual(2);
		for (const r of together) expect(counts.get(r.transactionID)).toBeLessThanOrEqual(3);
		const extra = (list: Record_[]) =>
			list.reduce((sum, r) => sum + (counts.get(r.transactionID)! - 1), 0);
		note(
			`dedup, re-sent to the other process 2 s later: ${extra(apart)} of ${N} re-deliveries ran again`,
		);
		note(
			`dedup, re-sent to both processes at the same moment: ${extra(together)} of ${2 * N} re-deliveries ran again (${together.filter((r) => counts.get(r.transactionID)! > 1).length} of ${N} payments ran more than once)`,
		);
	});

	it(`killing one webhook process halfway through ${KILL_CALLBACKS} callbacks loses no callback answered 0000; the rest are what BRI re-sends`, async () => {
		const before = executionsByTransaction(ids.plain).counts;
		const victim = webhooks[1];
		let killedAt = -1;
		const records = await pool(Array.from({ length: KILL_CALLBACKS }), 16, async (_, i) => {
			if (i === KILL_CALLBACKS / 2 && killedAt < 0) {
				killedAt = i;
				await victim.kill();
			}
			return payVia(webhooks[i % 2], webhooks[(i + 1) % 2], hooks.plain);
		});
		const answered = records.filter((r) => r.responseCode === '0000');
		const unanswered = records.filter((r) => r.responseCode !== '0000');
		note(
			`kill of ${victim.name} after ${KILL_CALLBACKS / 2} of ${KILL_CALLBACKS} callbacks: ${answered.length} answered 0000, ${unanswered.length} not answered (BRI re-sends those)`,
		);
		expect(answered.length).toBeGreaterThan(0);
		expect(unanswered.length).toBeGreaterThan(0); // the kill did cut callbacks off

		await sleep(3000);
		const deadline = Date.now() + 180_000;
		let counts = executionsByTransaction(ids.plain).counts;
		while (answered.some((r) => !counts.get(r.transactionID)) && Date.now() < deadline) {
			await sleep(1000);
			counts = executionsByTransaction(ids.plain).counts;
		}
		// Every 0000 has exactly one execution: nothing answered was lost.
		expect(
			answered.filter((r) => counts.get(r.transactionID) !== 1).map((r) => r.transactionID),
		).toEqual([]);
		// Unanswered ones may or may not have run (the process may die after enqueueing):
		const ranAnyway = unanswered.filter((r) => (counts.get(r.transactionID) ?? 0) > 0).length;
		note(
			`of the ${unanswered.length} unanswered, ${ranAnyway} had been executed before the answer was lost`,
		);

		// BRI re-sends the unanswered ones to the surviving process: every payment then has an execution.
		const survivor = webhooks[0];
		const resent = await pool(unanswered, 8, (r) =>
			bsb.resend(r, { callback: { tokenBaseUrl: null, baseUrl: base(survivor, hooks.plain) } }),
		);
		expect((resent as Record_[]).filter((r) => r.responseCode !== '0000')).toEqual([]);
		// Not settle(): the killed process may have left an execution row it never queued. Wait
		// until the number of unfinished executions stays the same for 9 s.
		const open = () =>
			`${countExecutions(ids.plain)}/${psql(`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${ids.plain}' AND "stoppedAt" IS NULL`)}`;
		for (let same = 0, last = open(); same < 3;) {
			await sleep(3000);
			const now = open();
			same = now === last ? same + 1 : 0;
			last = now;
		}
		const result = executionsByTransaction(ids.plain);
		counts = result.counts;
		note(
			`executions of the callback workflow by status after the kill: ${JSON.stringify(result.statuses)}`,
		);
		for (const r of records) expect(counts.get(r.transactionID)).toBeGreaterThanOrEqual(1);
		for (const id of before.keys()) expect(counts.get(id)).toBe(before.get(id));
		note(
			`after BRI's re-sends: all ${KILL_CALLBACKS} payments executed; ${ranAnyway} of them twice (no dedup on this workflow)`,
		);
	});
});
