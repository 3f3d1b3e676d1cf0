// `npm start` twice on one data folder (scripts/start.js as a child process, free ports): the
// first run bills the Data Table's rows with flow 1, clicked in headless Chromium; after the
// restart the BSB emulator still has those invoices, so flow 2's payment simulation pays rows
// made before the restart and they become `paid`. The trigger in the editor (node panel, Webhook
// URLs, notice) is in trigger-editor.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

import { OUTPUT_DIR, OWNER, REPO_ROOT } from './harness';
import { signIn } from './signIn';

/* eslint-disable @typescript-eslint/no-require-imports */
const lib = require('../../scripts/lib/n8n');
const examples = require('../../scripts/lib/examples');
const { CHROMIUM, CHROMIUM_ARGS, chromiumWorks } = require('../../scripts/lib/chromium');
/* eslint-enable @typescript-eslint/no-require-imports */

type Row = {
	id: number;
	status: string | null;
	referenceNumInvoice: string | null;
	brivaNo: string | null;
};

const SHOTS = path.join(OUTPUT_DIR, 'screenshots');
const MONTHLY = 'briMonthlyInv001';

interface Demo {
	child: ChildProcess;
	banner: string;
}

describe('npm start, stopped and started again on the same data folder', () => {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'bri-bpjs-restart-'));
	const ports: Record<'n8n' | 'bsb' | 'catapa', number> = { n8n: 0, bsb: 0, catapa: 0 };
	let demo: Demo | undefined;
	let browser: Browser;
	let page: Page;
	let billed: Row[] = [];

	const base = () => `http://127.0.0.1:${ports.n8n}`;
	const bsb = () => `http://127.0.0.1:${ports.bsb}`;

	/** scripts/start.js until its banner is printed. */
	function startDemo(): Promise<Demo> {
		return new Promise((resolve, reject) => {
			const child = spawn(
				process.execPath,
				[
					path.join(REPO_ROOT, 'scripts', 'start.js'),
					'--port',
					String(ports.n8n),
					'--bsb-port',
					String(ports.bsb),
					'--catapa-port',
					String(ports.catapa),
					'--user-folder',
					userFolder,
				],
				{ cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
			);
			let out = '';
			child.stdout!.on('data', (c) => {
				out += String(c);
				if (/Ctrl-C stops n8n and the emulators\.\n=+/.test(out)) resolve({ child, banner: out });
			});
			child.stderr!.on('data', (c) => (out += String(c)));
			child.once('exit', (code) => reject(new Error(`npm start exited ${code}:\n${out}`)));
		});
	}

	async function stopDemo(): Promise<void> {
		const d = demo;
		demo = undefined;
		if (!d || d.child.exitCode !== null) return;
		const exited = new Promise((r) => d.child.once('exit', r));
		d.child.kill('SIGINT');
		await exited;
	}

	async function rows(): Promise<Row[]> {
		const client = new lib.RestClient(base());
		await client.login(OWNER.email, OWNER.password);
		const projectId = await examples.personalProjectId(client);
		const table = await examples.findTable(client, projectId, examples.INVOICES_TABLE.name);
		return examples.readRows(client, projectId, table.id);
	}

	async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60000): Promise<T> {
		const end = Date.now() + ms;
		for (;;) {
			const v = await fn();
			if (v !== undefined) return v;
			if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	async function logIn(): Promise<void> {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		page = await context.newPage();
		page.setDefaultTimeout(30000);
		await signIn(page, base());
	}

	beforeAll(async () => {
		if (!chromiumWorks())
			throw new Error(`${CHROMIUM} is missing: run \`node scripts/n8n-runtime.js install\``);
		fs.mkdirSync(SHOTS, { recursive: true });
		ports.n8n = await lib.freePort();
		ports.bsb = await lib.freePort();
		ports.catapa = await lib.freePort();
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS,
			headless: true,
		});
	});

	afterAll(async () => {
		await browser?.close();
		await stopDemo();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	it('first start: fresh emulator data; flow 1, clicked in the editor, bills the table', async () => {
		demo = await startDemo();
		expect(demo.banner).toContain(
			`Emulator data started fresh (demo data), saved in ${path.join(userFolder, 'emulator-*.json')}`,
		);
		expect(demo.banner).toContain('Examples imported now: ');
		await logIn();
		await page.goto(`${base()}/workflow/${MONTHLY}`);
		await page.locator('[data-test-id="execute-workflow-button"]').first().click();
		const after = await until('flow 1 to bill the rows', async () => {
			const r: Row[] = await rows();
			return r.some((x) => x.status === 'new') ? undefined : r;
		});
		billed = after.filter((r) => r.status === 'unpaid');
		expect(billed.length).toBeGreaterThanOrEqual(8);
		expect(billed.every((r) => /^\d{15}$/.test(r.brivaNo ?? ''))).toBe(true);
		expect(fs.existsSync(path.join(userFolder, 'emulator-bsb.json'))).toBe(true);
	});

	it('second start: the emulator data comes back from the data folder, and the banner says so', async () => {
		await page.context().close();
		await stopDemo();
		demo = await startDemo();
		const restored = /Emulator data restored from (\S+): (\d+) invoice\(s\)/.exec(demo.banner);
		expect(restored?.[1]).toBe(path.join(userFolder, 'emulator-*.json'));
		// The emulator's 5 seed invoices and the ones flow 1 made.
		expect(Number(restored?.[2])).toBe(5 + billed.length);
		expect(demo.banner).toContain('Examples already there (your edits kept): ');
		expect(demo.banner).not.toContain('Examples imported now');
		expect(demo.banner).toContain('Data table "BRI invoices" kept as it was');
	});

	it("flow 2's payment simulation pays rows billed before the restart; they become paid", async () => {
		const brivaNo = billed[0].brivaNo!;
		const onBriva = billed.filter((r) => r.brivaNo === brivaNo).map((r) => r.referenceNumInvoice);
		const r = await fetch(`${bsb()}/_emulator/pay`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ brivaNo }),
		});
		const summary = (await r.json()) as Record<string, any>;
		expect(r.status).toBe(200);
		expect(
			summary.paidInvoices.map((i: { referenceNumInvoice: string }) => i.referenceNumInvoice),
		).toEqual(onBriva);
		expect(summary.partner).toMatchObject({
			tokenStatus: 200,
			callbackStatus: 200,
			responseCode: '0000',
		});
		expect(summary.record).toMatch(new RegExp(`^${bsb()}/_emulator/callbacks/\\d+$`));
		const paid = await until('the rows to be marked paid', async () => {
			const now: Row[] = await rows();
			const mine = now.filter((x) => onBriva.includes(x.referenceNumInvoice));
			return mine.every((x) => x.status === 'paid') ? mine : undefined;
		});
		expect(paid).toHaveLength(onBriva.length);
		// The same BRIVA again: nothing left to pay, and the answer says why and what to do.
		const again = await fetch(`${bsb()}/_emulator/pay`, {
			method: 'POST',
			body: JSON.stringify({ brivaNo }),
		});
		expect(again.status).toBe(409);
		expect(((await again.json()) as { error: string }).error).toContain(
			'are all paid; create one with',
		);
	});
});
