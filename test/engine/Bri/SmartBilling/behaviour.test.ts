// How the BRI Smart Billing node behaves around the happy path, through n8n-core's engine against
// the BSB emulator: validation before sending, each error family, On Error → Continue, pairedItem,
// concurrency keeping order, safe retries, and one token for a run of 1,000 invoices.
import { BriSmartBilling } from '../../../../nodes/Bri/SmartBilling/BriSmartBilling.node';
import { runNode } from '../../harness';
import { DEMO } from '../../../../emulator/bsb';
import { invoiceParams, useSeededBsb } from './seededBsb';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const rows = (n: number, from = 0) =>
	Array.from({ length: n }, (_, i) => ({
		ref: `BULK-${String(from + i).padStart(5, '0')}`,
		customer: 'CUST001',
		amount: 100000 + i,
	}));

describe('BRI Smart Billing behaviour', () => {
	const env = useSeededBsb();
	const { bsbCalls, run } = env;

	describe('validation before sending', () => {
		it('names the item by its reference and the field, and sends nothing for any item while one is invalid', async () => {
			const items = [
				...rows(2),
				{ ref: 'BULK-BAD', customer: 'CUST001', amount: '15.000' },
				...rows(2, 10),
			];
			const { error } = await run(invoiceParams, items);
			expect(error?.message).toBe(
				'Invalid input for invoice "BULK-BAD": amount "15.000" is not a whole number (allowed: a whole number of rupiah from 1, at most 12 digits, without separators)',
			);
			expect(error?.description).toContain('Field in the node: Amount (amount).');
			expect(error?.description).toContain('Nothing was sent to BRI for any item');
			expect(bsbCalls()).toHaveLength(0);
			expect(env.emu.stats().tokenRequests).toBe(0);
		});

		it('lists every invalid item and every bad field', async () => {
			const { error } = await run(
				{
					resource: 'customer',
					operation: 'create',
					referenceNumCustomer: '={{ $json.ref }}',
					referenceNumCustomergroup: rl('TOWERA'),
					name: 'X',
					phone: '={{ $json.phone }}',
					pic: 'X',
					email: '={{ $json.email }}',
					address: 'Jl. X',
					customerStatusNotif: 'SMS',
				},
				[
					{ ref: 'OK01', phone: '081234567890', email: 'a@b.co' },
					{ ref: 'BAD01', phone: '123', email: 'nope' },
					{ ref: 'BAD 02', phone: '081234567890', email: 'a@b.co' },
				],
			);
			expect(error?.message).toBe(
				'Invalid input for customer "BAD01": phone "123" has 3 digits (allowed: 10–13 digits, e.g. 081234567890); email "nope" is not an email address (allowed: an email address, e.g. name@example.com)',
			);
			expect(error?.description).toContain(
				'2 items have invalid input: customer "BAD01" and customer "BAD 02".',
			);
			expect(bsbCalls()).toHaveLength(0);
		});
	});

	describe('errors', () => {
		it('turns a BSB error envelope into an error with code, message and item', async () => {
			const { error } = await run(invoiceParams, [
				{ ref: 'INV-2024-0001', customer: 'CUST001', amount: 1000 },
			]);
			expect(error?.message).toMatch(/^BSB 0005 for invoice "INV-2024-0001": /);
			expect(error?.description).toContain('already exists');
			expect((error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(0);
		});

		it('carries each validationError entry of a 0012 answer', async () => {
			// Client-side rules pass (both are dates); BSB refuses an end before the start.
			const { error } = await run({
				resource: 'payment',
				operation: 'getByBriva',
				brivaNo: '106107185000001',
				startDate: '2026-12-01',
				endDate: '2026-11-01',
			});
			expect(error?.message).toBe(
				'BSB 0012 for BRIVA number "106107185000001": Error Validation — endDate: The endDate field must be a date after or equal to startDate',
			);
			// Said once, in the message; the description says what to do.
			expect(error?.description).not.toContain('The endDate field');
			expect(error?.description).toContain("Correct this item's input as BSB says");
		});

		it('says what to check when the gateway keeps refusing the token (0601)', async () => {
			env.emu.configure({ token0601Rate: 1 });
			const { error } = await run({
				resource: 'customerGroup',
				operation: 'getAll',
				returnAll: true,
			});
			expect(error?.message).toBe('BRI gateway 0601: Invalid token');
			expect(error?.description).toContain(
				'Check the Consumer Key, Consumer Secret and Environment',
			);
			// n8n fetched a new token once and retried once.
			expect(env.emu.stats().tokenRequests).toBe(2);
		});

		it('reports 5xx as "status unknown", never as success, after the configured retries', async () => {
			env.emu.configure({ errorRate5xx: 1 });
			const { error } = await run({
				resource: 'invoice',
				operation: 'get',
				referenceNumInvoice: 'INV-2024-0001',
				options: { retries: 1 },
			});
			expect(error?.message).toBe(
				'Status unknown for invoice "INV-2024-0001": BRI gave no clear answer (HTTP 503) after 2 attempts',
			);
			expect(error?.description).toContain('Check before retrying');
			expect(bsbCalls()).toHaveLength(2);
		});

		it('never shows the consumer secret or the token in errors', async () => {
			env.emu.configure({ token0601Rate: 1 });
			const { error } = await run({
				resource: 'customerGroup',
				operation: 'getAll',
				returnAll: true,
			});
			const token = String(env.store.get('briApi', env.briApi.id)?.accessToken ?? '');
			const text = JSON.stringify({
				...error,
				message: error?.message,
				description: error?.description,
				stack: error?.stack,
			});
			expect(token.length).toBeGreaterThan(0);
			expect(text).not.toContain(token);
			expect(text).not.toContain(DEMO.consumerSecret);
		});
	});

	describe('On Error → Continue and pairedItem', () => {
		it('gives an error item per failed item, goes on, and pairs every output item', async () => {
			const items = [
				rows(1)[0],
				{ ref: 'X1', customer: 'CUST001', amount: 5 },
				{ ref: 'BULK-NOCUST', customer: 'NOSUCH', amount: 5 },
				rows(1, 1)[0],
			];
			const { items: out, error } = await run(invoiceParams, items, true);
			expect(error).toBeUndefined();
			expect(out.map((i) => i.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
				{ item: 3 },
			]);
			expect(out[0].json).toMatchObject({ referenceNumInvoice: 'BULK-00000' });
			expect(out[1].json.error).toBe(
				'Invalid input for invoice "X1": referenceNumInvoice "X1" has 2 characters (allowed: 5–50 characters)',
			);
			expect(out[2].json).toEqual({
				error: 'BSB 0006 for invoice "BULK-NOCUST": Customer not found',
				referenceNumInvoice: 'BULK-NOCUST',
				referenceNumCustomer: 'NOSUCH',
				referenceNumFeetype: 'IPL001',
			});
			expect(out[3].json).toMatchObject({ referenceNumInvoice: 'BULK-00001' });
			// The invalid item was never sent.
			expect(bsbCalls().map((r) => JSON.parse(r.body).referenceNumInvoice)).toEqual([
				'BULK-00000',
				'BULK-NOCUST',
				'BULK-00001',
			]);
		});

		it('routes failed items to the error output when On Error says so', async () => {
			const items = [
				rows(1)[0],
				{ ref: 'X1', customer: 'CUST001', amount: 5 },
				{ ref: 'BULK-NOCUST', customer: 'NOSUCH', amount: 5 },
			];
			const { outputs, error } = await runNode({
				node: new BriSmartBilling(),
				parameters: invoiceParams as never,
				credentials: { briApi: env.briApi },
				store: env.store,
				items,
				onError: 'continueErrorOutput',
			});
			expect(error).toBeUndefined();
			expect(outputs[0]!.map((i) => i.json.referenceNumInvoice)).toEqual(['BULK-00000']);
			expect(outputs[1]!.map((i) => [i.pairedItem, String(i.json.error).slice(0, 20)])).toEqual([
				[{ item: 1 }, 'Invalid input for in'],
				[{ item: 2 }, 'BSB 0006 for invoice'],
			]);
		});

		it('without it, stops at the failed item and says what was and was not sent', async () => {
			const items = [
				...rows(2),
				{ ref: 'BULK-NOCUST', customer: 'NOSUCH', amount: 5 },
				...rows(3, 2),
			];
			const { error } = await run(invoiceParams, items);
			expect(error?.message).toMatch(/^BSB 0006 for invoice "BULK-NOCUST": /);
			expect(error?.description).toContain(
				'The run stopped at this item after BRI had processed 2 other items; 3 items were not sent.',
			);
			expect(env.emu.state.invoices.has('BULK-00003')).toBe(false);
		});
	});

	describe('bulk', () => {
		it('runs several requests at once and keeps output order equal to input order', async () => {
			env.emu.configure({ latencyMs: 20, latencyJitterMs: 60 });
			const items = rows(40);
			const { items: out, error } = await run(
				{ ...invoiceParams, options: { concurrency: 10 } },
				items,
			);
			expect(error).toBeUndefined();
			expect(out.map((i) => i.json.referenceNumInvoice)).toEqual(items.map((i) => i.ref));
			expect(out.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
			// Every answer takes at least 20 ms; one at a time, requests would start >= 20 ms apart.
			// Here many started while earlier ones were still waiting: they overlapped.
			const starts = bsbCalls().map((r) => Date.parse(r.at));
			const overlapping = starts.slice(1).filter((t, i) => t - starts[i] < 20).length;
			expect(overlapping).toBeGreaterThanOrEqual(20);
			expect(env.emu.stats().tokenRequests).toBe(1);
		});

		it('retried creates never create twice: an "already exists" after an unknown outcome reads the record back', async () => {
			env.emu.configure({ errorAfterCommitRate: 0.5, randomSeed: 11 });
			const items = rows(30);
			const { items: out, error } = await run(
				{ ...invoiceParams, options: { concurrency: 5, retries: 8 } },
				items,
			);
			expect(error).toBeUndefined();
			expect(out.map((i) => i.json.referenceNumInvoice)).toEqual(items.map((i) => i.ref));
			const creates = bsbCalls().filter((r) => r.path === '/v1/bsb/invoice');
			expect(creates.some((r) => r.responseCode === '0005')).toBe(true); // retries met "already exists"
			expect(bsbCalls().some((r) => r.path === '/v1/bsb/invoice/getRefNum')).toBe(true); // and read back
			for (const row of items) expect(env.emu.state.invoices.has(row.ref)).toBe(true);
			expect(
				creates.filter((r) => r.responseCode === '0000' && r.status === 200).length,
			).toBeLessThanOrEqual(items.length);
		});

		it('a retried delete that meets "not found" is reported as done', async () => {
			env.emu.configure({ errorAfterCommitRate: 1 });
			// Every answer is lost after the delete happened; the retry meets 0011 "not found".
			const { items: out, error } = await run({
				resource: 'invoice',
				operation: 'delete',
				referenceNumInvoice: 'INV-2024-0002',
				options: { retries: 1 },
			});
			expect(error).toBeUndefined();
			expect(out[0].json).toEqual({ deleted: true, referenceNumInvoice: 'INV-2024-0002' });
			expect(env.emu.state.invoices.has('INV-2024-0002')).toBe(false);
		});

		it('fetches one token for a concurrent run even when the first items are invalid', async () => {
			const items = [
				{ ref: 'BAD1', customer: 'CUST001', amount: 1 },
				{ ref: 'BAD2', customer: 'CUST001', amount: 1 },
				...rows(20),
			];
			const { items: out, error } = await run(
				{ ...invoiceParams, options: { concurrency: 10 } },
				items,
				true,
			);
			expect(error).toBeUndefined();
			expect(out.filter((i) => i.json.error)).toHaveLength(2);
			expect(env.emu.stats().tokenRequests).toBe(1);
		});

		it('a run of 1,000 invoice creates makes exactly one token request', async () => {
			const items = rows(1000);
			const { items: out, error } = await run(
				{ ...invoiceParams, options: { concurrency: 10 } },
				items,
			);
			expect(error).toBeUndefined();
			expect(out).toHaveLength(1000);
			expect(env.emu.stats().tokenRequests).toBe(1);
			expect(bsbCalls()).toHaveLength(1000);
		});
	});
});
