// The example workflows (examples/*.json) in a real n8n 2.40.7, one instance for the file:
// flow 1 bills 50 rows of an n8n Data Table (3 invalid) into the BSB emulator; the emulator then
// pays 20 of those invoices and flow 2 (BRI Smart Billing Trigger) marks exactly those rows paid, a
// repeated callback changing nothing; flow 3 sums yesterday's payments per customer group;
// flow 4 updates BPJS memberships; flow 5 (AI agent) is accepted with the BRI node as a tool.
// The last part opens flows 1 and 2 in headless Chromium for the README's screenshots
// (test-output/screenshots; with UPDATE_SCREENSHOTS=1 also .github/images/examples-*.png).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { OUTPUT_DIR, REPO_ROOT, nodeOutput, startN8n } from './harness';
import { signIn } from './signIn';
import type { Execution, Json, N8n, WorkflowJson } from './harness';
import type { BsbCallback, BsbEmulator } from '../../emulator';

// The page's document, for the functions that run in the browser (lib "dom" stays out of the
// Node-side tests).
declare const document: { querySelector(selector: string): { scrollLeft: number } | null };

/* eslint-disable @typescript-eslint/no-require-imports */
const examples = require('../../scripts/lib/examples');
const demo = require('../../scripts/lib/demo');
const { CHROMIUM, CHROMIUM_ARGS, chromiumWorks } = require('../../scripts/lib/chromium');
/* eslint-enable @typescript-eslint/no-require-imports */

type Row = Json & {
	id: number;
	status: string | null;
	referenceNumInvoice: string | null;
	brivaNo: string | null;
	amount: number;
	updatedAt: string;
};

const FILES = {
	monthly: 'monthly-invoices-from-table.json',
	paid: 'mark-invoices-paid-from-callbacks.json',
	report: 'daily-payment-report.json',
	bpjs: 'bpjs-memberships-from-hr-table.json',
	agent: 'billing-ai-agent.json',
};
const INVALID_AT = [7, 23, 41];
const SHOTS = path.join(OUTPUT_DIR, 'screenshots');

function readExample(file: string): WorkflowJson {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
}

/** yyyy-MM-dd in Asia/Jakarta, `daysAgo` days before now. */
function jakartaDate(daysAgo = 0): string {
	return new Date(Date.now() - daysAgo * 86400000).toLocaleDateString('en-CA', {
		timeZone: 'Asia/Jakarta',
	});
}

function expectSuccess(execution: Execution) {
	if (execution.status !== 'success') {
		throw new Error(
			`execution ${execution.id} ended ${execution.status}: ${JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 800)}`,
		);
	}
}

describe('example workflows in a real n8n', () => {
	let n8n: N8n;
	let emu: BsbEmulator;
	let projectId: string;
	let tableId: string;
	let brivaOf: Record<string, string>;
	const ids: Record<keyof typeof FILES, string> = {} as never;
	const timings: Record<string, number> = {};

	const rows = async (): Promise<Row[]> => examples.readRows(n8n.rest, projectId, tableId);

	beforeAll(async () => {
		const started = Date.now();
		n8n = await startN8n();
		emu = n8n.emulators!.bsb;
		brivaOf = await examples.createDemoCustomers({ bsbUrl: emu.url });
		const tables = await examples.setUpDataTables(n8n.rest, {
			rows: examples.demoInvoiceRows({ count: 50, invalidAt: INVALID_AT }),
		});
		projectId = tables.projectId;
		tableId = tables.invoices.id;
		for (const [key, file] of Object.entries(FILES) as Array<[keyof typeof FILES, string]>) {
			const workflow = readExample(file);
			// Tool variants of our nodes carry the credential of the node they wrap.
			for (const node of workflow.nodes) {
				const base = node.type.replace(/Tool$/, '');
				const type = demo.NODE_CREDENTIAL[base] as 'briApi' | 'catapaApi' | undefined;
				if (node.type !== base && type && n8n.credentials[type]) {
					node.credentials = {
						[type]: { id: n8n.credentials[type], name: demo.CREDENTIALS[type].name },
					};
				}
			}
			ids[key] = await n8n.importWorkflow(workflow);
		}
		await n8n.activate(ids.paid);
		const trigger = readExample(FILES.paid).nodes.find(
			(n) => n.type === 'n8n-nodes-bri-bpjs.briSmartBillingTrigger',
		)!;
		emu.configure({ callback: { baseUrl: n8n.webhookUrl(trigger.webhookId!), version: 'v1' } });
		timings.setup = Date.now() - started;
	});

	afterAll(async () => {
		await n8n?.stop();
		process.stderr.write(`examples e2e timings (ms): ${JSON.stringify(timings)}\n`);
	});

	describe('1. monthly invoices from a table', () => {
		let before: Row[];
		let after: Row[];

		it('bills the 47 valid rows of 50 in one run, with Requests at Once 5', async () => {
			before = await rows();
			expect(before).toHaveLength(50);
			expect(before.every((r) => r.status === 'new')).toBe(true);
			const invoicesBefore = emu.state.invoices.size;

			const t = Date.now();
			const execution = await n8n.runWorkflow(ids.monthly);
			timings.flow1 = Date.now() - t;
			expectSuccess(execution);
			expect(nodeOutput(execution, 'Create invoice', 0)).toHaveLength(47);
			expect(nodeOutput(execution, 'Create invoice', 1)).toHaveLength(3);
			expect(nodeOutput(execution, 'Write back: unpaid')).toHaveLength(47);
			expect(nodeOutput(execution, 'Write back: error')).toHaveLength(3);
			expect(emu.state.invoices.size).toBe(invoicesBefore + 47);
		});

		it('writes back reference number, BRIVA number and status unpaid; the invoices exist in BSB as the rows say', async () => {
			after = await rows();
			const unpaid = after.filter((r) => r.status === 'unpaid');
			expect(unpaid).toHaveLength(47);
			const month = jakartaDate().slice(0, 7).replace('-', '');
			for (const row of unpaid) {
				expect(row.referenceNumInvoice).toBe(`INV-${month}-${String(row.id).padStart(4, '0')}`);
				expect(row.brivaNo).toBe(brivaOf[row.referenceNumCustomer as string]);
				expect(row.error).toBe('');
				const invoice = emu.state.invoices.get(row.referenceNumInvoice!);
				expect(invoice).toMatchObject({
					referenceNumCustomer: row.referenceNumCustomer,
					referenceNumFeetype: row.referenceNumFeetype,
					amount: String(row.amount),
					brivaNo: row.brivaNo,
					remarks: row.remarks,
					expDate: jakartaDate(-14),
				});
			}
			// Several invoices on each of the 6 BRIVA numbers.
			expect(new Set(unpaid.map((r) => r.brivaNo)).size).toBe(6);
		});

		it('sends the 3 invalid rows down the errors branch, each with its reason', async () => {
			const errors = after.filter((r) => r.status === 'error');
			expect(errors.map((r) => r.id)).toEqual(INVALID_AT.map((i) => before[i].id));
			errors.forEach((row, n) => {
				expect(row.error).toMatch(examples.INVALID_KINDS[n].error);
				expect(row.referenceNumInvoice).toBeNull();
				expect(row.brivaNo).toBeNull();
			});
			// Named by the invoice's own reference, which holds the row id (INV-<yyyyMM>-<id>).
			errors.slice(0, 2).forEach((row, n) => {
				expect(row.error).toMatch(
					new RegExp(
						`^Invalid input for invoice "INV-\\d{6}-${String(row.id).padStart(4, '0')}": ${['amount', 'expDate'][n]} `,
					),
				);
			});
			expect(errors[2].error).toMatch(/^BSB 0006 for invoice "INV-\d{6}-\d+": /);
		});
	});

	describe('2. mark invoices paid from BRI callbacks', () => {
		let snapshot: Row[];
		let afterPayments: Row[];
		const payments: Array<{ record: BsbCallback; refs: string[]; transactionDate: string }> = [];

		it('marks exactly the 20 paid invoices paid, from 12 callbacks, some paying several invoices at once', async () => {
			snapshot = await rows();
			const byBriva = new Map<string, Row[]>();
			for (const row of snapshot.filter((r) => r.status === 'unpaid')) {
				byBriva.set(row.brivaNo!, [...(byBriva.get(row.brivaNo!) ?? []), row]);
			}
			const brivas = [...byBriva.keys()].sort();
			// 4 + 3 + 3 + 2 invoices in one callback each, then 8 single-invoice callbacks: 20 invoices.
			const plan: Array<{ brivaNo: string; rows: Row[] }> = [
				{ brivaNo: brivas[0], rows: byBriva.get(brivas[0])!.slice(0, 4) },
				{ brivaNo: brivas[1], rows: byBriva.get(brivas[1])!.slice(0, 3) },
				{ brivaNo: brivas[3], rows: byBriva.get(brivas[3])!.slice(0, 3) },
				{ brivaNo: brivas[4], rows: byBriva.get(brivas[4])!.slice(0, 2) },
			];
			for (let i = 0; i < 8; i++) {
				const brivaNo = brivas[[2, 5][i % 2]];
				plan.push({ brivaNo, rows: [byBriva.get(brivaNo)![Math.floor(i / 2)]] });
			}
			expect(plan.reduce((n, p) => n + p.rows.length, 0)).toBe(20);

			const t = Date.now();
			for (const [i, p] of plan.entries()) {
				// Every third payment was made yesterday (a late callback), for the daily report below.
				const transactionDate =
					i % 3 === 0
						? `${jakartaDate(1)} 10:${String(10 + i).padStart(2, '0')}:00`
						: `${jakartaDate()} 00:${String(10 + i).padStart(2, '0')}:05`;
				const refs = p.rows.map((r) => r.referenceNumInvoice!);
				const record = await emu.pay({ brivaNo: p.brivaNo, invoices: refs, transactionDate });
				expect({
					error: record.error,
					status: record.callbackStatus,
					code: record.responseCode,
				}).toEqual({ error: null, status: 200, code: '0000' });
				payments.push({ record, refs, transactionDate });
			}
			const done = await n8n.waitForExecutions(ids.paid, plan.length, 60000);
			timings.flow2 = Date.now() - t;
			expect(done.map((e) => e.status)).toEqual(plan.map(() => 'success'));

			afterPayments = await rows();
			const paidRefs = new Map(payments.flatMap((p) => p.refs.map((ref) => [ref, p] as const)));
			expect(afterPayments.filter((r) => r.status === 'paid')).toHaveLength(20);
			for (const row of afterPayments) {
				const payment = paidRefs.get(row.referenceNumInvoice ?? '');
				const old = snapshot.find((r) => r.id === row.id)!;
				if (!payment) {
					expect(row).toEqual(old); // nothing else changes, not even updatedAt
					continue;
				}
				const [date, time] = payment.transactionDate.split(' ');
				expect(row).toEqual({
					...old,
					status: 'paid',
					paidAmount: old.amount,
					transactionID: payment.record.transactionID,
					paidAt: `${date}T${time}.000+07:00`,
					updatedAt: expect.any(String),
				});
			}
		});

		it('a repeated callback (same transactionID) is answered 0000 and changes nothing', async () => {
			const multi = payments[0];
			const again = await emu.resend(multi.record.index);
			expect({
				error: again.error,
				status: again.callbackStatus,
				code: again.responseCode,
			}).toEqual({ error: null, status: 200, code: '0000' });
			const all = await n8n.waitForExecutions(ids.paid, payments.length + 1, 30000);
			expect(all[0].status).toBe('success');
			const latest = await n8n.getExecution(all[0].id);
			expect(
				nodeOutput(latest, 'BRI Smart Billing Trigger').map((i) => i.referenceNumInvoice),
			).toEqual(multi.refs);
			expect(nodeOutput(latest, 'Mark invoice paid')).toHaveLength(0);
			expect(await rows()).toEqual(afterPayments);
		});

		it('3. daily payment report: yesterday’s payments summed per customer group', async () => {
			const t = Date.now();
			const execution = await n8n.runWorkflow(ids.report);
			timings.flow3 = Date.now() - t;
			expectSuccess(execution);
			// One BRIVA number per customer: the 3 of the emulator's seed and the 6 demo tenants.
			expect(nodeOutput(execution, 'One item per BRIVA number')).toHaveLength(9);

			const yesterday = payments.filter((p) => p.transactionDate.startsWith(jakartaDate(1)));
			const groupOf = (brivaNo: string) => {
				const customer = examples.DEMO_CUSTOMERS.find(
					(c: Json) => brivaOf[c.referenceNumCustomer as string] === brivaNo,
				);
				return customer.referenceNumCustomergroup === 'TOWERA'
					? 'Tower A Residents'
					: 'Tower B Residents';
			};
			const expected = new Map<string, { payments: number; total: number; brivas: Set<string> }>();
			for (const p of yesterday) {
				const body = JSON.parse(p.record.body);
				const entry = expected.get(groupOf(body.brivaNo)) ?? {
					payments: 0,
					total: 0,
					brivas: new Set<string>(),
				};
				entry.payments += 1;
				entry.total += Number(body.totalPaymentAmount);
				entry.brivas.add(body.brivaNo);
				expected.set(groupOf(body.brivaNo), entry);
			}
			expect(yesterday.length).toBeGreaterThan(2);
			const report = nodeOutput(execution, 'Report');
			expect(
				report.sort((a, b) => String(a.customerGroup).localeCompare(String(b.customerGroup))),
			).toEqual(
				[...expected.entries()]
					.sort(([a], [b]) => a.localeCompare(b))
					.map(([customerGroup, e]) => ({
						date: jakartaDate(1),
						customerGroup,
						payments: e.payments,
						brivaNumbers: e.brivas.size,
						totalAmount: e.total,
					})),
			);
		});
	});

	it('4. BPJS memberships from an HR table: good rows updated, the bad row collected from the error outputs', async () => {
		const t = Date.now();
		const execution = await n8n.runWorkflow(ids.bpjs);
		timings.flow4 = Date.now() - t;
		expectSuccess(execution);
		for (const node of ['Update BPJS Kesehatan', 'Update BPJS Ketenagakerjaan']) {
			expect(nodeOutput(execution, node, 0)).toHaveLength(3);
			expect(
				nodeOutput(execution, node, 0).every(
					(item) => typeof item.id === 'string' && item.startDate,
				),
			).toBe(true);
			expect(nodeOutput(execution, node, 1).map((item) => item.error)).toEqual([
				expect.stringMatching(
					/^Invalid input for employee "[^"]+": Start Date \(startDate\) must be a date in yyyy-MM-dd form/,
				),
			]);
		}
		expect(nodeOutput(execution, 'Update BPJS Kesehatan', 0)[2].warnings).toEqual([
			expect.stringMatching(/card number usually has 13 digits/),
		]);
	});

	describe('5. AI agent with BRI Smart Billing as its tool', () => {
		it('n8n offers the node as a tool (n8n-nodes-bri-bpjs.briSmartBillingTool) and the workflow saves with it', async () => {
			const types = await n8n.nodeTypes();
			const tool = types.find((t) => t.name === 'n8n-nodes-bri-bpjs.briSmartBillingTool');
			expect(tool).toBeDefined();
			expect(tool!.outputs).toEqual(['ai_tool']);
			expect(tool!.properties.map((p) => p.name)).toEqual(
				expect.arrayContaining([
					'toolDescription',
					'resource',
					'operation',
					'referenceNumInvoice',
					'brivaNo',
				]),
			);

			const saved = await n8n.rest.get(`/workflows/${ids.agent}`);
			const known = new Set(types.map((t) => t.name));
			expect(
				saved.nodes.filter((n: Json) => !known.has(n.type as string)).map((n: Json) => n.type),
			).toEqual([]);
			const tools = saved.nodes.filter(
				(n: Json) => n.type === 'n8n-nodes-bri-bpjs.briSmartBillingTool',
			);
			expect(tools.map((n: Json) => n.name).sort()).toEqual([
				'Get invoice',
				'Payments of a BRIVA number',
			]);
			expect(saved.connections['Get invoice'].ai_tool[0][0]).toMatchObject({
				node: 'Billing assistant',
				type: 'ai_tool',
			});
		});

		it('the tool nodes’ parameters resolve against the node type, with no issues', async () => {
			const types = await n8n.nodeTypes();
			const saved = await n8n.rest.get(`/workflows/${ids.agent}`);
			// n8n-workflow of the runtime: the same functions the editor uses to show a node's parameters and issues.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { NodeHelpers } = require(path.join(n8n.runtime.modulesDir, 'n8n-workflow'));
			for (const node of saved.nodes.filter(
				(n: Json) => n.type === 'n8n-nodes-bri-bpjs.briSmartBillingTool',
			)) {
				const description = types.find((t) => t.name === node.type)!;
				const resolved = NodeHelpers.getNodeParameters(
					description.properties,
					node.parameters,
					true,
					false,
					node,
					description,
				);
				expect(resolved).toMatchObject(node.parameters);
				expect(
					NodeHelpers.getNodeParametersIssues(
						description.properties,
						{ ...node, parameters: resolved },
						description,
					),
				).toBeNull();
				expect(node.credentials?.briApi?.id).toBe(n8n.credentials.briApi);
			}
		});
	});

	describe('the README’s screenshots of flows 1 and 2', () => {
		it('opens the workflows and the table in the editor and screenshots them', async () => {
			if (!chromiumWorks())
				throw new Error(`${CHROMIUM} is missing: run \`node scripts/n8n-runtime.js install\``);
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { chromium } = require('playwright-core') as typeof import('playwright-core');
			fs.mkdirSync(SHOTS, { recursive: true });
			const t = Date.now();
			const browser = await chromium.launch({
				executablePath: CHROMIUM,
				args: CHROMIUM_ARGS,
				headless: true,
			});
			try {
				const page = await (
					await browser.newContext({ viewport: { width: 1440, height: 860 }, deviceScaleFactor: 1 })
				).newPage();
				page.setDefaultTimeout(30000);
				await signIn(page, n8n.baseUrl);

				const shot = async (name: string) => {
					await page.waitForTimeout(800);
					for (const close of await page.locator('.el-notification__closeBtn').all())
						await close.click().catch(() => undefined);
					await page.waitForTimeout(300);
					const file = path.join(SHOTS, `examples-${name}.png`);
					await page.screenshot({ path: file });
					if (process.env.UPDATE_SCREENSHOTS)
						fs.copyFileSync(
							file,
							path.join(REPO_ROOT, '.github', 'images', `examples-${name}.png`),
						);
				};
				const openWorkflow = async (id: string, nodeName: string) => {
					await page.goto(`${n8n.baseUrl}/workflow/${id}`);
					await page
						.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`)
						.waitFor({ state: 'visible' });
				};

				await openWorkflow(ids.monthly, 'Create invoice');
				await shot('monthly-invoices');
				// Flow 1's run above as n8n shows it: item counts on every connection, 3 on the errors branch.
				const openRun = async (workflowId: string, executionId: string, label: string) => {
					await page.goto(`${n8n.baseUrl}/workflow/${workflowId}/executions/${executionId}`);
					await page.getByText(label).first().waitFor({ state: 'visible' });
				};
				const [monthlyRun] = await n8n.listExecutions(ids.monthly);
				await openRun(ids.monthly, monthlyRun.id, '47 items');
				await shot('monthly-invoices-run');
				// Flow 2's run for the first callback, which paid 4 invoices on one BRIVA number.
				const paidRuns = await n8n.listExecutions(ids.paid);
				await openRun(ids.paid, paidRuns[paidRuns.length - 1].id, '4 items');
				await shot('mark-paid-run');

				// The table after both flows, scrolled to the columns the workflows write.
				await page.setViewportSize({ width: 1920, height: 860 });
				await page.goto(`${n8n.baseUrl}/projects/${projectId}/datatables/${tableId}`);
				await page.locator('.ag-header-cell').first().waitFor({ state: 'visible' });
				// Column ids are n8n's own; find the "status" header by its text and scroll it to the left.
				const statusHeader = page.locator('.ag-header-cell', { hasText: 'status' });
				for (let left = 0; left < 4000; left += 50) {
					const box = await statusHeader.boundingBox({ timeout: 300 }).catch(() => null);
					if (box && box.x < 160) break;
					await page.evaluate((x) => {
						const viewport = document.querySelector('.ag-body-horizontal-scroll-viewport');
						if (viewport) viewport.scrollLeft = x;
					}, left);
					await page.waitForTimeout(30);
				}
				await page.locator('.ag-header-cell', { hasText: 'paidAt' }).waitFor({ state: 'visible' });
				await shot('table');
			} finally {
				await browser.close();
			}
			timings.screenshots = Date.now() - t;
			for (const name of ['monthly-invoices', 'monthly-invoices-run', 'mark-paid-run', 'table']) {
				expect(fs.statSync(path.join(SHOTS, `examples-${name}.png`)).size).toBeGreaterThan(10000);
			}
		});
	});
});
