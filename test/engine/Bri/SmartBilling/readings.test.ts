// The node, its pickers and the credential test against the BSB emulator playing the spec's
// other readings (docs/spec-readings.md): Get All POST only, a refused token answered HTTP 200,
// amounts in exponent form.
import type { ICredentialTestRequest, IDataObject } from 'n8n-workflow';

import { BriApi } from '../../../../credentials/BriApi.credentials';
import { BriSmartBilling } from '../../../../nodes/Bri/SmartBilling/BriSmartBilling.node';
import {
	CredentialTypeRegistry,
	emulatorBriCredential,
	runNode,
	testCredentials,
} from '../../harness';
import { runListSearch } from '../../listSearch';
import { startBsbEmulator, DEMO } from '../../../../emulator/bsb';
import type { BsbEmulator } from '../../../../emulator';

let emu: BsbEmulator;

beforeAll(async () => {
	emu = await startBsbEmulator({
		port: 0,
		consumerKey: DEMO.consumerKey,
		consumerSecret: DEMO.consumerSecret,
	});
});
afterAll(async () => await emu?.close());

const credential = () => emulatorBriCredential(emu.url, DEMO);

describe('the credential test', () => {
	it('passes under token0601At200 after every token was refused: it always fetches a fresh one', async () => {
		emu.setReadings(['token0601At200']);
		try {
			const { store, briApi } = credential();
			await expect(
				testCredentials({ type: 'briApi', credentials: briApi, store }),
			).resolves.toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			emu.expireTokens();
			const tokens = emu.stats().tokenRequests;
			await expect(
				testCredentials({ type: 'briApi', credentials: briApi, store }),
			).resolves.toMatchObject({
				status: 'OK',
			});
			expect(emu.stats().tokenRequests).toBe(tokens + 1);
		} finally {
			emu.setReadings([]);
		}
	});

	// Get All may be POST only (docs/spec-readings.md#7-customers-group-get-all): the test sends
	// GET as the samples do and, on the 405, once more a body-less POST signed with verb=POST.
	it('passes under getAllPostOnly: GET answered 405, then one body-less POST answers the list', async () => {
		emu.setReadings(['getAllPostOnly']);
		try {
			const { store, briApi } = credential();
			const mark = emu.requests.length;
			await expect(
				testCredentials({ type: 'briApi', credentials: briApi, store }),
			).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
			const bsb = emu.requests
				.slice(mark)
				.filter((entry) => entry.path === '/v1/bsb/customers-group')
				.map(({ method, status, responseCode, body }) => ({ method, status, responseCode, body }));
			// The emulator checks the signature over the verb and the empty body: 200 means signed so.
			expect(bsb).toEqual([
				{ method: 'GET', status: 405, responseCode: null, body: '' },
				{ method: 'POST', status: 200, responseCode: '0000', body: '' },
			]);
		} finally {
			emu.setReadings([]);
		}
	});

	// n8n runs a credential's own `test` before any node's testedBy, and runs it as one request:
	// that is why the BRI API credential has none.
	it('would fail under getAllPostOnly if the credential had its own GET test again', async () => {
		class BriApiWithOwnTest extends BriApi {
			test: ICredentialTestRequest = {
				request: { baseURL: '={{$credentials.customUrl}}', url: '/v1/bsb/customers-group' },
			};
		}
		emu.setReadings(['getAllPostOnly']);
		try {
			const { store, briApi } = credential();
			const mark = emu.requests.length;
			const result = await testCredentials({
				type: 'briApi',
				credentials: briApi,
				store,
				credentialTypes: new CredentialTypeRegistry([new BriApiWithOwnTest()]),
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/405|Method Not Allowed/);
			expect(result.message).not.toContain(DEMO.consumerSecret);
			const bsb = emu.requests
				.slice(mark)
				.filter((entry) => entry.path === '/v1/bsb/customers-group');
			expect(bsb.map(({ method, status }) => `${method} ${status}`)).toEqual(['GET 405']);
		} finally {
			emu.setReadings([]);
		}
	});

	it('fails under getAllPostOnly with a wrong secret, with the hint and without the secret', async () => {
		emu.setReadings(['getAllPostOnly']);
		try {
			const { store, briApi } = emulatorBriCredential(emu.url, {
				...DEMO,
				consumerSecret: 'wrong-secret-5b1e',
			});
			const result = await testCredentials({ type: 'briApi', credentials: briApi, store });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/HTTP 401, 0603.*Consumer Key and Consumer Secret/);
			expect(result.message).not.toContain('wrong-secret-5b1e');
		} finally {
			emu.setReadings([]);
		}
	});

	it.each([[['token0601At200']], [['token0601At200', 'getAllPostOnly']]])(
		'fails with the gateway hint on a 0601 carried by HTTP 200 (%j), sending Get All once',
		async (readings) => {
			emu.setReadings(readings);
			emu.configure({ token0601Rate: 1 });
			try {
				const { store, briApi } = credential();
				const mark = emu.requests.length;
				const result = await testCredentials({ type: 'briApi', credentials: briApi, store });
				expect(result).toEqual({
					status: 'Error',
					message:
						'BRI gateway 0601: the access token was refused. Check the Consumer Key, Consumer Secret and Environment.',
				});
				const bsb = emu.requests
					.slice(mark)
					.filter((entry) => entry.path === '/v1/bsb/customers-group');
				// A refused token is no reason to try POST.
				expect(bsb.map(({ method, status }) => `${method} ${status}`)).toEqual(['GET 200']);
				expect(result.message).not.toContain(DEMO.consumerSecret);
			} finally {
				emu.configure({ token0601Rate: 0 });
				emu.setReadings([]);
			}
		},
	);
});

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

async function createInvoices(n: number, concurrency: number, tag: string) {
	const { store, briApi } = credential();
	const items = Array.from({ length: n }, (_, i) => ({
		ref: `MID${tag}-${String(i).padStart(4, '0')}`,
	}));
	return await runNode({
		node: new BriSmartBilling(),
		parameters: {
			resource: 'invoice',
			operation: 'create',
			referenceNumInvoice: '={{ $json.ref }}',
			referenceNumCustomer: 'CUST001',
			referenceNumFeetype: rl('IPL001'),
			amount: 150000,
			expDate: '2026-12-31',
			options: { concurrency },
		} as never,
		credentials: { briApi },
		store,
		items,
	});
}

describe('a token refused with HTTP 200 midway through 200 invoice creates', () => {
	afterEach(() => emu.setReadings([]));

	it.each([1, 10])(
		'Requests at Once %i: every item succeeds, at most 2 token requests',
		async (n) => {
			emu.reset({ seed: true });
			emu.setReadings(['token0601At200']);
			emu.expireTokensLater({ afterCalls: 80 });
			const { items, error } = await createInvoices(200, n, String(n));
			expect(error).toBeUndefined();
			expect(items).toHaveLength(200);
			expect(items.every((item) => item.json.referenceNumInvoice !== undefined)).toBe(true);
			const stats = emu.stats();
			expect(stats.rejected['0601']).toBeGreaterThanOrEqual(1);
			expect(stats.tokenRequests).toBe(2);
			// Every invoice created exactly once: a refused request did nothing and went once more.
			const creates = emu.requests.filter(
				(r) => r.method === 'POST' && r.path === '/v1/bsb/invoice' && r.status === 200,
			);
			const refs = creates.map((r) => JSON.parse(r.body).referenceNumInvoice as string);
			expect(new Set(refs).size).toBe(200);
		},
	);
});

describe('Get All and the pickers when Get All is POST only', () => {
	beforeAll(() => emu.setReadings(['getAllPostOnly']));
	afterAll(() => emu.setReadings([]));

	it('Get Many goes as GET, then once as a body-less POST, then POST only', async () => {
		const { store, briApi } = credential();
		const before = emu.requests.length;
		const run = async () =>
			await runNode({
				node: new BriSmartBilling(),
				parameters: { resource: 'customerGroup', operation: 'getAll', returnAll: true } as never,
				credentials: { briApi },
				store,
			});
		const first = await run();
		expect(first.error).toBeUndefined();
		expect(first.items.length).toBeGreaterThan(0);
		const second = await run();
		expect(second.error).toBeUndefined();
		const sent = emu.requests
			.slice(before)
			.filter((r) => r.path === '/v1/bsb/customers-group')
			.map((r) => `${r.method} ${r.status} ${r.body}`);
		expect(sent).toEqual(['GET 405 ', 'POST 200 ', 'POST 200 ']);
	});

	it('the fee type picker lists through POST', async () => {
		const { store, briApi } = credential();
		const found = await runListSearch({
			node: new BriSmartBilling(),
			method: 'searchFeeTypes',
			credentials: { briApi },
			store,
		});
		expect(found.results).toEqual(
			expect.arrayContaining([expect.objectContaining({ value: 'IPL001' })]),
		);
	});
});

describe('the pickers when the token is refused with HTTP 200', () => {
	afterAll(() => emu.setReadings([]));

	it('drop the token, fetch one new token and list', async () => {
		emu.setReadings(['token0601At200']);
		const { store, briApi } = credential();
		const list = async () =>
			await runListSearch({
				node: new BriSmartBilling(),
				method: 'searchCustomerGroups',
				credentials: { briApi },
				store,
			});
		expect((await list()).results.length).toBeGreaterThan(0);
		const tokens = emu.stats().tokenRequests;
		emu.expireTokens();
		expect((await list()).results.length).toBeGreaterThan(0);
		expect(emu.stats().tokenRequests).toBe(tokens + 1);
	});
});

describe('softer checks: sent, with warnings on the item', () => {
	it('a customer reference of 30 characters (section 1’s table allows 40)', async () => {
		const { store, briApi } = credential();
		const ref = 'LONGREF'.padEnd(30, 'X');
		const { items, error } = await runNode({
			node: new BriSmartBilling(),
			parameters: {
				resource: 'customer',
				operation: 'create',
				referenceNumCustomer: ref,
				referenceNumCustomergroup: rl('TOWERA'),
				name: 'Long Ref',
				phone: '081234567890',
				pic: 'Long Ref',
				email: 'long@example.com',
				address: 'Jl. X',
				customerStatusNotif: 'SMS',
				additionalFields: {},
			} as never,
			credentials: { briApi },
			store,
		});
		expect(error).toBeUndefined();
		expect(items[0].json.referenceNumCustomer).toBe(ref);
		expect(items[0].json.warnings).toEqual([
			expect.stringContaining(`Customer Reference Number "${ref}" has 30 characters`),
		]);
	});
});
