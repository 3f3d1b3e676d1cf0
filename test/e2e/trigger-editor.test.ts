// The BRI Smart Billing Trigger in the n8n editor (headless Chromium, Debian's, through
// playwright-core): the node panel files it under the BRI Smart Billing app, by type name
// (briSmartBilling + Trigger), and the first type name, briCallbackTrigger, is not listed; the
// trigger's Webhook URLs panel shows one URL, the base to give BRI, for test and production, and
// the notice says so; a GET on that URL starts nothing, a signed callback under it starts one
// execution. A workflow saved with briCallbackTrigger opens as the same node.
// Screenshots go to test-output/screenshots; with UPDATE_SCREENSHOTS=1 the trigger panel and the
// node panel also to .github/images/ (trigger-notice.png, node-panel-bri-smart-billing.png).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import type { Browser, Locator, Page } from 'playwright-core';

import { OUTPUT_DIR, REPO_ROOT, nodeOutput, startN8n } from './harness';
import { signIn } from './signIn';
import type { N8n } from './harness';
import {
	FIRST_TRIGGER_TYPE as FIRST_TYPE,
	TRIGGER,
	TRIGGER_TYPE,
	triggerWorkflow,
} from '../fixtures/triggerWorkflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CHROMIUM, CHROMIUM_ARGS, chromiumWorks } = require('../../scripts/lib/chromium');

const SHOTS = path.join(OUTPUT_DIR, 'screenshots');

function keep(file: string, name: string) {
	if (process.env.UPDATE_SCREENSHOTS === '1')
		fs.copyFileSync(file, path.join(REPO_ROOT, '.github', 'images', name));
}

describe('the BRI Smart Billing Trigger in the n8n editor', () => {
	let n8n: N8n;
	let browser: Browser;
	let page: Page;
	const webhookId = randomUUID();
	const firstTypeWebhookId = randomUUID();
	let workflowId: string;
	let firstTypeWorkflowId: string;

	beforeAll(async () => {
		if (!chromiumWorks())
			throw new Error(`${CHROMIUM} is missing: run \`node scripts/n8n-runtime.js install\``);
		fs.mkdirSync(SHOTS, { recursive: true });
		n8n = await startN8n();
		workflowId = await n8n.importWorkflow(triggerWorkflow('Payments from BRI', webhookId));
		firstTypeWorkflowId = await n8n.importWorkflow(
			triggerWorkflow('Saved with briCallbackTrigger', firstTypeWebhookId, FIRST_TYPE),
		);
		await n8n.activate(workflowId);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS,
			headless: true,
		});
		page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
		page.setDefaultTimeout(30000);
		await signIn(page, n8n.baseUrl);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
	});

	const creator = () => page.locator('[data-test-id="node-creator"]');
	const itemNames = () => creator().locator('[data-test-id="node-creator-item-name"]');

	/** The names the node panel lists for a search (none when nothing matches). */
	async function search(text: string): Promise<string[]> {
		await page.keyboard.type(text);
		await page.waitForTimeout(1500); // the list settles after the last keystroke
		return (await itemNames().allInnerTexts()).map((n) => n.trim());
	}

	async function openNodePanelOnNewWorkflow() {
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.locator('[data-test-id="canvas-add-button"]').click();
		await creator().waitFor();
	}

	describe('the node panel', () => {
		it('lists one BRI Smart Billing app, with the trigger among its triggers; adding it adds briSmartBillingTrigger', async () => {
			await openNodePanelOnNewWorkflow();
			// "What triggers this workflow?": the app, the trigger merged into it.
			expect(await search('BRI Smart Billing')).toEqual(['BRI Smart Billing']);
			await itemNames().filter({ hasText: 'BRI Smart Billing' }).first().click();
			const triggers = creator()
				.locator('[data-test-id="node-creator-category-item"]')
				.filter({ hasText: 'Triggers (1)' });
			await triggers.waitFor();
			const action = itemNames().filter({ hasText: 'On new BRI Smart Billing event' });
			await action.waitFor();
			expect(await creator().innerText()).not.toMatch(/No .*Triggers available/);
			await page.waitForTimeout(800); // the panel slides in
			const file = path.join(SHOTS, 'node-panel-bri-smart-billing.png');
			await page.screenshot({ path: file });
			keep(file, 'node-panel-bri-smart-billing.png');
			await action.click();
			// n8n opens the node it added.
			await page.locator('[data-test-id="ndv"]').waitFor();
			await page.locator('[data-test-id="ndv-close-button"]').first().click();
			const added = page.locator('[data-test-id="canvas-node"]');
			await added.first().waitFor();
			expect(await added.first().getAttribute('data-node-type')).toBe(TRIGGER_TYPE);
		});

		it('after a first node too: the app has its actions and this trigger, no "No … Triggers available"', async () => {
			await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor();
			// The + after the last node: "What happens next?"
			await page.locator('[data-test-id="canvas-handle-plus"]').last().click();
			await creator().waitFor();
			expect(await search('BRI Smart Billing')).toEqual(['BRI Smart Billing']);
			await itemNames().filter({ hasText: 'BRI Smart Billing' }).first().click();
			const categories = creator().locator('[data-test-id="node-creator-category-item"]');
			await categories
				.filter({ hasText: /^Actions \(\d+\)/ })
				.first()
				.waitFor();
			// The triggers are folded below the actions here.
			await categories.filter({ hasText: 'Triggers (1)' }).click();
			await itemNames().filter({ hasText: 'On new BRI Smart Billing event' }).waitFor();
			expect(await creator().innerText()).not.toMatch(/No .*Triggers available/);
			await page.keyboard.press('Escape');
		});

		it('does not list the first type name, or the trigger apart from its app', async () => {
			for (const text of ['BRI Callback', 'BRI Smart Billing Trigger', 'BRIVA']) {
				await openNodePanelOnNewWorkflow();
				const names = await search(text);
				expect(names).not.toContain('BRI Callback Trigger');
				expect(names).not.toContain('BRI Smart Billing Trigger');
			}
			await page.keyboard.press('Escape');
		});
	});

	describe("the trigger's panel", () => {
		let productionUrl = '';

		it('Webhook URLs shows one URL, the base to give BRI: …/webhook-test/<id>/v1 and …/webhook/<id>/v1, no method', async () => {
			await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${TRIGGER}"]`).dblclick();
			const ndv = page.locator('[data-test-id="ndv"]');
			await ndv.waitFor();
			// n8n shows the panel folded.
			await ndv.getByText('Webhook URLs', { exact: true }).first().click();
			const urls = ndv.locator('.webhook-url');
			await urls.first().waitFor();
			expect(await urls.count()).toBe(1);
			expect(await ndv.locator('.http-method').count()).toBe(0);
			expect((await urls.first().innerText()).trim()).toBe(
				`${n8n.baseUrl}/webhook-test/${webhookId}/v1`,
			);
			await ndv.locator('[data-test-id="radio-button-production"]').click();
			await expect(urls.first().innerText()).resolves.toMatch(/\/webhook\//);
			productionUrl = (await urls.first().innerText()).trim();
			expect(productionUrl).toBe(`${n8n.baseUrl}/webhook/${webhookId}/v1`);
			expect(await urls.count()).toBe(1);
		});

		it('the notice and the trigger panel’s help say which URL to give BRI, and with what', async () => {
			const ndv = page.locator('[data-test-id="ndv"]');
			const notice = ndv.locator('.n8n-notice, [class*="notice"]', { hasText: 'URL to give BRI' });
			const text = (await notice.first().innerText()).replace(/\s+/g, ' ');
			expect(text).toContain(
				'URL to give BRI: the one under Webhook URLs above, the Production URL once the workflow is published, the Test URL while you listen for a test event. BRI adds /access-token and /payment/callback to it.',
			);
			expect(text).toContain('Callback Provider ID and Callback Secret Key');
			expect(text).toContain(
				'Behind a proxy (Settings → Public Base Path), give BRI the proxy’s URL instead.',
			);
			// Webhook URLs sits above the notice, as it says.
			const panel = ndv.getByText('Webhook URLs', { exact: true }).first();
			const [u, n] = [await panel.boundingBox(), await notice.first().boundingBox()];
			expect(u!.y).toBeLessThan(n!.y);
			// The workflow is published: the panel's help for a published trigger.
			await ndv.getByText('When will this node trigger my flow?').click();
			await expectText(
				ndv,
				'The workflow is published: BRI’s callbacks to the Production URL under Webhook URLs start executions.',
			);
			await ndv.getByText('When will this node trigger my flow?').click();
			await page.mouse.move(700, 850);
			await page.waitForTimeout(500);
			const file = path.join(SHOTS, 'trigger-notice.png');
			await page.screenshot({ path: file });
			keep(file, 'trigger-notice.png');
		});

		it('a GET on that URL answers 200 and starts no execution; a signed callback under it starts one', async () => {
			const response = await fetch(productionUrl);
			expect(response.status).toBe(200);
			expect(await response.json()).toMatchObject({
				accessToken: { method: 'POST', url: `${productionUrl}/access-token` },
				paymentCallback: { method: 'POST', url: `${productionUrl}/payment/callback` },
			});
			await new Promise((r) => setTimeout(r, 1000));
			expect(await n8n.listExecutions(workflowId)).toHaveLength(0);

			// The emulator plays BRI given that URL: it adds /access-token and /payment/callback.
			const emu = n8n.emulators!.bsb;
			emu.configure({ callback: { baseUrl: productionUrl.replace(/\/v1$/, ''), version: 'v1' } });
			const record = await emu.pay({ brivaNo: '106107185000001' });
			expect(record.request?.url).toBe(`${productionUrl}/payment/callback`);
			expect([record.tokenStatus, record.callbackStatus, record.responseCode]).toEqual([
				200,
				200,
				'0000',
			]);
			const [execution] = await n8n.waitForExecutions(workflowId, 1);
			await new Promise((r) => setTimeout(r, 1000));
			expect(await n8n.listExecutions(workflowId)).toHaveLength(1);
			expect(
				nodeOutput(await n8n.getExecution(execution.id), TRIGGER).map((i) => i.transactionID),
			).toEqual(JSON.parse(record.body).invoice.map(() => record.transactionID));
		});
	});

	it('a workflow saved with briCallbackTrigger opens as the same node, with the same single URL', async () => {
		await page.goto(`${n8n.baseUrl}/workflow/${firstTypeWorkflowId}`);
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${TRIGGER}"]`);
		await node.waitFor();
		expect(await node.getAttribute('data-node-type')).toBe(FIRST_TYPE);
		await node.dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor();
		await ndv.getByText('Webhook URLs', { exact: true }).first().click();
		await ndv.locator('.webhook-url').first().waitFor();
		expect(await ndv.locator('.webhook-url').count()).toBe(1);
		expect((await ndv.locator('.webhook-url').first().innerText()).trim()).toBe(
			`${n8n.baseUrl}/webhook-test/${firstTypeWebhookId}/v1`,
		);
		await expectText(ndv, 'URL to give BRI');
	});
});

async function expectText(scope: Locator, text: string): Promise<void> {
	const found = scope.getByText(text).first();
	await found.waitFor();
	expect(await found.isVisible()).toBe(true);
}
