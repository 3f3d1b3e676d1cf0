// The package on every n8n version it claims (README "Compatibility"): n8n 1.123.x on Node 22,
// the pinned 2.40.7 and the newest 2.41.x that installs, each a real n8n from
// scripts/n8n-runtime.js with the package installed as the Community Nodes screen does, against
// the emulators over HTTP. One n8n start per version, every check against it, one version at a
// time. N8N_COMPAT_VERSIONS=2.41.1 (comma-separated) runs a subset.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';

import { BRI_DEMO, REPO_ROOT, nodeOutput, startN8n } from '../e2e/harness';
import type { Json, N8n, WorkflowJson } from '../e2e/harness';
import { bulkInvoiceWorkflow, searchFeeTypes } from '../e2e/workflows';
import { TRIGGER, triggerWorkflow } from '../fixtures/triggerWorkflow';

/* eslint-disable @typescript-eslint/no-require-imports */
const runtime = require('../../scripts/n8n-runtime');
const { briSign } = require('../../emulator/bsb/util');
/* eslint-enable @typescript-eslint/no-require-imports */

const VERSIONS: string[] = runtime.compatVersions();
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const BRIVA = { cust001: '106107185000001', cust002: '106107185000002' };

interface Bsb {
	url: string;
	stats(): { tokenRequests: number; requests: number };
	state: { invoices: Map<string, unknown>; customerGroups: Map<string, unknown> };
	configure(patch: Json): unknown;
	setReadings(readings: string[]): string[];
	requests: Array<{ method: string; path: string; status: number }>;
	pay(input: { brivaNo: string; invoices?: string[]; amount?: number }): Promise<{
		body: string;
		tokenStatus: number | null;
		callbackStatus: number | null;
		responseCode: string | null;
		error: string | null;
	}>;
}

/**
 * Node versions the examples use that an n8n major lacks (README "Compatibility"): n8n 1.123 has
 * Data table 1 and AI Agent 3, the examples are saved with Data table 1.1 and AI Agent 3.1.
 */
const EXAMPLE_GAPS: Record<string, Record<string, string[]>> = {
	'1': {
		'billing-ai-agent.json': ['@n8n/n8n-nodes-langchain.agent@3.1'],
		'mark-invoices-paid-from-callbacks.json': ['n8n-nodes-base.dataTable@1.1'],
		'monthly-invoices-from-table.json': ['n8n-nodes-base.dataTable@1.1'],
	},
};

function readExample(file: string): WorkflowJson {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...headers },
		body,
	});
	const text = await response.text();
	let json: Json = {};
	try {
		json = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: response.status, body: json };
}

describe.each(VERSIONS)('n8n %s', (version) => {
	let n8n: N8n;
	let bsb: Bsb;

	beforeAll(async () => {
		n8n = await startN8n({ runtime: version });
		bsb = n8n.emulators!.bsb as unknown as Bsb;
	});
	afterAll(async () => await n8n?.stop());

	it('runs the version asked for, on the Node it needs', async () => {
		const settings = await n8n.rest.settings();
		expect(settings.versionCli).toBe(version);
		expect(n8n.runtime.marker()?.node.split('.')[0]).toBe(String(n8n.runtime.nodeMajor));
	});

	it('loads the package: its 3 nodes (the trigger under both type names) and 2 credentials', async () => {
		const types = await n8n.nodeTypes();
		const nodeNames = types.map((t) => t.name);
		const ours = nodeNames.filter((name) => name.startsWith(`${pkg.name}.`) && !/Tool$/.test(name));
		expect(ours.sort()).toEqual(
			[
				`${pkg.name}.bpjsMembership`,
				`${pkg.name}.briCallbackTrigger`,
				`${pkg.name}.briSmartBilling`,
				`${pkg.name}.briSmartBillingTrigger`,
			].sort(),
		);
		// The first type name stays out of the node panel; saved workflows with it still load.
		const hidden = (name: string) => types.find((t) => t.name === `${pkg.name}.${name}`)?.hidden;
		expect([hidden('briCallbackTrigger'), hidden('briSmartBillingTrigger')]).toEqual([
			true,
			undefined,
		]);
		const credentialNames = (await n8n.credentialTypes()).map((t) => t.name);
		expect(credentialNames).toEqual(expect.arrayContaining(['briApi', 'catapaApi']));
		expect(n8n.output()).not.toMatch(/Error loading (package|node)|could not be loaded/i);
	});

	// First of all that signs: the credential has no token yet.
	it('creates 100 invoices with one token request', async () => {
		const prefix = `C${version.replace(/\./g, '')}`;
		const before = bsb.stats().tokenRequests;
		const execution = await n8n.runWorkflow(
			await n8n.importWorkflow(bulkInvoiceWorkflow(prefix, 100, [])),
		);
		expect(execution.status).toBe('success');
		const created = nodeOutput(execution, 'Create invoices', 0);
		expect(created).toHaveLength(100);
		expect(created.map((j) => j.referenceNumInvoice)).toEqual(
			Array.from({ length: 100 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`),
		);
		for (const invoice of created)
			expect(bsb.state.invoices.has(String(invoice.referenceNumInvoice))).toBe(true);
		expect(bsb.stats().tokenRequests - before).toBe(1);
	});

	it("passes n8n's credential test (BRI API against the BSB emulator, CATAPA API against CATAPA's)", async () => {
		const before = bsb.stats().requests;
		expect(await n8n.testCredential(n8n.credentials.briApi!)).toEqual({
			status: 'OK',
			message: expect.any(String),
		});
		expect(bsb.stats().requests).toBeGreaterThan(before);
		expect(await n8n.testCredential(n8n.credentials.catapaApi!)).toMatchObject({ status: 'OK' });
	});

	it('passes it also when BSB takes Get All as POST only, by sending GET and then POST', async () => {
		bsb.setReadings(['getAllPostOnly']);
		try {
			const from = bsb.requests.length;
			expect(await n8n.testCredential(n8n.credentials.briApi!)).toMatchObject({ status: 'OK' });
			const getAll = bsb.requests
				.slice(from)
				.filter((r) => r.path === '/v1/bsb/customers-group')
				.map((r) => `${r.method} ${r.status}`);
			expect(getAll).toEqual(['GET 405', 'POST 200']);
		} finally {
			bsb.setReadings([]);
		}
	});

	it("fills the fee type picker through n8n's resource-locator endpoint", async () => {
		const answer = await searchFeeTypes(n8n, 'air');
		expect(answer.results).toEqual([{ name: 'Tagihan Air (AIR001)', value: 'AIR001' }]);
	});

	describe('the callback flow', () => {
		const webhookId = randomUUID();
		let workflowId: string;
		const url = (endpoint: string) => n8n.webhookUrl(`${webhookId}/v1/${endpoint}`);
		let paidBody = '';

		beforeAll(async () => {
			workflowId = await n8n.importWorkflow(
				triggerWorkflow('Compat: payment callbacks', webhookId),
			);
			await n8n.activate(workflowId);
			bsb.configure({
				callback: {
					baseUrl: n8n.webhookUrl(webhookId),
					version: 'v1',
					providerId: BRI_DEMO.providerId,
					secretKey: BRI_DEMO.callbackSecretKey,
					hmacKey: 'consumerSecret',
					signedPathPrefix: null,
				},
			});
		});

		it('an accepted callback starts one execution, with one item per invoice paid', async () => {
			const record = await bsb.pay({ brivaNo: BRIVA.cust001 });
			expect(record.error).toBeNull();
			expect(record.tokenStatus).toBe(200);
			expect(record.callbackStatus).toBe(200);
			expect(record.responseCode).toBe('0000');
			const executions = await n8n.waitForExecutions(workflowId, 1);
			expect(executions).toHaveLength(1);
			expect(executions[0].status).toBe('success');
			const items = nodeOutput(await n8n.getExecution(executions[0].id), TRIGGER);
			paidBody = record.body;
			const sent = JSON.parse(record.body);
			expect(items.map((i) => i.referenceNumInvoice)).toEqual(
				sent.invoice.map((i: Json) => i.referenceNumInvoice),
			);
		});

		it('forged ones start none, nor does a GET on the base URL', async () => {
			const wrongPair = await post(
				url('access-token'),
				JSON.stringify({ providerId: BRI_DEMO.providerId, secretKey: 'wrong' }),
			);
			expect(wrongPair).toEqual({
				status: 400,
				body: { responseCode: '01', responseMessage: 'Invalid providerId or secretKey' },
			});
			const issued = await post(
				url('access-token'),
				JSON.stringify({ providerId: BRI_DEMO.providerId, secretKey: BRI_DEMO.callbackSecretKey }),
			);
			expect(issued.status).toBe(200);
			const token = String(issued.body.accessToken);
			// A body as BRI sends it, for a payment that never happened.
			const body = JSON.stringify({
				...JSON.parse(paidBody),
				transactionID: `F${Date.now()}`.slice(0, 20),
			});
			const signedPath = `/webhook/${webhookId}/v1/payment/callback`;
			const headers = (overrides: { token?: string; secret?: string } = {}) => {
				const timestamp = new Date().toISOString();
				const t = overrides.token ?? token;
				return {
					Authorization: `Bearer ${t}`,
					'BRI-Timestamp': timestamp,
					'BRI-Signature': briSign(overrides.secret ?? BRI_DEMO.consumerSecret, {
						path: signedPath,
						verb: 'POST',
						token: t,
						timestamp,
						body,
					}),
				};
			};
			const [expiry, nonce, mac] = token.split('.');
			const forgeries = [
				{}, // no headers at all
				{ ...headers(), 'BRI-Signature': 'AAAA' },
				headers({ secret: 'not-the-consumer-secret' }),
				headers({ token: `${Number(expiry) + 3600}.${nonce}.${mac}` }),
			];
			for (const forged of forgeries) {
				const answer = await post(url('payment/callback'), body, forged);
				expect(answer).toEqual({
					status: 401,
					body: { responseCode: '0004', responseMessage: 'Unauthorized' },
				});
			}
			// The base URL registered with BRI answers what it serves, and starts nothing.
			const base = await fetch(n8n.webhookUrl(`${webhookId}/v1`));
			expect(base.status).toBe(200);
			expect(await base.json()).toMatchObject({
				accessToken: { method: 'POST', url: url('access-token') },
				paymentCallback: { method: 'POST', url: url('payment/callback') },
			});
			// A real payment after them is the marker: once its execution is listed, one for a
			// forgery or the GET would be too.
			const marker = await bsb.pay({
				brivaNo: BRIVA.cust002,
				invoices: ['INV-2024-0003'],
				amount: 1000,
			});
			expect(marker.responseCode).toBe('0000');
			await n8n.waitForExecutions(workflowId, 2);
			await new Promise((r) => setTimeout(r, 1000));
			expect(await n8n.listExecutions(workflowId)).toHaveLength(2);
		});
	});

	it('serves every node type and version the examples use (n8n 1.x: all but the known gaps)', async () => {
		const served = new Set<string>();
		for (const type of await n8n.nodeTypes())
			for (const v of ([] as unknown[]).concat(type.version)) served.add(`${type.name}@${v}`);
		const missing: Record<string, string[]> = {};
		for (const file of fs.readdirSync(path.join(REPO_ROOT, 'examples')).sort()) {
			const gaps = readExample(file)
				.nodes.map((node) => `${node.type}@${node.typeVersion}`)
				.filter((key) => !served.has(key));
			if (gaps.length) missing[file] = [...new Set(gaps)];
		}
		expect(missing).toEqual(EXAMPLE_GAPS[version.split('.')[0]] ?? {});
	});

	it('imports and runs the example workflows "quick look" and "BPJS memberships from an HR table"', async () => {
		const quickLook = await n8n.runWorkflow(
			await n8n.importWorkflow(readExample('smart-billing-quick-look.json')),
		);
		expect(quickLook.status).toBe('success');
		expect(nodeOutput(quickLook, 'Get customer groups').length).toBe(bsb.state.customerGroups.size);

		const bpjs = await n8n.runWorkflow(
			await n8n.importWorkflow(readExample('bpjs-memberships-from-hr-table.json')),
		);
		expect(bpjs.status).toBe('success');
		expect(nodeOutput(bpjs, 'Update BPJS Kesehatan', 0)).toHaveLength(3);
		expect(nodeOutput(bpjs, 'Update BPJS Kesehatan', 1)).toHaveLength(1);
	});
});
