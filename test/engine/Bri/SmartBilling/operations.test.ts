// Every one of the 23 BRI Smart Billing operations, run through n8n-core's engine against the
// BSB emulator over HTTP: the exact request body the emulator received, and the node's output.
// Once per reading of the spec the emulator plays (docs/spec-readings.md): the default one,
// Get All POST only, a token refused with HTTP 200 midway, amounts in exponent form, and all.
import { DateTime } from 'luxon';

import { BriSmartBilling } from '../../../../nodes/Bri/SmartBilling/BriSmartBilling.node';
import { CredentialStore, runNode } from '../../harness';
import type { RunNodeResult } from '../../harness';
import { runListSearch } from '../../listSearch';

import type { IDataObject } from 'n8n-workflow';

import { startBsbEmulator, DEMO } from '../../../../emulator/bsb';
import type { BsbEmulator } from '../../../../emulator';
import type { Reading } from '../../../../emulator/bsb/readings';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

const READING_SETS: Array<[string, Reading[]]> = [
	['default', []],
	['getAllPostOnly', ['getAllPostOnly']],
	['token0601At200', ['token0601At200']],
	['paymentExponentAmounts', ['paymentExponentAmounts']],
	['all together', ['getAllPostOnly', 'token0601At200', 'paymentExponentAmounts']],
];

describe.each(READING_SETS)('BRI Smart Billing: all 23 operations, reading %s', (_, readings) => {
	const on = (reading: Reading) => readings.includes(reading);
	// The samples' GET, or the tables' POST once a GET was refused (docs/spec-readings.md#5-customers-get-all).
	const getAllMethod = on('getAllPostOnly') ? 'POST' : 'GET';
	let emu: BsbEmulator;
	const store = new CredentialStore();
	let briApi: { id: string; name: string };
	let brivaNo = '';

	beforeAll(async () => {
		emu = await startBsbEmulator({
			port: 0,
			consumerKey: DEMO.consumerKey,
			consumerSecret: DEMO.consumerSecret,
			readings,
		});
		// The token is refused midway through the operations below.
		if (on('token0601At200')) emu.expireTokensLater({ afterCalls: 12 });
		briApi = store.set('briApi', {
			environment: 'custom',
			customUrl: emu.url,
			consumerKey: DEMO.consumerKey,
			consumerSecret: DEMO.consumerSecret,
			accessToken: '',
		});
	});
	afterAll(async () => await emu.close());

	async function bsb(
		parameters: Record<string, unknown>,
		items: IDataObject[] = [{}],
	): Promise<RunNodeResult> {
		const result = await runNode({
			node: new BriSmartBilling(),
			parameters: parameters as never,
			credentials: { briApi },
			store,
			items,
		});
		if (result.error) throw result.error;
		return result;
	}
	const last = () => emu.requests[emu.requests.length - 1];
	const json = (result: RunNodeResult) => result.items.map((i) => i.json);

	it('customerGroup create (2)', async () => {
		const out = await bsb({
			resource: 'customerGroup',
			operation: 'create',
			referenceNumCustomergroup: 'TOWERA',
			groupName: 'Tower A',
		});
		expect(last()).toMatchObject({
			method: 'POST',
			path: '/v1/bsb/customers-group',
			body: '{"referenceNumCustomergroup":"TOWERA","groupName":"Tower A"}',
		});
		expect(json(out)).toEqual([
			expect.objectContaining({ referenceNumCustomergroup: 'TOWERA', groupName: 'Tower A' }),
		]);
		expect(out.items[0].pairedItem).toEqual({ item: 0 });
		await bsb({
			resource: 'customerGroup',
			operation: 'create',
			referenceNumCustomergroup: 'TMPGROUP',
			groupName: 'Temporary',
		});
	});

	it('customerGroup getAll (7) as a body-less GET, one item per group, with a limit', async () => {
		const out = await bsb({ resource: 'customerGroup', operation: 'getAll', returnAll: true });
		expect(last()).toMatchObject({
			method: getAllMethod,
			path: '/v1/bsb/customers-group',
			body: '',
		});
		expect(json(out).map((g) => g.referenceNumCustomergroup)).toEqual(
			expect.arrayContaining(['TOWERA', 'TMPGROUP']),
		);
		const limited = await bsb({
			resource: 'customerGroup',
			operation: 'getAll',
			returnAll: false,
			limit: 1,
		});
		expect(limited.items).toHaveLength(1);
	});

	it('customerGroup get (8) and update (14)', async () => {
		const got = await bsb({
			resource: 'customerGroup',
			operation: 'get',
			referenceNumCustomergroup: rl('TOWERA'),
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/customers-group/getRefNum',
			body: '{"referenceNumCustomergroup":"TOWERA"}',
		});
		expect(json(got)[0]).toMatchObject({
			referenceNumCustomergroup: 'TOWERA',
			groupName: 'Tower A',
		});
		const updated = await bsb({
			resource: 'customerGroup',
			operation: 'update',
			referenceNumCustomergroup: rl('TOWERA'),
			groupName: 'Tower A North',
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/customers-group/update',
			body: '{"referenceNumCustomergroup":"TOWERA","groupName":"Tower A North"}',
		});
		expect(json(updated)[0]).toMatchObject({ groupName: 'Tower A North' });
	});

	it('feeType create (3), getAll (9), get (10), update (15)', async () => {
		await bsb({
			resource: 'feeType',
			operation: 'create',
			referenceNumFeetype: 'SEWA01',
			feeType: 'Sewa Bulanan',
			additionalFields: { note: 'Monthly rent' },
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/feetype',
			body: '{"referenceNumFeetype":"SEWA01","feeType":"Sewa Bulanan","note":"Monthly rent"}',
		});
		await bsb({
			resource: 'feeType',
			operation: 'create',
			referenceNumFeetype: 'TMPFEE',
			feeType: 'Temporary',
		});
		const all = await bsb({ resource: 'feeType', operation: 'getAll', returnAll: true });
		expect(last()).toMatchObject({ method: getAllMethod, path: '/v1/bsb/feetype', body: '' });
		expect(json(all).map((f) => f.referenceNumFeetype)).toEqual(
			expect.arrayContaining(['SEWA01', 'TMPFEE']),
		);
		const got = await bsb({
			resource: 'feeType',
			operation: 'get',
			referenceNumFeetype: rl('SEWA01'),
		});
		expect(json(got)[0]).toMatchObject({ referenceNumFeetype: 'SEWA01', feeType: 'Sewa Bulanan' });
		await bsb({
			resource: 'feeType',
			operation: 'update',
			referenceNumFeetype: rl('SEWA01'),
			feeType: 'Sewa Unit',
			additionalFields: {},
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/feetype/update',
			body: '{"referenceNumFeetype":"SEWA01","feeType":"Sewa Unit"}',
		});
	});

	const customer = {
		referenceNumCustomer: 'TENANT01',
		referenceNumCustomergroup: rl('TOWERA'),
		name: 'Budi Santoso',
		phone: '081234567890',
		pic: 'Budi Santoso',
		email: 'budi@example.com',
		address: 'Jl. Sudirman 1, Jakarta',
		customerStatusNotif: 'WA',
	};

	it('customer create (1) gives a BRIVA number; getAll (5); get (6)', async () => {
		const out = await bsb({
			resource: 'customer',
			operation: 'create',
			...customer,
			additionalFields: {
				registrationDate: '2026-01-05',
				labelOwner: ['UNIT-12A'],
				emailNotif: 'owner@example.com',
			},
		});
		expect(last().path).toBe('/v1/bsb/customers');
		expect(JSON.parse(last().body)).toEqual({
			referenceNumCustomer: 'TENANT01',
			referenceNumCustomergroup: 'TOWERA',
			name: 'Budi Santoso',
			phone: '081234567890',
			pic: 'Budi Santoso',
			email: 'budi@example.com',
			address: 'Jl. Sudirman 1, Jakarta',
			customerStatusNotif: 'WA',
			registrationDate: '2026-01-05',
			labelOwner: ['UNIT-12A'],
			emailNotif: 'owner@example.com',
		});
		const created = json(out)[0] as {
			detail: Array<{ brivaNo: string; referenceNumCustomergroup: string }>;
		};
		expect(created.detail[0].referenceNumCustomergroup).toBe('TOWERA');
		brivaNo = created.detail[0].brivaNo;
		expect(brivaNo).toMatch(/^\d{15,16}$/);
		await bsb({
			resource: 'customer',
			operation: 'create',
			...customer,
			referenceNumCustomer: 'TMPCUST',
			referenceNumCustomergroup: rl('TMPGROUP'),
		});

		const all = await bsb({ resource: 'customer', operation: 'getAll', returnAll: true });
		expect(last()).toMatchObject({ method: getAllMethod, path: '/v1/bsb/customers', body: '' });
		expect(json(all).map((c) => c.referenceNumCustomer)).toEqual(
			expect.arrayContaining(['TENANT01', 'TMPCUST']),
		);
		const got = await bsb({
			resource: 'customer',
			operation: 'get',
			referenceNumCustomer: 'TENANT01',
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/customers/getRefNum',
			body: '{"referenceNumCustomer":"TENANT01"}',
		});
		expect(json(got)[0]).toMatchObject({
			referenceNumCustomer: 'TENANT01',
			name: 'Budi Santoso',
			customerStatusNotif: 'WA',
		});
	});

	it('customer update (13) sends camelCase registration fields', async () => {
		const out = await bsb({
			resource: 'customer',
			operation: 'update',
			...customer,
			phone: '0812 3456 7899',
			additionalFields: { registrationNo: '1235', contractExpiredDate: '2027-01-31' },
		});
		const body = JSON.parse(last().body);
		expect(last().path).toBe('/v1/bsb/customers/update');
		expect(body).toMatchObject({
			phone: '081234567899',
			registrationNo: '1235',
			contractExpiredDate: '2027-01-31',
		});
		expect(body).not.toHaveProperty('registration_no');
		expect(json(out)[0]).toMatchObject({ phone: '081234567899' });
	});

	it('invoice create (4) joins fees and taxes; get (11); update (16)', async () => {
		const out = await bsb({
			resource: 'invoice',
			operation: 'create',
			referenceNumInvoice: 'INV-2026-11-001',
			referenceNumCustomer: 'TENANT01',
			referenceNumFeetype: rl('SEWA01'),
			amount: 1500000,
			expDate: '2026-12-10',
			additionalFields: {
				discount: 5,
				remarks: 'November rent',
				additionalFees: { fee: [{ type: 'Materai', amount: 10000, option: '1' }] },
				taxes: { tax: [{ type: 'PPN', amount: 165000, option: '2', include: '0' }] },
				notifOption: '0',
			},
		});
		expect(last().path).toBe('/v1/bsb/invoice');
		expect(JSON.parse(last().body)).toEqual({
			referenceNumInvoice: 'INV-2026-11-001',
			referenceNumCustomer: 'TENANT01',
			referenceNumFeetype: 'SEWA01',
			amount: '1500000',
			expDate: '2026-12-10',
			discount: '5',
			remarks: 'November rent',
			additionalFeeType: 'Materai',
			additionalFeeAmount: '10000',
			additionalFeeOption: '1',
			taxType: 'PPN',
			taxAmount: '165000',
			taxOption: '2',
			taxInclude: '0',
			notifOption: '0',
		});
		expect(json(out)[0]).toMatchObject({
			referenceNumInvoice: 'INV-2026-11-001',
			amount: '1500000',
			additionalFeeTotal: '10000',
		});
		await bsb({
			resource: 'invoice',
			operation: 'create',
			referenceNumInvoice: 'INV-2026-11-002',
			referenceNumCustomer: 'TENANT01',
			referenceNumFeetype: rl('SEWA01'),
			amount: '250000',
			expDate: '2026-12-10',
		});

		const got = await bsb({
			resource: 'invoice',
			operation: 'get',
			referenceNumInvoice: 'INV-2026-11-001',
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/invoice/getRefNum',
			body: '{"referenceNumInvoice":"INV-2026-11-001"}',
		});
		expect(json(got)[0]).toMatchObject({ referenceNumInvoice: 'INV-2026-11-001', paidstatus: '0' });

		const updated = await bsb({
			resource: 'invoice',
			operation: 'update',
			referenceNumInvoice: 'INV-2026-11-001',
			referenceNumFeetype: rl('SEWA01'),
			amount: '1600000',
			expDate: '2026-12-15',
			additionalFields: { remarks: 'Corrected' },
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/invoice/update',
			body: '{"referenceNumInvoice":"INV-2026-11-001","referenceNumFeetype":"SEWA01","amount":"1600000","expDate":"2026-12-15","remarks":"Corrected"}',
		});
		expect(json(updated)[0]).toMatchObject({
			amount: '1600000',
			expDate: '2026-12-15',
			remarks: 'Corrected',
		});
	});

	it('invoice getByCustomer (21) and sendNotification (22)', async () => {
		const byCustomer = await bsb({
			resource: 'invoice',
			operation: 'getByCustomer',
			referenceNumCustomer: 'TENANT01',
			additionalFields: { referenceNumCustomergroup: 'TOWERA' },
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/invoice/custRef',
			body: '{"referenceNumCustomer":"TENANT01","referenceNumCustomergroup":"TOWERA"}',
		});
		expect(json(byCustomer)[0]).toMatchObject({ referenceNumCustomer: 'TENANT01' });
		const notified = await bsb({ resource: 'invoice', operation: 'sendNotification', brivaNo });
		expect(last()).toMatchObject({
			path: '/v1/bsb/invoice/notification',
			body: `{"brivaNo":"${brivaNo}"}`,
		});
		expect(json(notified)[0]).toMatchObject({ brivaNo });
	});

	it('payment getByInvoice (12) and getByBriva (23) after a payment', async () => {
		await emu.pay({ brivaNo, invoices: ['INV-2026-11-001'] });
		const byInvoice = await bsb({
			resource: 'payment',
			operation: 'getByInvoice',
			referenceNumInvoice: 'INV-2026-11-001',
			returnAll: true,
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/payment/getRefNum',
			body: '{"referenceNumInvoice":"INV-2026-11-001"}',
		});
		expect(json(byInvoice)).toHaveLength(1);
		expect(json(byInvoice)[0]).toMatchObject({ brivaNo });
		// Section 12's sample writes amounts as "5.00006e+08": flagged as rounded.
		expect(json(byInvoice)[0].warnings).toEqual(
			on('paymentExponentAmounts')
				? [
						expect.stringMatching(
							/^paymentAmount "[\d.]+e\+\d+" is in exponent form, so BRI rounded it/,
						),
					]
				: undefined,
		);

		const today = DateTime.now().setZone('Asia/Jakarta');
		const byBriva = await bsb({
			resource: 'payment',
			operation: 'getByBriva',
			brivaNo,
			startDate: today.minus({ days: 1 }).toFormat('yyyy-MM-dd'),
			endDate: today.plus({ days: 1 }).toFormat('yyyy-MM-dd'),
			returnAll: true,
		});
		expect(last().path).toBe('/v1/bsb/payment/briva');
		expect(json(byBriva)).toHaveLength(1);
		expect(json(byBriva)[0]).toMatchObject({
			brivaNo,
			detailTransaction: expect.objectContaining({ paymentType: 'BRIVA' }),
		});
	});

	it('deletes: invoice (20), customer (17), fee type (19), customer group (18)', async () => {
		await bsb({ resource: 'invoice', operation: 'delete', referenceNumInvoice: 'INV-2026-11-002' });
		expect(last()).toMatchObject({
			path: '/v1/bsb/invoice/delete',
			body: '{"referenceNumInvoice":"INV-2026-11-002"}',
			responseCode: '0000',
		});
		await bsb({
			resource: 'customer',
			operation: 'delete',
			referenceNumCustomer: 'TMPCUST',
			referenceNumCustomergroup: rl('TMPGROUP'),
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/customers/delete',
			body: '{"referenceNumCustomer":"TMPCUST","referenceNumCustomergroup":"TMPGROUP"}',
			responseCode: '0000',
		});
		await bsb({ resource: 'feeType', operation: 'delete', referenceNumFeetype: rl('TMPFEE') });
		expect(last()).toMatchObject({
			path: '/v1/bsb/feetype/delete',
			body: '{"referenceNumFeetype":"TMPFEE"}',
			responseCode: '0000',
		});
		await bsb({
			resource: 'customerGroup',
			operation: 'delete',
			referenceNumCustomergroup: rl('TMPGROUP'),
		});
		expect(last()).toMatchObject({
			path: '/v1/bsb/customers-group/delete',
			body: '{"referenceNumCustomergroup":"TMPGROUP"}',
			responseCode: '0000',
		});
		const gone = await runNode({
			node: new BriSmartBilling(),
			parameters: {
				resource: 'customerGroup',
				operation: 'get',
				referenceNumCustomergroup: rl('TMPGROUP'),
			} as never,
			credentials: { briApi },
			store,
		});
		expect(gone.error?.message).toMatch(/^BSB 0006/);
	});

	it('pickers list customer groups and fee types from BSB, filtered by the search text', async () => {
		const groups = await runListSearch({
			node: new BriSmartBilling(),
			method: 'searchCustomerGroups',
			credentials: { briApi },
			store,
		});
		expect(groups.results).toEqual(
			expect.arrayContaining([{ name: 'Tower A North (TOWERA)', value: 'TOWERA' }]),
		);
		const filtered = await runListSearch({
			node: new BriSmartBilling(),
			method: 'searchCustomerGroups',
			filter: 'north',
			credentials: { briApi },
			store,
		});
		expect(filtered.results.map((r) => r.value)).toEqual(['TOWERA']);
		const fees = await runListSearch({
			node: new BriSmartBilling(),
			method: 'searchFeeTypes',
			filter: 'sewa',
			credentials: { briApi },
			store,
		});
		expect(fees.results).toEqual([{ name: 'Sewa Unit (SEWA01)', value: 'SEWA01' }]);
	});

	it('used one access token for all of the above, two when it was refused midway', () => {
		expect(emu.stats().tokenRequests).toBe(on('token0601At200') ? 2 : 1);
		if (on('token0601At200')) expect(emu.stats().rejected['0601']).toBeGreaterThanOrEqual(1);
		if (on('getAllPostOnly')) {
			expect(emu.requests.filter((r) => r.method === 'GET' && r.status === 405)).toHaveLength(3);
		}
	});
});
