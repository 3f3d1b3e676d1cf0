// The trigger under both type names, through n8n-core (test/engine/harness/webhook.ts): a workflow
// saved with briSmartBillingTrigger, and one saved with the first name, briCallbackTrigger, publish,
// take the BSB emulator's payment (access token, then the signed callback, spec sections 24–25) and
// start one execution with one item per invoice; a GET on the base URL and a forged callback start none.
import { randomUUID } from 'node:crypto';

import { BriCallbackTrigger } from '../../../../nodes/Bri/CallbackTrigger/BriCallbackTrigger.node';
import { BriSmartBillingCallbackTrigger } from '../../../../nodes/Bri/CallbackTrigger/BriSmartBillingCallbackTrigger.node';
import { emulatorBriCredential, serveWebhookWorkflow } from '../../harness';
import type { WebhookWorkflowServer } from '../../harness';

import { startBsbEmulator, DEMO } from '../../../../emulator/bsb';
import type { BsbEmulator } from '../../../../emulator';

const TRIGGER = 'BRI Smart Billing Trigger';

let emu: BsbEmulator;
beforeAll(async () => {
	emu = await startBsbEmulator({ port: 0, seed: true, randomSeed: 7 });
});
afterAll(async () => await emu.close());

describe.each([
	['briSmartBillingTrigger', () => new BriSmartBillingCallbackTrigger()],
	['briCallbackTrigger (the first type name, hidden)', () => new BriCallbackTrigger()],
])('a workflow saved with %s', (label, trigger) => {
	const webhookId = randomUUID();
	const type = `n8n-nodes-bri-bpjs.${label.split(' ')[0]}`;
	let hooks: WebhookWorkflowServer;

	function serve(overrides: Record<string, unknown> = {}) {
		const { store, briApi } = emulatorBriCredential(emu.url, DEMO, {
			callbackProviderId: DEMO.providerId,
			callbackSecretKey: DEMO.callbackSecretKey,
			...overrides,
		});
		return serveWebhookWorkflow({
			workflow: {
				nodes: [
					{
						id: 'trigger',
						name: TRIGGER,
						type,
						typeVersion: 1,
						position: [0, 0],
						webhookId,
						parameters: {},
						credentials: { briApi },
					},
				],
				connections: {},
			},
			nodeTypes: [trigger()],
			credentials: store,
		});
	}

	beforeAll(async () => {
		emu.reset({ seed: true });
		hooks = await serve();
	});
	afterAll(async () => await hooks?.close());

	it('registers the base URL and the two endpoints under it, and publishes', async () => {
		expect(trigger().description.name).toBe(type.split('.')[1]);
		expect(hooks.webhooks).toEqual([
			`GET ${webhookId}/v1`,
			`POST ${webhookId}/v1/access-token`,
			`POST ${webhookId}/v1/payment/callback`,
		]);
		await expect(hooks.activate()).resolves.toBeUndefined();
	});

	it('a GET on the base URL answers what it serves and starts no execution', async () => {
		const response = await fetch(hooks.url(`${webhookId}/v1`));
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			service: 'BRI Smart Billing payment callbacks (n8n, BRI Smart Billing Trigger)',
			registerWithBri: expect.stringContaining('Callback Provider ID and Callback Secret Key'),
			accessToken: { method: 'POST', url: hooks.url(`${webhookId}/v1/access-token`) },
			paymentCallback: { method: 'POST', url: hooks.url(`${webhookId}/v1/payment/callback`) },
		});
		await hooks.settle();
		expect(hooks.executions).toHaveLength(0);
	});

	it('takes the emulator’s payment: token, signed callback, 0000, one execution with one item per invoice', async () => {
		emu.configure({ callback: { baseUrl: hooks.url(webhookId), version: 'v1' } });
		const record = await emu.pay({ brivaNo: '106107185000001' });
		expect(record.error).toBeNull();
		expect(record.tokenStatus).toBe(200);
		expect(record.callbackStatus).toBe(200);
		expect(record.callbackBody).toEqual({
			responseCode: '0000',
			responseMessage: 'Success',
			data: JSON.parse(record.body),
		});
		await hooks.settle();
		expect(hooks.executions.map((e) => [e.webhook, e.run.status])).toEqual([
			[`POST ${webhookId}/v1/payment/callback`, 'success'],
		]);
		const items = hooks.executions[0].run.data.resultData.runData[TRIGGER][0].data!.main[0]!;
		const sent = JSON.parse(record.body);
		expect(items.map((i) => i.json.referenceNumInvoice)).toEqual(
			sent.invoice.map((i: { referenceNumInvoice: string }) => i.referenceNumInvoice),
		);
		expect(items[0].json).toMatchObject({
			brivaNo: sent.brivaNo,
			transactionID: sent.transactionID,
		});
	});

	it('refuses a callback signed with the other key: 401 / 0004, no execution', async () => {
		const before = hooks.executions.length;
		emu.configure({ callback: { hmacKey: 'callbackSecretKey' } });
		const record = await emu
			.pay({ brivaNo: '106107185000002', invoices: ['INV-2024-0003'], amount: 1000 })
			.finally(() => emu.configure({ callback: { hmacKey: 'consumerSecret' } }));
		expect([record.tokenStatus, record.callbackStatus, record.responseCode]).toEqual([
			200,
			401,
			'0004',
		]);
		await hooks.settle();
		expect(hooks.executions).toHaveLength(before);
	});

	it('will not publish with a credential that lacks the callback pair', async () => {
		const incomplete = await serve({ callbackProviderId: '', callbackSecretKey: '' });
		try {
			await expect(incomplete.activate()).rejects.toThrow(
				'The BRI API credential needs Callback Provider ID and Callback Secret Key for the callback trigger',
			);
		} finally {
			await incomplete.close();
		}
	});
});
