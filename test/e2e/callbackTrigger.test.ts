// BRI Smart Billing Trigger in a real n8n 2.40.7 (spec sections 24–25): the BSB emulator's payment
// simulation drives the whole flow (access token, then the signed callback) into active
// workflows; forged and broken requests get BSB's answers and start no execution, nor does a GET
// on the base URL. A workflow saved with the trigger's first type name, briCallbackTrigger, still
// publishes and runs.
// Requests the emulator cannot make (broken ones) are signed here with crypto-js, which shares
// no code with the node's own verification.
import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import CryptoJS from 'crypto-js';

import { BRI_DEMO, nodeOutput, startN8n, waitForBuild } from './harness';
import type { Execution, N8n, WorkflowJson } from './harness';
import { callbackTokenKey, issueCallbackToken } from '../../nodes/Bri/CallbackTrigger/callback';
import type { BsbCallback, BsbEmulator } from '../../emulator';

const TRIGGER_TYPE = 'n8n-nodes-bri-bpjs.briSmartBillingTrigger';
/** The type name of the first releases, hidden in the node panel since. */
const FIRST_TYPE = 'n8n-nodes-bri-bpjs.briCallbackTrigger';
const TRIGGER = 'BRI Smart Billing Trigger';
// Seeded BRIVA numbers of the emulator (emulator/bsb/seed.js): each with unpaid invoices.
const BRIVA = {
	cust001: '106107185000001',
	cust002: '106107185000002',
	cust003: '106107185000003',
};

interface Answer {
	status: number;
	body: Record<string, any>;
	text: string;
}

function workflow(
	name: string,
	webhookId: string,
	parameters: Record<string, unknown>,
	next?: WorkflowJson['nodes'][number],
	type = TRIGGER_TYPE,
): WorkflowJson {
	const nodes: WorkflowJson['nodes'] = [
		{ name: TRIGGER, type, typeVersion: 1, position: [0, 0], webhookId, parameters },
	];
	const connections: Record<string, unknown> = {};
	if (next) {
		nodes.push(next);
		connections[TRIGGER] = { main: [[{ node: next.name, type: 'main', index: 0 }]] };
	}
	return { name, nodes, connections };
}

const done = {
	name: 'Done',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [300, 0],
	parameters: {},
};
const fail = {
	name: 'Fail',
	type: 'n8n-nodes-base.stopAndError',
	typeVersion: 1,
	position: [300, 0],
	parameters: { errorMessage: 'Booking the payment failed' },
};

async function post(
	url: string,
	body: string | Buffer,
	headers: Record<string, string> = {},
): Promise<Answer> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...headers },
		body,
	});
	const text = await response.text();
	let parsed: Record<string, any> = {};
	try {
		parsed = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: response.status, body: parsed, text };
}

function sign(
	secret: string,
	path: string,
	token: string,
	timestamp: string,
	body: string,
): string {
	const payload = `path=${path}&verb=POST&token=Bearer ${token}&timestamp=${timestamp}&body=${body}`;
	return CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA256(payload, secret));
}

const finished = (e: Execution | { status: string }) =>
	!['new', 'running', 'waiting'].includes(e.status);

describe('BRI Smart Billing Trigger in a real n8n', () => {
	let n8n: N8n;
	let emu: BsbEmulator;
	const ids: Record<string, string> = {};
	const hooks = {
		onReceipt: randomUUID(),
		afterSuccess: randomUUID(),
		afterFailure: randomUUID(),
		options: randomUUID(),
		variants: randomUUID(),
		root: randomUUID(),
		firstType: randomUUID(),
	};
	const base = (webhookId: string) => n8n.webhookUrl(webhookId);

	beforeAll(async () => {
		if (
			!(await waitForBuild('dist/nodes/Bri/CallbackTrigger/BriSmartBillingCallbackTrigger.node.js'))
		) {
			throw new Error('dist/ has no BRI Smart Billing Trigger: run `npm run build` first');
		}
		// Debug level, so the node's own refusal messages are in the log the secrecy test reads.
		n8n = await startN8n({ env: { N8N_LOG_LEVEL: 'debug' } });
		emu = n8n.emulators!.bsb;

		ids.onReceipt = await n8n.importWorkflow(
			workflow(
				'Callback: on receipt',
				hooks.onReceipt,
				{ settings: { dropDuplicates: true } },
				done,
			),
		);
		ids.afterSuccess = await n8n.importWorkflow(
			workflow(
				'Callback: after the workflow, success',
				hooks.afterSuccess,
				{ responseMode: 'lastNode' },
				done,
			),
		);
		ids.afterFailure = await n8n.importWorkflow(
			workflow(
				'Callback: after the workflow, failure',
				hooks.afterFailure,
				{ responseMode: 'lastNode' },
				fail,
			),
		);
		ids.options = await n8n.importWorkflow(
			workflow(
				'Callback: options',
				hooks.options,
				{
					output: 'perPayment',
					settings: {
						parseAmounts: true,
						signatureKey: 'callbackSecretKey',
						publicBasePath: '/bri/',
					},
				},
				done,
			),
		);
		ids.variants = await n8n.importWorkflow(
			workflow('Callback: every reading', hooks.variants, {}, done),
		);
		ids.root = await n8n.importWorkflow(
			workflow(
				'Callback: proxy at the domain root',
				hooks.root,
				{ settings: { publicBasePath: '/' } },
				done,
			),
		);
		ids.firstType = await n8n.importWorkflow(
			workflow('Callback: saved with briCallbackTrigger', hooks.firstType, {}, done, FIRST_TYPE),
		);
		for (const id of Object.values(ids)) await n8n.activate(id);
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	function pointEmulatorAt(webhookId: string, extra: Record<string, unknown> = {}) {
		emu.configure({
			callback: {
				baseUrl: base(webhookId),
				version: 'v1',
				providerId: BRI_DEMO.providerId,
				secretKey: BRI_DEMO.callbackSecretKey,
				hmacKey: 'consumerSecret',
				signedPathPrefix: null,
				...extra,
			},
		});
	}

	async function executions(workflowId: string) {
		return n8n.listExecutions(workflowId);
	}

	describe('the emulator pays, n8n runs the workflow', () => {
		let first: BsbCallback;

		it('answers the token and the callback with 0000 and starts one execution with one item per invoice', async () => {
			pointEmulatorAt(hooks.onReceipt);
			first = await emu.pay({ brivaNo: BRIVA.cust001 });
			expect(first.error).toBeNull();
			expect(first.tokenStatus).toBe(200);
			expect(first.tokenBody).toEqual({
				responseCode: '00',
				responseMessage: 'success',
				accessToken: '***',
				expiredIn: '180',
			});
			expect(first.callbackStatus).toBe(200);
			expect(first.responseCode).toBe('0000');
			const sent = JSON.parse(first.body);
			expect(first.callbackBody).toEqual({
				responseCode: '0000',
				responseMessage: 'Success',
				data: sent,
			});
			expect(first.request?.url).toBe(`${base(hooks.onReceipt)}/v1/payment/callback`);

			const [summary] = await n8n.waitForExecutions(ids.onReceipt, 1);
			expect(summary.status).toBe('success');
			const items = nodeOutput(await n8n.getExecution(summary.id), TRIGGER);
			expect(sent.invoice.length).toBe(2); // CUST001 has two invoices in the seed
			expect(items).toEqual(
				sent.invoice.map((invoice: Record<string, unknown>) => ({
					brivaNo: sent.brivaNo,
					transactionID: sent.transactionID,
					transactionDate: sent.transactionDate,
					paymentType: 'BRIVA',
					totalPaymentAmount: sent.totalPaymentAmount,
					additionalInfo: sent.additionalInfo,
					...invoice,
				})),
			);
		});

		it('a GET on the base URL registered with BRI answers what it serves and starts no execution', async () => {
			const response = await fetch(`${base(hooks.onReceipt)}/v1`);
			expect(response.status).toBe(200);
			expect(response.headers.get('cache-control')).toBe('no-store');
			expect(await response.json()).toEqual({
				service: 'BRI Smart Billing payment callbacks (n8n, BRI Smart Billing Trigger)',
				registerWithBri: expect.stringContaining('Callback Provider ID and Callback Secret Key'),
				accessToken: { method: 'POST', url: `${base(hooks.onReceipt)}/v1/access-token` },
				paymentCallback: { method: 'POST', url: `${base(hooks.onReceipt)}/v1/payment/callback` },
			});
			await new Promise((r) => setTimeout(r, 1000));
			expect(await executions(ids.onReceipt)).toHaveLength(1);
		});

		it('drops the same transactionID sent again: 0000, no second execution', async () => {
			const again = await emu.resend(first.index);
			expect(again.callbackStatus).toBe(200);
			expect(again.responseCode).toBe('0000');
			// A new payment afterwards is a marker: once its execution is listed, a second execution
			// for the resend would be listed too.
			const next = await emu.pay({
				brivaNo: BRIVA.cust002,
				invoices: ['INV-2024-0003'],
				amount: 1000,
			});
			expect(next.responseCode).toBe('0000');
			const all = await n8n.waitForExecutions(ids.onReceipt, 2);
			await new Promise((r) => setTimeout(r, 1000));
			expect(await executions(ids.onReceipt)).toHaveLength(2);
			expect(all.every((e) => e.status === 'success')).toBe(true);
			const latest = nodeOutput(await n8n.getExecution(all[0].id), TRIGGER);
			expect(latest).toEqual([
				expect.objectContaining({
					transactionID: next.transactionID,
					referenceNumInvoice: 'INV-2024-0003',
				}),
			]);
		});

		it('after the workflow finishes: 0000 when it succeeds', async () => {
			pointEmulatorAt(hooks.afterSuccess);
			const record = await emu.pay({ brivaNo: BRIVA.cust003, amount: 1000000 });
			expect(record.callbackStatus).toBe(200);
			expect(record.responseCode).toBe('0000');
			expect(record.callbackBody).toEqual({
				responseCode: '0000',
				responseMessage: 'Success',
				data: JSON.parse(record.body),
			});
			const [summary] = await n8n.waitForExecutions(ids.afterSuccess, 1);
			expect(summary.status).toBe('success');
		});

		it('after the workflow finishes: an error code when it fails, so BRI learns of it', async () => {
			pointEmulatorAt(hooks.afterFailure);
			const record = await emu.pay({ brivaNo: BRIVA.cust003, amount: 1000000 });
			expect(record.callbackStatus).toBe(500);
			expect(record.callbackBody).toEqual({
				responseCode: '0009',
				responseMessage: 'Generic service error',
			});
			const [summary] = await n8n.waitForExecutions(ids.afterFailure, 1);
			expect(summary.status).toBe('error');
			const execution = await n8n.getExecution(summary.id);
			expect(nodeOutput(execution, TRIGGER)).toHaveLength(1);
		});

		it('options: one item per payment, amounts as numbers, Callback Secret Key as HMAC key, public base path', async () => {
			pointEmulatorAt(hooks.options, { hmacKey: 'callbackSecretKey', signedPathPrefix: '/bri' });
			const record = await emu.pay({ brivaNo: BRIVA.cust003, amount: 500000 });
			expect(record.request?.signedPath).toBe('/bri/v1/payment/callback');
			expect(record.responseCode).toBe('0000');
			const [summary] = await n8n.waitForExecutions(ids.options, 1);
			const items = nodeOutput(await n8n.getExecution(summary.id), TRIGGER);
			const sent = JSON.parse(record.body);
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({
				brivaNo: sent.brivaNo,
				transactionID: sent.transactionID,
				totalPaymentAmount: 500000,
				invoice: [
					expect.objectContaining({ referenceNumInvoice: 'INV-2024-0004', paymentAmount: 500000 }),
				],
			});

			// The same emulator signing the path as received is refused by this workflow.
			pointEmulatorAt(hooks.options, { hmacKey: 'callbackSecretKey' });
			const unsigned = await emu.pay({ brivaNo: BRIVA.cust003, amount: 1000 });
			expect(unsigned.callbackStatus).toBe(401);
			expect(unsigned.responseCode).toBe('0004');
			await new Promise((r) => setTimeout(r, 1000));
			expect(await executions(ids.options)).toHaveLength(1);
		});

		it('a workflow saved with the first type name, briCallbackTrigger, publishes and takes a signed callback', async () => {
			const types = await n8n.nodeTypes();
			const first = types.find((t) => t.name === FIRST_TYPE);
			expect(first).toMatchObject({ displayName: 'BRI Smart Billing Trigger', hidden: true });
			expect(types.find((t) => t.name === TRIGGER_TYPE)).not.toHaveProperty('hidden');
			const stored = await n8n.rest.get(`/workflows/${ids.firstType}`);
			expect(stored.nodes[0].type).toBe(FIRST_TYPE);

			pointEmulatorAt(hooks.firstType);
			const record = await emu.pay({
				brivaNo: BRIVA.cust002,
				invoices: ['INV-2024-0003'],
				amount: 1000,
			});
			expect(record.tokenStatus).toBe(200);
			expect(record.callbackStatus).toBe(200);
			expect(record.responseCode).toBe('0000');
			const [summary] = await n8n.waitForExecutions(ids.firstType, 1);
			expect(summary.status).toBe('success');
			expect(nodeOutput(await n8n.getExecution(summary.id), TRIGGER)).toEqual([
				expect.objectContaining({
					transactionID: record.transactionID,
					referenceNumInvoice: 'INV-2024-0003',
				}),
			]);
			// Its base URL answers as the new type's does.
			expect((await fetch(`${base(hooks.firstType)}/v1`)).status).toBe(200);
		});

		it('test URL: after "Execute workflow", /webhook-test/<id> takes the token call and one callback', async () => {
			const webhookId = randomUUID();
			const id = await n8n.importWorkflow(workflow('Callback: test URL', webhookId, {}, done));
			// As the editor's "Execute workflow" button: n8n registers the test webhooks and waits.
			const started = await n8n.rest.post(`/workflows/${id}/run`, {
				triggerToStartFrom: { name: TRIGGER },
			});
			expect(started).toMatchObject({ waitingForWebhook: true });

			pointEmulatorAt(webhookId);
			emu.configure({ callback: { baseUrl: `${n8n.baseUrl}/webhook-test/${webhookId}` } });
			// Neither a GET on the base URL (it names the test URLs) nor a refused callback uses the
			// registration up.
			const testBase = `${n8n.baseUrl}/webhook-test/${webhookId}/v1`;
			const info = await fetch(testBase);
			expect(info.status).toBe(200);
			expect(await info.json()).toMatchObject({
				accessToken: { url: `${testBase}/access-token` },
				paymentCallback: { url: `${testBase}/payment/callback` },
			});
			const refused = await post(
				`${n8n.baseUrl}/webhook-test/${webhookId}/v1/payment/callback`,
				'{}',
			);
			expect(refused.status).toBe(401);
			const record = await emu.pay({
				brivaNo: BRIVA.cust002,
				invoices: ['INV-2024-0003'],
				amount: 1000,
			});
			expect(record.tokenStatus).toBe(200);
			expect(record.responseCode).toBe('0000');
			const [summary] = await n8n.waitForExecutions(id, 1);
			expect(summary.mode).toBe('manual');
			expect(nodeOutput(await n8n.getExecution(summary.id), TRIGGER)[0]).toMatchObject({
				transactionID: record.transactionID,
			});

			// One run per click, as for every n8n test webhook: the next callback finds nothing there.
			const after = await emu.pay({
				brivaNo: BRIVA.cust002,
				invoices: ['INV-2024-0003'],
				amount: 1000,
			});
			expect(after.tokenStatus).toBe(404);
			expect(await executions(id)).toHaveLength(1);
		});

		it('refuses a wrong provider pair on the access token with 400 / 01, and the callback never comes', async () => {
			pointEmulatorAt(hooks.onReceipt, { secretKey: 'not-the-secret-key' });
			const before = (await executions(ids.onReceipt)).length;
			const record = await emu.pay({
				brivaNo: BRIVA.cust002,
				invoices: ['INV-2024-0003'],
				amount: 1000,
			});
			expect(record.tokenStatus).toBe(400);
			expect(record.tokenBody).toEqual({
				responseCode: '01',
				responseMessage: 'Invalid providerId or secretKey',
			});
			expect(record.callbackStatus).toBeNull();
			await new Promise((r) => setTimeout(r, 1000));
			expect(await executions(ids.onReceipt)).toHaveLength(before);
		});
	});

	it('will not publish with a credential that lacks the callback provider pair, and says what is missing', async () => {
		const credential = await n8n.rest.post('/credentials', {
			name: 'BRI API without callback fields',
			type: 'briApi',
			data: {
				environment: 'custom',
				customUrl: emu.url,
				consumerKey: BRI_DEMO.consumerKey,
				consumerSecret: BRI_DEMO.consumerSecret,
			},
		});
		const webhookId = randomUUID();
		const id = await n8n.importWorkflow(
			workflow('Callback: incomplete credential', webhookId, {}, done),
		);
		const stored = await n8n.rest.get(`/workflows/${id}`);
		const nodes = stored.nodes.map((node: { type: string }) =>
			node.type === TRIGGER_TYPE
				? { ...node, credentials: { briApi: { id: credential.id, name: credential.name } } }
				: node,
		);
		await n8n.rest.patch(`/workflows/${id}`, { versionId: stored.versionId, nodes });
		// n8n 2.40 publishes in the background and retries a failing trigger 5 times (1+2+4+8 s)
		// before it reports the publication as failed, with the node's message.
		await n8n.activate(id).catch(() => undefined);
		let status:
			| { status: string; triggers: Array<{ status: string; errorMessage: string | null }> }
			| undefined;
		for (let i = 0; i < 240; i++) {
			status = await n8n.rest.get(`/workflows/${id}/publication-status`);
			if (status && status.status !== 'in_progress' && status.status !== 'not_published') break;
			await new Promise((r) => setTimeout(r, 250));
		}
		expect(status?.status).toBe('failed');
		const message = String(status?.triggers[0]?.errorMessage);
		expect(message).toBe(
			'The BRI API credential needs Callback Provider ID and Callback Secret Key for the callback trigger',
		);
		// And nothing answers there: no webhook was registered.
		const answer = await post(
			`${base(webhookId)}/v1/access-token`,
			JSON.stringify({ providerId: '', secretKey: '' }),
		);
		expect(answer.status).toBe(404);
		await n8n.deactivate(id).catch(() => undefined);
	});

	describe('forged and broken requests', () => {
		const path = () => `/webhook/${hooks.onReceipt}/v1/payment/callback`;
		const callbackUrl = () => `${base(hooks.onReceipt)}/v1/payment/callback`;
		const tokenUrl = () => `${base(hooks.onReceipt)}/v1/access-token`;
		let token = '';
		let goodBody = '';
		let before = 0;
		const answers: string[] = [];

		beforeAll(async () => {
			const answer = await post(
				tokenUrl(),
				JSON.stringify({ providerId: BRI_DEMO.providerId, secretKey: BRI_DEMO.callbackSecretKey }),
			);
			expect(answer.status).toBe(200);
			token = answer.body.accessToken;
			// A body as the emulator would send it, for a payment that never happened.
			goodBody = emu.callbacks[0].body;
			before = (await executions(ids.onReceipt)).length;
		});

		function signedHeaders(
			body: string,
			overrides: { token?: string; timestamp?: string; secret?: string; path?: string } = {},
		) {
			const t = overrides.token ?? token;
			const timestamp = overrides.timestamp ?? new Date().toISOString();
			return {
				Authorization: `Bearer ${t}`,
				'BRI-Timestamp': timestamp,
				'BRI-Signature': sign(
					overrides.secret ?? BRI_DEMO.consumerSecret,
					overrides.path ?? path(),
					t,
					timestamp,
					body,
				),
			};
		}

		const freshBody = () => {
			const payload = JSON.parse(goodBody);
			payload.transactionID = `X${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(0, 20);
			return JSON.stringify(payload);
		};

		async function expectRefused(answer: Answer, status: number, code: string) {
			answers.push(answer.text);
			expect(answer.status).toBe(status);
			expect(answer.body.responseCode).toBe(code);
			if (code === '0004')
				expect(answer.body).toEqual({ responseCode: '0004', responseMessage: 'Unauthorized' });
		}

		it('access token: wrong pair, missing field, malformed JSON → 400 / 01', async () => {
			for (const body of [
				JSON.stringify({ providerId: BRI_DEMO.providerId, secretKey: 'wrong' }),
				JSON.stringify({ providerId: 'wrong', secretKey: BRI_DEMO.callbackSecretKey }),
				JSON.stringify({ providerId: BRI_DEMO.providerId }),
				'{"providerId":',
			]) {
				const answer = await post(tokenUrl(), body);
				answers.push(answer.text);
				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({
					responseCode: '01',
					responseMessage: 'Invalid providerId or secretKey',
				});
			}
		});

		it('no token, expired token, forged token, token of another secret → 401 / 0004', async () => {
			const body = freshBody();
			const { Authorization: _a, ...noToken } = signedHeaders(body);
			await expectRefused(await post(callbackUrl(), body, noToken), 401, '0004');

			const key = callbackTokenKey(
				BRI_DEMO.callbackSecretKey,
				BRI_DEMO.providerId,
				hooks.onReceipt,
			);
			const expired = issueCallbackToken(key, 180, Date.now() - 181_000).accessToken;
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { token: expired })),
				401,
				'0004',
			);

			const [expiry, nonce, mac] = token.split('.');
			const forged = `${Number(expiry) + 3600}.${nonce}.${mac}`;
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { token: forged })),
				401,
				'0004',
			);

			const otherKey = callbackTokenKey('another-secret', BRI_DEMO.providerId, hooks.onReceipt);
			const other = issueCallbackToken(otherKey, 180, Date.now()).accessToken;
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { token: other })),
				401,
				'0004',
			);

			// A token of another trigger (same credential) is no good here either.
			const elsewhere = await post(
				`${base(hooks.afterSuccess)}/v1/access-token`,
				JSON.stringify({ providerId: BRI_DEMO.providerId, secretKey: BRI_DEMO.callbackSecretKey }),
			);
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { token: elsewhere.body.accessToken })),
				401,
				'0004',
			);
		});

		it('wrong signature, other HMAC key, body changed after signing → 401 / 0004', async () => {
			const body = freshBody();
			await expectRefused(
				await post(callbackUrl(), body, { ...signedHeaders(body), 'BRI-Signature': 'AAAA' }),
				401,
				'0004',
			);
			await expectRefused(
				await post(
					callbackUrl(),
					body,
					signedHeaders(body, { secret: BRI_DEMO.callbackSecretKey }),
				),
				401,
				'0004',
			);
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { path: '/v1/payment/callback' })),
				401,
				'0004',
			);
			const changed = body.replace(
				/"totalPaymentAmount":"(\d)/,
				(_m, d) => `"totalPaymentAmount":"${(Number(d) + 1) % 10}`,
			);
			expect(changed).not.toBe(body);
			expect(changed.length).toBe(body.length);
			await expectRefused(await post(callbackUrl(), changed, signedHeaders(body)), 401, '0004');
		});

		it('stale or future timestamp, beyond the 5-minute window → 401 / 0004', async () => {
			const body = freshBody();
			const stale = new Date(Date.now() - 6 * 60_000).toISOString();
			const future = new Date(Date.now() + 6 * 60_000).toISOString();
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { timestamp: stale })),
				401,
				'0004',
			);
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { timestamp: future })),
				401,
				'0004',
			);
			await expectRefused(
				await post(callbackUrl(), body, signedHeaders(body, { timestamp: '2024-01-09 03:00:00' })),
				401,
				'0004',
			);
		});

		it('missing headers → 401 / 0004', async () => {
			const body = freshBody();
			for (const missing of ['Authorization', 'BRI-Timestamp', 'BRI-Signature'] as const) {
				const headers: Record<string, string> = signedHeaders(body);
				delete headers[missing];
				await expectRefused(await post(callbackUrl(), body, headers), 401, '0004');
			}
			await expectRefused(await post(callbackUrl(), body), 401, '0004');
		});

		it('a body that is not JSON (signed) → 400 / 0012 with validationError', async () => {
			for (const malformed of ['{"brivaNo":"106107185000001",', 'brivaNo=106107185000001']) {
				const a = await post(callbackUrl(), malformed, signedHeaders(malformed));
				await expectRefused(a, 400, '0012');
				expect(a.body).toMatchObject({
					responseMessage: 'Error Validation',
					errors: { validationError: { body: ['must be JSON'] } },
				});
			}

			// Malformed JSON without a valid token is an authentication failure first.
			await expectRefused(
				await post(callbackUrl(), '{"brivaNo":', { Authorization: 'Bearer x' }),
				401,
				'0004',
			);
		});

		it('a body over 1 MB (signed) → 400 / 0012', async () => {
			const payload = JSON.parse(freshBody());
			payload.additionalInfo = 'x'.repeat(1024 * 1024);
			const big = JSON.stringify(payload);
			const answer = await post(callbackUrl(), big, signedHeaders(big));
			await expectRefused(answer, 400, '0012');
			expect(answer.body.errors.validationError.body[0]).toMatch(/at most 1048576 bytes/);
		});

		it('starts no execution for any of them, and logs and answers carry no secret', async () => {
			// Marker: a good callback after all the refused ones.
			const body = freshBody();
			const ok = await post(callbackUrl(), body, signedHeaders(body));
			expect(ok.status).toBe(200);
			expect(ok.body).toEqual({
				responseCode: '0000',
				responseMessage: 'Success',
				data: JSON.parse(body),
			});
			const all = await n8n.waitForExecutions(ids.onReceipt, before + 1);
			await new Promise((r) => setTimeout(r, 1000));
			expect(await executions(ids.onReceipt)).toHaveLength(before + 1);
			expect(all.every(finished)).toBe(true);

			const log = fs.readFileSync(n8n.logFile, 'utf8');
			expect(log).toContain('BRI Smart Billing Trigger: callback refused (');
			for (const secret of [token, BRI_DEMO.consumerSecret, BRI_DEMO.callbackSecretKey]) {
				expect(log).not.toContain(secret);
				for (const text of answers) expect(text).not.toContain(secret);
			}
			// The execution's items hold the payment, not the token.
			const execution = await n8n.getExecution(all[0].id);
			expect(JSON.stringify(execution.data)).not.toContain(token);
		});
	});

	describe('every authenticated callback variant starts exactly one execution, with the right warnings', () => {
		// Section 25's table names, as the emulator's callbackTableNames reading sends them.
		const TABLE_TO_SAMPLE: Record<string, string> = {
			referenceNumberInvoice: 'referenceNumInvoice',
			referenceNumberCustomers: 'referenceNumCustomer',
			referenceNumberFeetype: 'referenceNumFeetype',
			expDatePayment: 'expDate',
			note: 'remarks',
		};
		const ROUNDED =
			'BRI may have rounded it: check the exact figure in BRI Smart Billing (Payment → Get by BRIVA Number gives the totalAmount) before booking.';
		const exponent = (field: string, value: string) =>
			`${field} "${value}" is in exponent form and was read as ${Number(value)}; ${ROUNDED}`;
		const isExponent = (value: unknown) => typeof value === 'string' && /e[+-]\d+$/i.test(value);
		let accepted = 0;
		let refusedBefore = 0;

		beforeAll(async () => {
			// Fresh demo data, so every payment below has something to pay.
			emu.reset({ seed: true });
			refusedBefore = (await executions(ids.onReceipt)).length;
		});
		afterAll(() => emu.configure({ readings: [] }));

		/** The items the trigger should output for a body, worked out here from what was sent. */
		function expectedItems(raw: string) {
			const sent = JSON.parse(raw);
			const list = typeof sent.invoice === 'string' ? JSON.parse(sent.invoice) : sent.invoice;
			const paymentWarnings = isExponent(sent.totalPaymentAmount)
				? [exponent('totalPaymentAmount', sent.totalPaymentAmount)]
				: [];
			return list.map((invoice: Record<string, unknown>, index: number) => {
				const named: Record<string, unknown> = {};
				const warnings = [...paymentWarnings];
				for (const [key, value] of Object.entries(invoice)) {
					named[TABLE_TO_SAMPLE[key] ?? key] = isExponent(value) ? String(Number(value)) : value;
				}
				for (const field of ['amount', 'dueAmount', 'paymentAmount'])
					if (isExponent(invoice[field]))
						warnings.push(exponent(`invoice[${index}].${field}`, String(invoice[field])));
				return {
					brivaNo: sent.brivaNo,
					transactionID: sent.transactionID,
					transactionDate: sent.transactionDate,
					paymentType: sent.paymentType,
					totalPaymentAmount: isExponent(sent.totalPaymentAmount)
						? String(Number(sent.totalPaymentAmount))
						: sent.totalPaymentAmount,
					additionalInfo: sent.additionalInfo,
					...named,
					...(warnings.length > 0 ? { warnings } : {}),
				};
			});
		}

		/** Pays on CUST003's invoice (5 000 000 due) with these readings, into the workflow given. */
		async function payWith(readings: string[], webhookId: string = hooks.variants, amount = 1000) {
			pointEmulatorAt(webhookId);
			emu.configure({ readings });
			return emu.pay({
				brivaNo: BRIVA.cust003,
				invoices: ['INV-2024-0004'],
				amount,
				additionalInfo: `ORDER-${readings.join('+') || 'sample'}`.slice(0, 60),
			});
		}

		async function latestItems(workflowId: string, count: number) {
			const [summary] = await n8n.waitForExecutions(workflowId, count);
			expect(summary.status).toBe('success');
			return nodeOutput(await n8n.getExecution(summary.id), TRIGGER);
		}

		const readings: Array<[string, string[], () => string]> = [
			['the sample reading', [], () => hooks.variants],
			['the field table’s names', ['callbackTableNames'], () => hooks.variants],
			['amounts in exponent form', ['callbackExponentAmounts'], () => hooks.variants],
			['invoice as a JSON string', ['callbackInvoiceString'], () => hooks.variants],
			['a hex signature', ['callbackHexSignature'], () => hooks.variants],
			['the token part without a space', ['callbackTokenNoSpace'], () => hooks.variants],
			['a proxy at the domain root (Public Base Path /)', ['callbackProxyRoot'], () => hooks.root],
			[
				'every callback reading at once',
				[
					'callbackTableNames',
					'callbackExponentAmounts',
					'callbackInvoiceString',
					'callbackHexSignature',
					'callbackTokenNoSpace',
					'callbackProxyRoot',
				],
				() => hooks.root,
			],
		];
		const counts: Record<string, number> = {};

		it.each(readings)(
			'%s: 0000, one execution, the items under the sample’s names',
			async (_n, r, hook) => {
				const webhookId = hook();
				const workflowId = webhookId === hooks.root ? ids.root : ids.variants;
				counts[workflowId] = (counts[workflowId] ?? 0) + 1;
				// 1234567 printed with 6 significant digits is rounded: the warning tells the user.
				const exponentForm = r.includes('callbackExponentAmounts');
				const record = await payWith(r, webhookId, exponentForm ? 1234567 : 1000);
				expect(record.error).toBeNull();
				expect(record.callbackStatus).toBe(200);
				// The answer echoes the payload exactly as BRI sent it.
				expect(record.callbackBody).toEqual({
					responseCode: '0000',
					responseMessage: 'Success',
					data: JSON.parse(record.body),
				});
				const items = await latestItems(workflowId, counts[workflowId]);
				expect(items).toEqual(expectedItems(record.body));
				expect(items[0].additionalInfo).toBe(JSON.parse(record.body).additionalInfo);
				if (exponentForm) {
					expect(items[0].totalPaymentAmount).toBe('1234570');
					expect(items[0].warnings).toEqual(
						expect.arrayContaining([expect.stringContaining('rounded')]),
					);
				} else expect(items[0]).not.toHaveProperty('warnings');
				accepted++;
			},
		);

		it('the same proxy-root callback into a workflow without Public Base Path is refused, and a root workflow refuses the path as received', async () => {
			const toDefault = await payWith(['callbackProxyRoot'], hooks.variants, 1000);
			expect(toDefault.callbackStatus).toBe(401);
			expect(toDefault.responseCode).toBe('0004');
			const toRoot = await payWith([], hooks.root, 1000);
			expect(toRoot.callbackStatus).toBe(401);
			expect(toRoot.responseCode).toBe('0004');
		});

		describe('bodies BRI should not send, signed and authenticated', () => {
			let token = '';
			const callbackUrl = () => `${base(hooks.variants)}/v1/payment/callback`;
			const signedPost = async (body: string) => {
				const timestamp = new Date().toISOString();
				return post(callbackUrl(), body, {
					Authorization: `Bearer ${token}`,
					'BRI-Timestamp': timestamp,
					'BRI-Signature': sign(
						BRI_DEMO.consumerSecret,
						`/webhook/${hooks.variants}/v1/payment/callback`,
						token,
						timestamp,
						body,
					),
				});
			};
			const CHECK = 'Check this payment in BRI Smart Billing before booking it.';

			beforeAll(async () => {
				const answer = await post(
					`${base(hooks.variants)}/v1/access-token`,
					JSON.stringify({
						providerId: BRI_DEMO.providerId,
						secretKey: BRI_DEMO.callbackSecretKey,
					}),
				);
				token = answer.body.accessToken;
			});

			it('missing mandatory fields and a non-numeric amount: 0000, one execution, a warning for each', async () => {
				const body = JSON.stringify({
					brivaNo: BRIVA.cust001,
					transactionDate: '2026-12-03 10:00:00',
					totalPaymentAmount: 'Rp 20.050',
					paymentType: 'BRIVA',
					invoice: [{ referenceNumInvoice: 'INV-2024-0001', amount: '20050' }],
				});
				const answer = await signedPost(body);
				expect(answer.status).toBe(200);
				expect(answer.body).toEqual({
					responseCode: '0000',
					responseMessage: 'Success',
					data: JSON.parse(body),
				});
				counts[ids.variants]++;
				const items = await latestItems(ids.variants, counts[ids.variants]);
				expect(items).toEqual([
					{
						brivaNo: BRIVA.cust001,
						transactionDate: '2026-12-03 10:00:00',
						totalPaymentAmount: 'Rp 20.050',
						paymentType: 'BRIVA',
						referenceNumInvoice: 'INV-2024-0001',
						amount: '20050',
						warnings: [
							`transactionID is missing, though section 25 makes it mandatory. ${CHECK}`,
							`totalPaymentAmount "Rp 20.050" is not a number; it is passed on as sent. ${CHECK}`,
							'Without a transactionID, a repeat of this callback cannot be recognised.',
							`invoice[0].referenceNumCustomer is missing, though section 25 makes it mandatory. ${CHECK}`,
							`invoice[0].referenceNumFeetype is missing, though section 25 makes it mandatory. ${CHECK}`,
						],
					},
				]);
				accepted++;
			});

			it('JSON that is no object: 0000, one execution, the body passed on with a warning', async () => {
				const answer = await signedPost('["106107185000001"]');
				expect(answer.status).toBe(200);
				expect(answer.body.responseCode).toBe('0000');
				counts[ids.variants]++;
				const items = await latestItems(ids.variants, counts[ids.variants]);
				expect(items).toEqual([
					{
						body: ['106107185000001'],
						warnings: [
							`The callback body is a list, not a JSON object; it is passed on as sent under body. ${CHECK}`,
						],
					},
				]);
				accepted++;
			});
		});

		it('exactly one execution per accepted callback, none for the refused ones', async () => {
			await new Promise((r) => setTimeout(r, 1500));
			const variants = await executions(ids.variants);
			const root = await executions(ids.root);
			expect(variants).toHaveLength(counts[ids.variants]);
			expect(root).toHaveLength(counts[ids.root]);
			expect(variants.length + root.length).toBe(accepted);
			expect([...variants, ...root].every((e) => e.status === 'success')).toBe(true);
			expect(await executions(ids.onReceipt)).toHaveLength(refusedBefore);
		});
	});
});
