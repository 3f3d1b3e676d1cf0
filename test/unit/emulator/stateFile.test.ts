// Both emulators with a `stateFile` (as `npm start` runs them): a restart brings back the data
// made over HTTP before it; without the option they start as before. Also the short answer of
// POST /_emulator/pay and GET /_emulator/callbacks/<index>.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startBsbEmulator } from '../../../emulator/bsb';
import { startCatapaEmulator, DEMO as CATAPA } from '../../../emulator/catapa';

type Json = Record<string, any>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bsbPartner } = require('../../../scripts/lib/examples');

/** A partner's signed BSB call (token, then the signed request), over HTTP. */
async function bsbCall(url: string, path: string, payload: Json): Promise<Json> {
	return (await bsbPartner({ bsbUrl: url }))(path, payload);
}

async function control(url: string, method: string, path: string, body?: Json) {
	const r = await fetch(`${url}/_emulator/${path}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: r.status, json: (await r.json()) as Json };
}

const INVOICE = {
	referenceNumInvoice: 'RESTART-0001',
	referenceNumCustomer: 'CUST001',
	referenceNumFeetype: 'IPL001',
	referenceNumCustomergroup: 'TOWERA',
	amount: '750000',
	expDate: '2030-01-31',
	remarks: 'made before the restart',
};

describe('emulators with a state file', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('BSB: a restart brings back customers, invoices, payments, BRIVA numbering and callbacks', async () => {
		const file = join(dir, 'emulator-bsb.json');
		let emu = await startBsbEmulator({ seed: true, stateFile: file });
		expect(emu.restored).toBeNull();
		expect((await bsbCall(emu.url, '/invoice', INVOICE)).responseCode).toBe('0000');
		const created = await bsbCall(emu.url, '/customers', {
			referenceNumCustomer: 'NEWCUST1',
			referenceNumCustomergroup: 'TOWERB',
			name: 'New Tenant',
			phone: '081234567899',
			pic: 'New Tenant',
			email: 'new@example.com',
			address: 'Unit B-0999',
		});
		expect(created.responseCode).toBe('0000');
		const before = await control(emu.url, 'GET', 'state');
		const pay = await control(emu.url, 'POST', 'pay', {
			brivaNo: '106107185000001',
			invoices: ['RESTART-0001'],
		});
		expect(pay.status).toBe(200);
		await emu.close();
		// Written atomically: no temporary file is left beside it.
		expect(readdirSync(dir)).toEqual(['emulator-bsb.json']);

		emu = await startBsbEmulator({ seed: true, stateFile: file });
		try {
			expect(emu.restored).toEqual({ file, invoices: 6, payments: 2 });
			const after = (await control(emu.url, 'GET', 'state')).json;
			expect(after.customers).toEqual(before.json.customers);
			expect(after.customerGroups).toEqual(before.json.customerGroups);
			expect(after.feeTypes).toEqual(before.json.feeTypes);
			expect(after.nextBriva).toBe(before.json.nextBriva);
			expect(after.invoices['RESTART-0001'].paidAmount).toBe('750000');
			expect(Object.keys(after.payments)).toContain(pay.json.transactionID);
			// The callback record survives, under its index.
			const record = await control(emu.url, 'GET', `callbacks/${pay.json.record.split('/').pop()}`);
			expect(record.json.transactionID).toBe(pay.json.transactionID);
			// The next customer gets the next BRIVA number, not a reused one.
			const next = await bsbCall(emu.url, '/customers', {
				referenceNumCustomer: 'NEWCUST2',
				referenceNumCustomergroup: 'TOWERB',
				name: 'Next Tenant',
				phone: '081234567898',
				pic: 'Next Tenant',
				email: 'next@example.com',
				address: 'Unit B-0998',
			});
			expect(next.data.detail[0].brivaNo).toBe(`10610718${before.json.nextBriva}`);
		} finally {
			await emu.close();
		}
	});

	it('BSB: without a state file it starts seeded (or empty) as before', async () => {
		const file = join(dir, 'emulator-bsb.json');
		const first = await startBsbEmulator({ seed: true, stateFile: file });
		await bsbCall(first.url, '/invoice', INVOICE);
		await first.close();
		const plain = await startBsbEmulator({ seed: true });
		const empty = await startBsbEmulator();
		try {
			expect(plain.restored).toBeNull();
			expect(plain.state.invoices.has('RESTART-0001')).toBe(false);
			expect(empty.state.invoices.size).toBe(0);
		} finally {
			await Promise.all([plain.close(), empty.close()]);
		}
	});

	it('a corrupt state file is refused with a message naming it and how to reset', async () => {
		const file = join(dir, 'emulator-bsb.json');
		writeFileSync(file, '{"state": ');
		await expect(startBsbEmulator({ stateFile: file })).rejects.toThrow(
			`the BSB emulator cannot restore its data from ${file}: it is not valid JSON`,
		);
		writeFileSync(file, '{"something": "else"}');
		await expect(startBsbEmulator({ stateFile: file })).rejects.toThrow(
			/does not hold the emulator data\. Delete that file to start the emulator with fresh demo data\./,
		);
		const catapaFile = join(dir, 'emulator-catapa.json');
		writeFileSync(catapaFile, '[]');
		await expect(startCatapaEmulator({ stateFile: catapaFile })).rejects.toThrow(
			`the CATAPA emulator cannot restore its data from ${catapaFile}`,
		);
	});

	it('CATAPA: a restart brings back the memberships', async () => {
		const file = join(dir, 'emulator-catapa.json');
		let emu = await startCatapaEmulator({ stateFile: file });
		const employee = emu.state.employees[7].id;
		const token = async () => {
			const r = await fetch(`${emu.url}/oauth/token`, {
				method: 'POST',
				headers: {
					Authorization: `Basic ${Buffer.from(`${CATAPA.clientId}:${CATAPA.clientSecret}`).toString('base64')}`,
					'Content-Type': 'application/x-www-form-urlencoded',
					Tenant: CATAPA.tenant,
				},
				body: 'grant_type=client_credentials',
			});
			return ((await r.json()) as Json).access_token as string;
		};
		const membership = async (method: string, body?: Json) => {
			const r = await fetch(`${emu.url}/core/v1/employees/${employee}/bpjs-manpower-memberships`, {
				method,
				headers: {
					Authorization: `Bearer ${await token()}`,
					Tenant: CATAPA.tenant,
					'Content-Type': 'application/json',
				},
				body: body && JSON.stringify(body),
			});
			return { status: r.status, body: (await r.json()) as Json };
		};
		const put = await membership('PUT', {
			bpjsManpowerProviderId: emu.state.manpowerProviders[0].id,
			bpjsManpowerTemplateId: emu.state.manpowerTemplates[0].id,
			membershipNumber: '12345678901',
			startDate: '2025-01-01',
		});
		expect(put.status).toBe(200);
		await emu.close();
		expect(JSON.parse(readFileSync(file, 'utf8')).manpowerMemberships.$map.length).toBeGreaterThan(
			0,
		);

		emu = await startCatapaEmulator({ stateFile: file });
		try {
			expect(emu.restored?.memberships).toBeGreaterThan(0);
			expect(await membership('GET')).toEqual({ status: 200, body: put.body });
		} finally {
			await emu.close();
		}
	});
});

describe('POST /_emulator/pay', () => {
	it('answers a short summary and points to the full record', async () => {
		const emu = await startBsbEmulator({ seed: true });
		try {
			const r = await control(emu.url, 'POST', 'pay', { brivaNo: '106107185000001' });
			expect(r.status).toBe(200);
			expect(r.json).toEqual({
				transactionID: expect.stringMatching(/^\d{16}$/),
				brivaNo: '106107185000001',
				amount: '967500',
				paidInvoices: [
					{ referenceNumInvoice: 'INV-2024-0001', paymentAmount: '832500', dueAmount: '0' },
					{ referenceNumInvoice: 'INV-2024-0002', paymentAmount: '135000', dueAmount: '0' },
				],
				partner: { skipped: 'no callback.baseUrl configured' },
				record: `${emu.url}/_emulator/callbacks/0`,
			});
			expect(JSON.stringify(r.json).length).toBeLessThan(600);
			const full = await fetch(r.json.record);
			expect(((await full.json()) as Json).body).toContain('"invoice":[');
			expect((await control(emu.url, 'GET', 'callbacks/9')).status).toBe(404);

			const again = await control(emu.url, 'POST', 'pay', { brivaNo: '106107185000001' });
			expect(again.status).toBe(409);
			expect(again.json.error).toBe(
				'pay: no unpaid invoice on BRIVA 106107185000001: its 2 invoice(s) are all paid; create one with BRI Smart Billing → Invoice → Create, or run the example "BRI Smart Billing: monthly invoices from a table"',
			);
			const customer = await bsbCall(emu.url, '/customers', {
				referenceNumCustomer: 'NOBILLS1',
				referenceNumCustomergroup: 'TOWERB',
				name: 'No Bills Yet',
				phone: '081234567897',
				pic: 'No Bills Yet',
				email: 'nobills@example.com',
				address: 'Unit B-0997',
			});
			const brivaNo = customer.data.detail[0].brivaNo as string;
			const none = await control(emu.url, 'POST', 'pay', { brivaNo });
			expect([none.status, none.json.error]).toEqual([
				409,
				expect.stringContaining(`${brivaNo}: it has none; create one with`),
			]);
		} finally {
			await emu.close();
		}
	});
});
