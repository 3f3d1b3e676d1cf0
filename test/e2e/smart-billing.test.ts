// BRI Smart Billing inside a real n8n 2.40.7: its pickers through n8n's own REST endpoint, a bulk
// invoice run with Requests at Once and the error output, and the access token kept with the
// credential in n8n's database across executions and refreshed once when BRI expires it.
import { nodeOutput, startN8n } from './harness';
import type { N8n } from './harness';
import {
	SMART_BILLING as NODE,
	bulkInvoiceWorkflow as bulkWorkflow,
	searchFeeTypes,
} from './workflows';

type Bsb = {
	url: string;
	stats(): { tokenRequests: number; requests: number };
	state: {
		invoices: Map<string, { referenceNumInvoice: string; amount?: string }>;
		customerGroups: Map<string, { groupName: string }>;
	};
	expireTokens(): number;
	expireTokensLater(opts: { afterCalls: number }): unknown;
	setReadings(readings: string[]): string[];
	requests: Array<{ method: string; path: string; status: number }>;
};

const START = {
	id: 't',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Manual trigger → BRI Smart Billing Customer Group Get Many (Return All). */
function groupsWorkflow() {
	return {
		name: 'Customer groups',
		nodes: [
			START,
			{
				id: 'g',
				name: 'Groups',
				type: NODE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'customerGroup', operation: 'getAll', returnAll: true },
			},
		],
		connections: { Start: { main: [[{ node: 'Groups', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

describe('BRI Smart Billing in a real n8n', () => {
	let n8n: N8n;
	let bsb: Bsb;

	beforeAll(async () => {
		n8n = await startN8n();
		bsb = n8n.emulators!.bsb as unknown as Bsb;
	});
	afterAll(async () => await n8n?.stop());

	/** A picker of Invoice → Create, filled through n8n's own resource-locator endpoint. */
	const pickerResults = (parameter: string, methodName: string, filter?: string) =>
		n8n.rest.post('/dynamic-node-parameters/resource-locator-results', {
			path: `parameters.${parameter}`,
			nodeTypeAndVersion: { name: NODE, version: 1 },
			currentNodeParameters: { resource: 'invoice', operation: 'create' },
			methodName,
			filter,
			credentials: { briApi: { id: n8n.credentials.briApi, name: 'BRI API (emulator)' } },
		});

	it('creates invoices several at once, keeps order, routes bad rows to the error output, with one token', async () => {
		const tokensBefore = bsb.stats().tokenRequests;
		const id = await n8n.importWorkflow(bulkWorkflow('E2E-A', 30, [4, 17]));
		const execution = await n8n.runWorkflow(id);
		expect(execution.status).toBe('success');
		const created = nodeOutput(execution, 'Create invoices', 0);
		const failed = nodeOutput(execution, 'Create invoices', 1);
		const expected = Array.from(
			{ length: 30 },
			(_, i) => `E2E-A-${String(i).padStart(3, '0')}`,
		).filter((_, i) => i !== 4 && i !== 17);
		expect(created.map((j) => j.referenceNumInvoice)).toEqual(expected);
		expect(failed.map((j) => String(j.error))).toEqual([
			'Invalid input for invoice "E2E-A-004": amount "twelve" is not a whole number (allowed: a whole number of rupiah from 1, at most 12 digits, without separators)',
			'Invalid input for invoice "E2E-A-017": amount "twelve" is not a whole number (allowed: a whole number of rupiah from 1, at most 12 digits, without separators)',
		]);
		for (const ref of expected) expect(bsb.state.invoices.has(ref)).toBe(true);
		expect(bsb.state.invoices.has('E2E-A-004')).toBe(false);
		// The credential had no token yet: exactly one was fetched for the whole run.
		expect(bsb.stats().tokenRequests - tokensBefore).toBe(1);
	});

	it('fills the fee type picker through n8n’s resource-locator endpoint, filtered', async () => {
		const answer = await searchFeeTypes(n8n, 'air');
		expect(answer.results).toEqual([{ name: 'Tagihan Air (AIR001)', value: 'AIR001' }]);
	});

	it('runs Create or Update twice (created, then updated) with pickers saved From List, By Reference Number and in the old id mode', async () => {
		const customers = await pickerResults('referenceNumCustomer', 'searchCustomers');
		const picked = (customers.results as Array<{ name: string; value: string }>).find(
			(r) => r.value === 'CUST001',
		)!;
		expect(picked.name).toMatch(/ \(CUST001\)$/);
		const workflow = (name: string) => ({
			name: `Create or Update ${name}`,
			nodes: [
				START,
				{
					id: 'g',
					name: 'Upsert group',
					type: NODE,
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						resource: 'customerGroup',
						operation: 'upsert',
						referenceNumCustomergroup: 'E2EUPSERT',
						groupName: name,
					},
				},
				{
					id: 'i',
					name: 'Upsert invoice',
					type: NODE,
					typeVersion: 1,
					position: [440, 0],
					parameters: {
						resource: 'invoice',
						operation: 'upsert',
						referenceNumInvoice: 'E2E-UPSERT-01',
						referenceNumCustomer: {
							__rl: true,
							mode: 'list',
							value: picked.value,
							cachedResultName: picked.name,
						},
						referenceNumFeetype: { __rl: true, mode: 'id', value: 'IPL001' },
						amount: name === 'E2E Group One' ? '100000' : '120000',
						expDate: "={{ $now.plus(30, 'days').toFormat('yyyy-MM-dd') }}",
						additionalFields: {
							referenceNumCustomergroup: { __rl: true, mode: 'reference', value: 'TOWERA' },
						},
					},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Upsert group', type: 'main', index: 0 }]] },
				'Upsert group': { main: [[{ node: 'Upsert invoice', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		const first = await n8n.runWorkflow(await n8n.importWorkflow(workflow('E2E Group One')));
		expect(first.status).toBe('success');
		expect(nodeOutput(first, 'Upsert group', 0)).toEqual([
			expect.objectContaining({ referenceNumCustomergroup: 'E2EUPSERT', operation: 'created' }),
		]);
		expect(nodeOutput(first, 'Upsert invoice', 0)).toEqual([
			expect.objectContaining({ referenceNumInvoice: 'E2E-UPSERT-01', operation: 'created' }),
		]);
		const second = await n8n.runWorkflow(await n8n.importWorkflow(workflow('E2E Group Two')));
		expect(second.status).toBe('success');
		expect(nodeOutput(second, 'Upsert group', 0)).toEqual([
			expect.objectContaining({ groupName: 'E2E Group Two', operation: 'updated' }),
		]);
		expect(nodeOutput(second, 'Upsert invoice', 0)).toEqual([
			expect.objectContaining({ amount: '120000', operation: 'updated' }),
		]);
		expect(bsb.state.customerGroups.get('E2EUPSERT')?.groupName).toBe('E2E Group Two');
		expect(bsb.state.invoices.get('E2E-UPSERT-01')?.amount).toBe('120000');
	});

	it('keeps the token with the credential for the next execution, and refreshes it once when BRI expires it', async () => {
		const before = bsb.stats().tokenRequests;
		const second = await n8n.runWorkflow(await n8n.importWorkflow(bulkWorkflow('E2E-B', 10, [])));
		expect(second.status).toBe('success');
		expect(bsb.stats().tokenRequests).toBe(before); // n8n stored the token in its database

		bsb.expireTokens();
		const third = await n8n.runWorkflow(await n8n.importWorkflow(bulkWorkflow('E2E-C', 10, [])));
		expect(third.status).toBe('success');
		expect(nodeOutput(third, 'Create invoices', 0)).toHaveLength(10);
		expect(bsb.stats().tokenRequests).toBe(before + 1);
	});

	it('with a token refused at HTTP 200 midway and Get All POST only: every invoice created, one new token; Get Many and the picker through POST', async () => {
		bsb.setReadings(['token0601At200', 'getAllPostOnly']);
		try {
			const before = bsb.stats().tokenRequests;
			bsb.expireTokensLater({ afterCalls: 25 });
			const run = await n8n.runWorkflow(await n8n.importWorkflow(bulkWorkflow('E2E-D', 60, [])));
			expect(run.status).toBe('success');
			expect(nodeOutput(run, 'Create invoices', 0)).toHaveLength(60);
			for (let i = 0; i < 60; i++)
				expect(bsb.state.invoices.has(`E2E-D-${String(i).padStart(3, '0')}`)).toBe(true);
			expect(bsb.stats().tokenRequests).toBe(before + 1);

			const seen = bsb.requests.length;
			const groups = await n8n.runWorkflow(await n8n.importWorkflow(groupsWorkflow()));
			expect(groups.status).toBe('success');
			expect(nodeOutput(groups, 'Groups', 0).length).toBeGreaterThan(0);
			const answer = await n8n.rest.post('/dynamic-node-parameters/resource-locator-results', {
				path: 'parameters.referenceNumCustomergroup',
				nodeTypeAndVersion: { name: NODE, version: 1 },
				currentNodeParameters: { resource: 'customer', operation: 'create' },
				methodName: 'searchCustomerGroups',
				credentials: { briApi: { id: n8n.credentials.briApi, name: 'BRI API (emulator)' } },
			});
			expect(answer.results.length).toBeGreaterThan(0);
			const getAll = bsb.requests
				.slice(seen)
				.filter((r) => r.path === '/v1/bsb/customers-group')
				.map((r) => `${r.method} ${r.status}`);
			// The GET was refused once; POST from then on, in the same n8n process.
			expect(getAll).toEqual(['GET 405', 'POST 200', 'POST 200']);
		} finally {
			bsb.setReadings([]);
		}
	});
});
