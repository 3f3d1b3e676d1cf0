// Pickers (resource locators) in every mode and in the shapes older workflows saved, the Delete
// output, and Create or Update (both branches, bad input, a retry after an unknown outcome),
// through n8n-core's engine against the BSB emulator over HTTP.
import { BriSmartBilling } from '../../../../nodes/Bri/SmartBilling/BriSmartBilling.node';
import { runWorkflow } from '../../harness';
import type { RunNodeResult } from '../../harness';
import { ManualTrigger } from '../../fixtures';
import { runListSearch } from '../../listSearch';
import { useSeededBsb } from './seededBsb';

const locator = (mode: string, value: string, cachedResultName?: string) => ({
	__rl: true,
	mode,
	value,
	...(cachedResultName ? { cachedResultName } : {}),
});

describe('BRI Smart Billing: pickers, Delete output and Create or Update', () => {
	const env = useSeededBsb();
	const { bsbCalls, run } = env;
	const json = (result: RunNodeResult) => result.items.map((i) => i.json);

	describe('pickers', () => {
		it('read the customer reference in every mode: From List, By Reference Number, the old `id` mode and a plain string', async () => {
			const values = [
				locator('list', 'CUST001', 'Budi Santoso (CUST001)'),
				locator('reference', 'CUST001'),
				locator('id', 'CUST001'),
				'CUST001',
				'={{ "CUST" + "001" }}',
			];
			for (const value of values) {
				const { items, error } = await run({
					resource: 'customer',
					operation: 'get',
					referenceNumCustomer: value,
				});
				expect(error).toBeUndefined();
				expect(items[0].json.referenceNumCustomer).toBe('CUST001');
			}
			const gets = bsbCalls().filter((r) => r.path === '/v1/bsb/customers/getRefNum');
			expect(gets.map((r) => r.body)).toEqual(
				Array(values.length).fill('{"referenceNumCustomer":"CUST001"}'),
			);
		});

		it('list customers as "Name (reference)", filtered by the search text', async () => {
			const all = await runListSearch({
				node: new BriSmartBilling(),
				method: 'searchCustomers',
				credentials: { briApi: env.briApi },
				store: env.store,
			});
			const cust001 = env.emu.state.customers.get('CUST001') as { name: string };
			expect(all.results).toEqual(
				expect.arrayContaining([{ name: `${cust001.name} (CUST001)`, value: 'CUST001' }]),
			);
			expect(all.results.length).toBe(env.emu.state.customers.size);
			const filtered = await runListSearch({
				node: new BriSmartBilling(),
				method: 'searchCustomers',
				filter: cust001.name.slice(0, 4).toLowerCase(),
				credentials: { briApi: env.briApi },
				store: env.store,
			});
			expect(filtered.results.map((r) => r.value)).toContain('CUST001');
			expect(filtered.results.length).toBeLessThanOrEqual(all.results.length);
		});

		it('run a workflow saved before the pickers: plain strings and the old `id` mode', async () => {
			// The shape older versions saved: customer and customer group as plain strings, the fee
			// type as a locator in mode `id`, the customer of Get by Customer as an expression.
			const workflow = {
				nodes: [
					{
						id: 'trigger',
						name: 'When clicking ‘Execute workflow’',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0] as [number, number],
						parameters: {},
					},
					{
						id: 'create',
						name: 'Create invoice',
						type: 'n8n-nodes-bri-bpjs.briSmartBilling',
						typeVersion: 1,
						position: [200, 0] as [number, number],
						parameters: {
							resource: 'invoice',
							operation: 'create',
							referenceNumInvoice: 'OLD-SHAPE-0001',
							referenceNumCustomer: 'CUST001',
							referenceNumFeetype: { __rl: true, mode: 'id', value: 'SEWA01' },
							amount: '150000',
							expDate: '2026-12-31',
							additionalFields: { referenceNumCustomergroup: 'TOWERA' },
						},
						credentials: { briApi: env.briApi },
					},
					{
						id: 'byCustomer',
						name: 'Invoices of the customer',
						type: 'n8n-nodes-bri-bpjs.briSmartBilling',
						typeVersion: 1,
						position: [400, 0] as [number, number],
						parameters: {
							resource: 'invoice',
							operation: 'getByCustomer',
							referenceNumCustomer: '={{ $json.referenceNumCustomer }}',
						},
						credentials: { briApi: env.briApi },
					},
				],
				connections: {
					'When clicking ‘Execute workflow’': {
						main: [[{ node: 'Create invoice', type: 'main' as const, index: 0 }]],
					},
					'Create invoice': {
						main: [[{ node: 'Invoices of the customer', type: 'main' as const, index: 0 }]],
					},
				},
			};
			const result = await runWorkflow({
				workflow: workflow as never,
				nodeTypes: {
					briSmartBilling: new BriSmartBilling(),
					'n8n-nodes-base.manualTrigger': new ManualTrigger(),
				},
				credentials: env.store,
			});
			expect(result.error).toBeUndefined();
			const create = bsbCalls().find((r) => r.path === '/v1/bsb/invoice')!;
			expect(JSON.parse(create.body)).toMatchObject({
				referenceNumInvoice: 'OLD-SHAPE-0001',
				referenceNumCustomer: 'CUST001',
				referenceNumFeetype: 'SEWA01',
				referenceNumCustomergroup: 'TOWERA',
			});
			expect(create.responseCode).toBe('0000');
			const byCustomer = bsbCalls().find((r) => r.path === '/v1/bsb/invoice/custRef')!;
			expect(JSON.parse(byCustomer.body)).toEqual({ referenceNumCustomer: 'CUST001' });
			expect(result.lastNodeOutput?.[0]?.length).toBeGreaterThan(0);
		});

		it('take the invoice’s customer group from the list, and refuse an empty pick before sending', async () => {
			const { items, error } = await run({
				resource: 'invoice',
				operation: 'create',
				referenceNumInvoice: 'LIST-PICK-0001',
				referenceNumCustomer: locator('list', 'CUST001', 'Budi (CUST001)'),
				referenceNumFeetype: locator('list', 'SEWA01', 'Sewa Unit (SEWA01)'),
				amount: '150000',
				expDate: '2026-12-31',
				additionalFields: {
					referenceNumCustomergroup: locator('list', 'TOWERA', 'Tower A North (TOWERA)'),
				},
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ referenceNumInvoice: 'LIST-PICK-0001' });
			expect(env.emu.state.invoices.get('LIST-PICK-0001')).toMatchObject({
				referenceNumCustomergroup: 'TOWERA',
			});
			const before = bsbCalls().length;
			// n8n itself refuses an empty required locator before the node runs.
			await expect(
				run({ resource: 'customer', operation: 'get', referenceNumCustomer: locator('list', '') }),
			).rejects.toThrow(/Parameter "Customer Reference Number" is required/);
			expect(bsbCalls().length).toBe(before);
		});
	});

	describe('Delete', () => {
		it('outputs { deleted: true } with the reference numbers, for all four deletes', async () => {
			const unpaid = [...env.emu.state.invoices.values()].find(
				(i) => (i as { paidAmount: string }).paidAmount === '0',
			) as { referenceNumInvoice: string };
			const invoice = await run({
				resource: 'invoice',
				operation: 'delete',
				referenceNumInvoice: unpaid.referenceNumInvoice,
			});
			expect(json(invoice)).toEqual([
				{ deleted: true, referenceNumInvoice: unpaid.referenceNumInvoice },
			]);
			const customer = await run({
				resource: 'customer',
				operation: 'delete',
				referenceNumCustomer: locator('list', 'CUST001'),
				referenceNumCustomergroup: locator('reference', 'TOWERA'),
			});
			expect(json(customer)).toEqual([
				{ deleted: true, referenceNumCustomer: 'CUST001', referenceNumCustomergroup: 'TOWERA' },
			]);
			await run({
				resource: 'feeType',
				operation: 'create',
				referenceNumFeetype: 'TMPFEE',
				feeType: 'Temporary',
			});
			const feeType = await run({
				resource: 'feeType',
				operation: 'delete',
				referenceNumFeetype: locator('id', 'TMPFEE'),
			});
			expect(json(feeType)).toEqual([{ deleted: true, referenceNumFeetype: 'TMPFEE' }]);
			await run({
				resource: 'customerGroup',
				operation: 'create',
				referenceNumCustomergroup: 'TMPGROUP',
				groupName: 'Temporary',
			});
			const group = await run({
				resource: 'customerGroup',
				operation: 'delete',
				referenceNumCustomergroup: 'TMPGROUP',
			});
			expect(json(group)).toEqual([{ deleted: true, referenceNumCustomergroup: 'TMPGROUP' }]);
			expect(env.emu.state.customerGroups.has('TMPGROUP')).toBe(false);
			expect(env.emu.state.feeTypes.has('TMPFEE')).toBe(false);
		});

		it('a retried delete that meets "not found" outputs the same', async () => {
			env.emu.configure({ errorAfterCommitRate: 1 });
			await expect(
				run({
					resource: 'feeType',
					operation: 'delete',
					referenceNumFeetype: locator('reference', 'SEWA01'),
					options: { retries: 1 },
				}),
			).resolves.toMatchObject({
				error: undefined,
				items: [{ json: { deleted: true, referenceNumFeetype: 'SEWA01' } }],
			});
		});
	});

	describe('Create or Update', () => {
		const groupUpsert = (ref: string, groupName: string) => ({
			resource: 'customerGroup',
			operation: 'upsert',
			referenceNumCustomergroup: ref,
			groupName,
		});

		it('creates a record that does not exist, and updates one that does, saying which', async () => {
			const first = await run(groupUpsert('UPSERTA', 'Upsert Block A'));
			expect(first.error).toBeUndefined();
			expect(json(first)).toEqual([
				expect.objectContaining({ referenceNumCustomergroup: 'UPSERTA', operation: 'created' }),
			]);
			const second = await run(groupUpsert('UPSERTA', 'Upsert Block A Renamed'));
			expect(json(second)).toEqual([
				expect.objectContaining({
					referenceNumCustomergroup: 'UPSERTA',
					groupName: 'Upsert Block A Renamed',
					operation: 'updated',
				}),
			]);
			expect(env.emu.state.customerGroups.get('UPSERTA')).toMatchObject({
				groupName: 'Upsert Block A Renamed',
			});
			expect(bsbCalls().map((r) => `${r.path} ${r.responseCode}`)).toEqual([
				'/v1/bsb/customers-group 0000',
				'/v1/bsb/customers-group 0005',
				'/v1/bsb/customers-group/update 0000',
			]);
		});

		it('does both for customers, fee types and invoices, one item each way in a run', async () => {
			const customers = await run(
				{
					resource: 'customer',
					operation: 'upsert',
					referenceNumCustomer: '={{ $json.ref }}',
					referenceNumCustomergroup: locator('list', 'TOWERA'),
					name: '={{ $json.name }}',
					phone: '081234567890',
					pic: 'Ani',
					email: 'tenant@example.com',
					address: 'Jl. Sudirman 1',
					customerStatusNotif: 'WA',
				},
				[
					{ ref: 'CUST001', name: 'Budi Renamed' },
					{ ref: 'UPSERTC1', name: 'New Tenant' },
				],
			);
			expect(customers.error).toBeUndefined();
			expect(json(customers).map((c) => [c.referenceNumCustomer, c.operation])).toEqual([
				['CUST001', 'updated'],
				['UPSERTC1', 'created'],
			]);
			expect(env.emu.state.customers.get('CUST001')).toMatchObject({ name: 'Budi Renamed' });

			const fees = await run(
				{
					resource: 'feeType',
					operation: 'upsert',
					referenceNumFeetype: '={{ $json.ref }}',
					feeType: '={{ $json.name }}',
				},
				[
					{ ref: 'SEWA01', name: 'Sewa Unit 2027' },
					{ ref: 'PARK01', name: 'Parkir' },
				],
			);
			expect(json(fees).map((f) => [f.referenceNumFeetype, f.operation])).toEqual([
				['SEWA01', 'updated'],
				['PARK01', 'created'],
			]);
			expect(env.emu.state.feeTypes.get('SEWA01')).toMatchObject({ feeType: 'Sewa Unit 2027' });

			const invoiceParams = {
				resource: 'invoice',
				operation: 'upsert',
				referenceNumInvoice: 'UPSERT-INV-01',
				referenceNumCustomer: locator('list', 'CUST001'),
				referenceNumFeetype: locator('reference', 'SEWA01'),
				amount: '={{ $json.amount }}',
				expDate: '2026-12-31',
			};
			const created = await run(invoiceParams, [{ amount: 100000 }]);
			const updated = await run(invoiceParams, [{ amount: 125000 }]);
			expect(json(created)[0]).toMatchObject({ operation: 'created', amount: '100000' });
			expect(json(updated)[0]).toMatchObject({ operation: 'updated', amount: '125000' });
			expect(env.emu.state.invoices.get('UPSERT-INV-01')).toMatchObject({ amount: '125000' });
			const update = bsbCalls().find((r) => r.path === '/v1/bsb/invoice/update')!;
			expect(JSON.parse(update.body)).not.toHaveProperty('referenceNumCustomer'); // section 16
		});

		it('refuses bad input before anything is sent, by the create’s rules and the update’s', async () => {
			const { error } = await run(groupUpsert('AB', 'x'), [{}, {}]);
			expect(error?.message).toMatch(
				/^Invalid input for customer group "AB": referenceNumCustomergroup/,
			);
			expect(error?.message).toMatch(/groupName/);
			expect(bsbCalls()).toHaveLength(0);
		});

		it('after unknown outcomes (5xx, timeouts), a retry creates nothing twice and every record gets the item’s values', async () => {
			const rows = Array.from({ length: 20 }, (_, i) => ({
				ref: `UPS-${String(i).padStart(4, '0')}`,
				amount: 200000 + i,
			}));
			// Half of them exist already, with another amount.
			for (const row of rows.slice(0, 10)) {
				await run({
					resource: 'invoice',
					operation: 'create',
					referenceNumInvoice: row.ref,
					referenceNumCustomer: 'CUST001',
					referenceNumFeetype: locator('reference', 'SEWA01'),
					amount: '1000',
					expDate: '2026-12-31',
				});
			}
			// Lost answers after the change (502) and answers that never come (timeouts).
			env.emu.configure({
				errorAfterCommitRate: 0.3,
				timeoutRate: 0.1,
				timeoutHoldMs: 3000,
				randomSeed: 11,
			});
			const before = bsbCalls().length;
			const { items, error } = await run(
				{
					resource: 'invoice',
					operation: 'upsert',
					referenceNumInvoice: '={{ $json.ref }}',
					referenceNumCustomer: 'CUST001',
					referenceNumFeetype: locator('reference', 'SEWA01'),
					amount: '={{ $json.amount }}',
					expDate: '2026-12-31',
					options: { concurrency: 4, retries: 6, timeout: 2000 },
				},
				rows,
			);
			expect(error).toBeUndefined();
			const calls = bsbCalls().slice(before);
			expect(calls.some((r) => r.status === 502)).toBe(true); // outcomes were lost
			expect(calls.some((r) => r.injected === 'timeout')).toBe(true);
			expect(items.map((i) => i.json.referenceNumInvoice)).toEqual(rows.map((r) => r.ref));
			for (const row of rows) {
				expect(env.emu.state.invoices.get(row.ref)).toMatchObject({ amount: String(row.amount) });
			}
			// The ten that existed were updated, never created.
			expect(items.slice(0, 10).every((i) => i.json.operation === 'updated')).toBe(true);
			// A new invoice whose create was committed but answered 502 was met by 0005 on the retry
			// and updated, not created again.
			const lostCreates = new Set(
				calls
					.filter((r) => r.path === '/v1/bsb/invoice' && r.status === 502)
					.map((r) => JSON.parse(r.body).referenceNumInvoice as string),
			);
			const lostNew = rows.slice(10).filter((r) => lostCreates.has(r.ref));
			expect(lostNew.length).toBeGreaterThan(0);
			for (const row of lostNew) {
				expect(items.find((i) => i.json.referenceNumInvoice === row.ref)?.json.operation).toBe(
					'updated',
				);
			}
		}, 120000);
	});
});
