// The n8n editor in headless Chromium (Debian's, driven by playwright-core): log in as the owner,
// open the quick-look example, open the BRI Smart Billing node, check that its parameters render
// (resource and operation pickers), run the step against the emulator and screenshot the result,
// then switch to Invoice → Create and use the Fee Type picker, which lists and filters BSB's fee types,
// and add an Additional Fees row, whose empty Name n8n flags as required before any run.
// Screenshots go to test-output/ (git-ignored); with UPDATE_SCREENSHOTS=1 the node screenshot is
// also copied to .github/images/editor-bri-smart-billing.png for the README.
// Chromium comes from `node scripts/n8n-runtime.js install` (apt-get chromium when missing).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

import { OUTPUT_DIR, REPO_ROOT, startN8n } from './harness';
import { signIn } from './signIn';
import type { N8n } from './harness';

// The page's document, for the functions that run in the browser (lib "dom" stays out of the
// Node-side tests).
declare const document: { querySelectorAll(selector: string): { length: number } };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CHROMIUM, CHROMIUM_ARGS, chromiumWorks } = require('../../scripts/lib/chromium');

const example = JSON.parse(
	fs.readFileSync(path.join(REPO_ROOT, 'examples', 'smart-billing-quick-look.json'), 'utf8'),
);
const NODE_NAME = 'Get customer groups';
const SHOTS = path.join(OUTPUT_DIR, 'screenshots');
// Element Plus puts a component's data-test-id on its <input> or on its wrapper, by component.
const RLC_INPUT = 'input[data-test-id="rlc-input"], [data-test-id="rlc-input"] input';
const RLC_MODE =
	'input[data-test-id="rlc-mode-selector"], [data-test-id="rlc-mode-selector"] input';

describe('the n8n editor with BRI Smart Billing', () => {
	let n8n: N8n;
	let browser: Browser;
	let page: Page;
	let workflowId: string;

	beforeAll(async () => {
		if (!chromiumWorks()) {
			throw new Error(
				`${CHROMIUM} is missing: run \`node scripts/n8n-runtime.js install\` (it runs apt-get install chromium)`,
			);
		}
		fs.mkdirSync(SHOTS, { recursive: true });
		n8n = await startN8n();
		workflowId = await n8n.importWorkflow(example);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS,
			headless: true,
		});
		// A fresh context is a fresh profile: no cookies, no local storage.
		const context = await browser.newContext({
			viewport: { width: 1440, height: 900 },
			deviceScaleFactor: 1,
		});
		page = await context.newPage();
		page.setDefaultTimeout(30000);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
	});

	it('logs in as the owner', async () => {
		await signIn(page, n8n.baseUrl);
		expect(new URL(page.url()).pathname).not.toBe('/signin');
	});

	it('opens the example workflow with the BRI Smart Billing node on the canvas', async () => {
		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE_NAME}"]`);
		await node.waitFor({ state: 'visible' });
		expect(await node.getAttribute('data-node-type')).toBe('n8n-nodes-bri-bpjs.briSmartBilling');
		await page.screenshot({ path: path.join(SHOTS, 'editor-workflow.png') });
	});

	it('opens the node and renders its resource and operation pickers', async () => {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE_NAME}"]`).dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor({ state: 'visible' });
		const resource = ndv.locator('[data-test-id="parameter-input-resource"]');
		const operation = ndv.locator('[data-test-id="parameter-input-operation"]');
		await expectVisible(resource);
		await expectVisible(operation);
		expect(await resource.locator('input').inputValue()).toBe('Customer Group');
		expect(await operation.locator('input').inputValue()).toBe('Get Many');
		// The credential picker shows the emulator credential the workflow refers to.
		const credential = ndv.locator('[data-test-id="node-credentials-select"] input').first();
		await expectVisible(credential);
		expect(await credential.inputValue()).toBe('BRI API (emulator)');
	});

	it('runs the step against the emulator and shows one row per customer group', async () => {
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="node-execute-button"]').first().click();
		const groups = [
			...(
				n8n.emulators!.bsb.state as { customerGroups: Map<string, unknown> }
			).customerGroups.keys(),
		];
		expect(groups.length).toBeGreaterThan(0);
		const output = ndv.locator('[data-test-id="output-panel"]');
		for (const ref of groups) await expectVisible(output.getByText(ref, { exact: true }).first());
		// A still picture: the run button back to its label, the mouse off it, no toast sliding in.
		await page.mouse.move(700, 700);
		await expectVisible(
			ndv.locator('[data-test-id="node-execute-button"]').getByText('Execute step').first(),
		);
		await page.waitForTimeout(800);
		for (const close of await page.locator('.el-notification__closeBtn').all())
			await close.click().catch(() => undefined);
		await page.waitForTimeout(600);
		const file = path.join(SHOTS, 'editor-bri-smart-billing.png');
		await page.screenshot({ path: file });
		expect(fs.statSync(file).size).toBeGreaterThan(10000);
		if (process.env.UPDATE_SCREENSHOTS === '1') {
			const target = path.join(REPO_ROOT, '.github', 'images', 'editor-bri-smart-billing.png');
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.copyFileSync(file, target);
		}
	});

	it('switches to Invoice → Create and fills the Fee Type picker from BSB', async () => {
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="parameter-input-resource"]').click();
		// Options show a name and a description; pick the one named exactly "Invoice".
		await page
			.locator('.el-select-dropdown__item:visible')
			.filter({ has: page.getByText('Invoice', { exact: true }) })
			.first()
			.click();
		// Switching resource shows that resource's default operation (Create for invoices).
		await expectVisible(
			ndv.locator('[data-test-id="parameter-input-referenceNumInvoice"]').first(),
		);
		expect(await ndv.locator('[data-test-id="parameter-input-operation"] input').inputValue()).toBe(
			'Create',
		);
		// The required fields of section 4 render as parameters.
		for (const name of [
			'referenceNumInvoice',
			'referenceNumCustomer',
			'referenceNumFeetype',
			'amount',
			'expDate',
		]) {
			await expectVisible(ndv.locator(`[data-test-id="parameter-input-${name}"]`).first());
		}
		// The picker lists the emulator's fee types, fetched by the node's searchFeeTypes method.
		await ndv
			.locator('[data-test-id="parameter-input-referenceNumFeetype"] [data-test-id="rlc-input"]')
			.click();
		const items = page.locator('[data-test-id="rlc-item"]:visible');
		await expectVisible(items.first());
		expect((await items.allInnerTexts()).map((n) => n.trim())).toEqual([
			'Iuran Pengelolaan Lingkungan (IPL001)',
			'Sewa Unit (SEWA01)',
			'Tagihan Air (AIR001)',
		]);
		// Typing in the picker's search box filters through the node again.
		await page.getByPlaceholder('Search...').last().fill('air');
		await expectVisible(
			page.locator('[data-test-id="rlc-item"]:visible', { hasText: 'Tagihan Air (AIR001)' }),
		);
		await page.waitForFunction(
			() => document.querySelectorAll('[data-test-id="rlc-item"]').length === 1,
		);
		await page.screenshot({ path: path.join(SHOTS, 'editor-fee-type-picker.png') });
	});

	it('picks a fee type from the list, offers By Reference Number, and keeps the picked name once reopened', async () => {
		const ndv = page.locator('[data-test-id="ndv"]');
		const feeType = ndv.locator('[data-test-id="parameter-input-referenceNumFeetype"]');
		await page
			.locator('[data-test-id="rlc-item"]:visible', { hasText: 'Tagihan Air (AIR001)' })
			.click();
		await expect(feeType.locator(RLC_INPUT).first().inputValue()).resolves.toBe(
			'Tagihan Air (AIR001)',
		);
		// The second mode reads "By Reference Number", not n8n's "By ID" for a mode called `id`
		// (n8n names the `list` mode "From list" itself).
		await feeType.locator('[data-test-id="rlc-mode-selector"]').first().click();
		const modes = page.locator('.el-select-dropdown__item:visible');
		await expectVisible(modes.first());
		expect((await modes.allInnerTexts()).map((t) => t.trim())).toEqual([
			'From list',
			'By Reference Number',
		]);
		await page.mouse.move(1300, 800);
		const modesShot = path.join(SHOTS, 'editor-picker-modes.png');
		await page.screenshot({ path: modesShot });
		if (process.env.UPDATE_SCREENSHOTS === '1')
			fs.copyFileSync(
				modesShot,
				path.join(REPO_ROOT, '.github', 'images', 'editor-picker-modes.png'),
			);
		await page.keyboard.press('Escape');
		// The Customer Reference Number is a picker too, with its list first.
		expect(
			await ndv
				.locator('[data-test-id="parameter-input-referenceNumCustomer"]')
				.locator(RLC_MODE)
				.first()
				.inputValue(),
		).toBe('From list');
		await page.screenshot({ path: path.join(SHOTS, 'editor-pickers.png') });

		// Saved as n8n stores a pick from a list: the value and its display name.
		await page.locator('[data-test-id="ndv-close-button"]').first().click();
		await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
		await page.keyboard.press('Control+s');
		const savedPick = async () => {
			const saved = await n8n.rest.get(`/workflows/${workflowId}`);
			const nodes = (saved.data ?? saved).nodes as Array<{
				name: string;
				parameters: Record<string, unknown>;
			}>;
			return nodes.find((n) => n.name === NODE_NAME)?.parameters.referenceNumFeetype;
		};
		for (let i = 0; i < 50 && (await savedPick()) === undefined; i++)
			await page.waitForTimeout(200);
		expect(await savedPick()).toEqual({
			__rl: true,
			mode: 'list',
			value: 'AIR001',
			cachedResultName: 'Tagihan Air (AIR001)',
		});
		await page.reload();
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE_NAME}"]`).dblclick();
		const reopened = page
			.locator('[data-test-id="ndv"] [data-test-id="parameter-input-referenceNumFeetype"]')
			.locator(RLC_INPUT)
			.first();
		await expectVisible(reopened);
		expect(await reopened.inputValue()).toBe('Tagihan Air (AIR001)');
	});

	it('flags an empty Name in a new Additional Fees row as required, before any run', async () => {
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.getByPlaceholder('Add Field').first().click();
		await page
			.locator('.el-select-dropdown__item:visible', { hasText: /^Additional Fees$/ })
			.first()
			.click();
		const fees = ndv.locator('[data-test-id="fixed-collection-additionalFees"]').first();
		await fees.locator('[data-test-id="fixed-collection-add"]').click();
		// n8n checks required parameters as you edit: the empty Name (wire field `type`) gets an
		// issue mark at once, and Amount, which starts at 0, none.
		const name = fees.locator('[data-test-id="parameter-input-type"]').first();
		const amount = fees.locator('[data-test-id="parameter-input-amount"]').first();
		await expectVisible(name);
		await expectVisible(amount);
		const nameIssues = name.locator('[data-test-id="parameter-issues"]');
		await expectVisible(nameIssues);
		expect(await amount.locator('[data-test-id="parameter-issues"]').count()).toBe(0);
		await nameIssues.hover();
		await expectVisible(page.getByText('Parameter "Name" is required.').first());
		await page.screenshot({ path: path.join(SHOTS, 'editor-fee-row-required.png') });
		// Once named, the mark goes.
		await name.locator('input').first().fill('Materai');
		await page.mouse.move(700, 700);
		await name.locator('[data-test-id="parameter-issues"]').waitFor({ state: 'detached' });
		expect(await name.locator('[data-test-id="parameter-issues"]').count()).toBe(0);
	});

	it("shows an invalid invoice's problem in n8n's error panel, named by its reference", async () => {
		// The quick look with its node turned into an invoice whose due date does not exist.
		const invoice = {
			...example.nodes.find((n: { name: string }) => n.name === NODE_NAME),
			name: 'Create invoice',
			parameters: {
				resource: 'invoice',
				operation: 'create',
				referenceNumInvoice: 'INV-DEMO-0001',
				referenceNumCustomer: { __rl: true, mode: 'reference', value: 'CUST-0001' },
				referenceNumFeetype: { __rl: true, mode: 'reference', value: 'IPL001' },
				amount: 150000,
				expDate: '2026-02-30',
			},
		};
		const id = await n8n.importWorkflow({
			...example,
			id: undefined,
			name: 'Invalid invoice',
			nodes: example.nodes.map((n: { name: string }) => (n.name === NODE_NAME ? invoice : n)),
			connections: JSON.parse(
				JSON.stringify(example.connections).split(`"${NODE_NAME}"`).join('"Create invoice"'),
			),
		});
		await page.goto(`${n8n.baseUrl}/workflow/${id}`);
		await page.locator('[data-test-id="execute-workflow-button"]').first().click();
		await page.locator('[data-test-id="canvas-node"][data-node-name="Create invoice"]').dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		const message = ndv.locator('[data-test-id="node-error-message"]').first();
		await expectVisible(message);
		expect(await message.innerText()).toMatch(
			/^Invalid input for invoice "INV-DEMO-0001": expDate/,
		);
		const description = await ndv
			.locator('[data-test-id="node-error-description"]')
			.first()
			.innerText();
		// One item: nothing to say about the others, so no Settings → On Error advice.
		expect(description).toBe(
			'Field in the node: Due Date (expDate). Nothing was sent to BRI. Correct the input and run the node again.',
		);
		expect(description).not.toContain(await message.innerText());
		await page.mouse.move(700, 700);
		await page.waitForTimeout(600);
		for (const close of await page.locator('.el-notification__closeBtn').all())
			await close.click().catch(() => undefined);
		await page.waitForTimeout(600);
		const file = path.join(SHOTS, 'editor-invalid-input.png');
		await page.screenshot({ path: file });
		if (process.env.UPDATE_SCREENSHOTS === '1')
			fs.copyFileSync(file, path.join(REPO_ROOT, '.github', 'images', 'editor-invalid-input.png'));
	});
});

async function expectVisible(locator: import('playwright-core').Locator): Promise<void> {
	await locator.waitFor({ state: 'visible' });
	expect(await locator.isVisible()).toBe(true);
}
