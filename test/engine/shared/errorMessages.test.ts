// The errors both action nodes write for n8n's error panel, through n8n-core's engine against the
// emulators: a short message naming the item by its own reference, a description of sentences
// that reads well once n8n joins its lines (each fact once, n8n 2.x's "Settings → On Error", the fix
// last), the same style in both nodes, and error items that carry what identifies their item.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BpjsMembership } from '../../../nodes/Catapa/BpjsMembership/BpjsMembership.node';
import { runNode } from '../harness';
import type { RunNodeResult } from '../harness';
import { invoiceParams, useSeededBsb } from '../Bri/SmartBilling/seededBsb';

import { useCatapa } from '../Catapa/BpjsMembership/catapaEmulator';

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

const invoice = (ref: string, amount: string | number = 100000, customer = 'CUST001') => ({
	ref,
	customer,
	amount,
});

/** What n8n's error panel shows, checked the same way for both nodes. */
function expectPanelText(error: RunNodeResult['error']) {
	const message = String(error?.message);
	const description = String(error?.description ?? '');
	const lines = description.split('\n');
	expect(message).not.toContain('\n');
	for (const line of lines) {
		// Each line a sentence, so that the joined paragraph reads as sentences.
		expect(line).toMatch(/[.?!]$/);
		// The message is said once: no line repeats it, nor the part after its headline.
		expect(line).not.toContain(message);
		expect(line).not.toContain(message.slice(message.indexOf(': ') + 2));
	}
	expect(new Set(lines).size).toBe(lines.length);
	expect(description).not.toMatch(/Continue On Fail/i);
	expect(description).not.toMatch(/\bitem\(s\)/);
	return { message, description, lines };
}

describe('error messages of both action nodes', () => {
	const bsb = useSeededBsb();

	const fixture = useCatapa();
	const employee = (n: number) => fixture.emu.state.employees[n].id as string;
	const bpjs = (parameters: INodeParameters, items: IDataObject[], continueOnFail = false) =>
		fixture.run(parameters, items, continueOnFail);
	const manpower = (): INodeParameters => ({
		resource: 'manpowerMembership',
		operation: 'update',
		employeeId: rl('={{ $json.employeeId }}'),
		bpjsManpowerProviderId: rl(fixture.emu.state.manpowerProviders[0].id as string),
		bpjsManpowerTemplateId: rl(fixture.emu.state.manpowerTemplates[1].id as string),
		startDate: '={{ $json.start }}',
	});
	const row = (n: number, start = '2024-07-01') => ({ employeeId: employee(n), start });

	describe('BRI Smart Billing', () => {
		it('bad input: the message names the invoice, the description says once what was sent and how to go on', async () => {
			const { error } = await bsb.run(invoiceParams, [
				invoice('INV-OK-00001'),
				invoice('INV-BAD-0002', '15.000'),
				invoice('INV-OK-00003'),
			]);
			const { message, lines } = expectPanelText(error);
			expect(message).toBe(
				'Invalid input for invoice "INV-BAD-0002": amount "15.000" is not a whole number (allowed: a whole number of rupiah from 1, at most 12 digits, without separators)',
			);
			expect(lines).toEqual([
				'Field in the node: Amount (amount).',
				'Nothing was sent to BRI for any item: every item is checked before any is sent.',
				'Correct this item\'s input, or set Settings → On Error to "Continue (using error output)" (or "Continue") to send the other items and get an error item for this one.',
			]);
			expect(bsb.bsbCalls()).toHaveLength(0);
		});

		it('several bad items are named by reference, or by their place counted from 1 without one', async () => {
			const { error } = await bsb.run(invoiceParams, [
				invoice('INV-OK-00001'),
				invoice('INV-BAD-0002', 'x'),
				invoice('', 5),
				invoice('INV-BAD-0004', 'y'),
			]);
			const { message, description } = expectPanelText(error);
			expect(message).toMatch(/^Invalid input for invoice "INV-BAD-0002": amount "x"/);
			expect(description).toContain(
				'3 items have invalid input: invoice "INV-BAD-0002", item 3 of 4 and invoice "INV-BAD-0004".',
			);
			expect(description).toMatch(/Correct their input, or set Settings → On Error to /);
		});

		it("BSB's refusal: code and reason for the named invoice, then the endpoint, what was sent, the fixes", async () => {
			const { error } = await bsb.run(invoiceParams, [
				invoice('INV-OK-00001'),
				invoice('INV-OK-00002'),
				invoice('INV-NOCUST-3', 5, 'NOSUCH'),
				invoice('INV-OK-00004'),
			]);
			const { message, lines } = expectPanelText(error);
			expect(message).toBe('BSB 0006 for invoice "INV-NOCUST-3": Customer not found');
			expect(lines).toEqual([
				'BSB says: record not found.',
				'Endpoint: invoice create (POST /v1/bsb/invoice).',
				"Check this item's reference numbers: BSB found no record for one of them.",
				'The run stopped at this item after BRI had processed 2 other items; 1 item was not sent.',
				'To go on with the other items and get an error item for each failed one, set Settings → On Error to "Continue (using error output)" (or "Continue").',
			]);
		});

		it('status unknown keeps "check before retrying"; a lone item gets no run sentences', async () => {
			bsb.emu.configure({ errorRate5xx: 1 });
			const { error } = await bsb.run({
				resource: 'invoice',
				operation: 'get',
				referenceNumInvoice: 'INV-2024-0001',
				options: { retries: 0 },
			});
			const { message, lines } = expectPanelText(error);
			expect(message).toBe(
				'Status unknown for invoice "INV-2024-0001": BRI gave no clear answer (HTTP 503)',
			);
			expect(lines).toEqual([
				'BRI may or may not have processed the request.',
				'Endpoint: invoice get (POST /v1/bsb/invoice/getRefNum).',
				'Check before retrying whether it was done, for example with the Get operation.',
			]);
		});

		it('error items carry the references of their item beside `error`', async () => {
			const { items } = await bsb.run(
				invoiceParams,
				[invoice('INV-BAD-0001', 'x'), invoice('INV-NOCUST-2', 5, 'NOSUCH')],
				true,
			);
			expect(items.map((i) => i.json)).toEqual([
				{
					error: expect.stringMatching(/^Invalid input for invoice "INV-BAD-0001": amount/),
					referenceNumInvoice: 'INV-BAD-0001',
					referenceNumCustomer: 'CUST001',
					referenceNumFeetype: 'IPL001',
				},
				{
					error: 'BSB 0006 for invoice "INV-NOCUST-2": Customer not found',
					referenceNumInvoice: 'INV-NOCUST-2',
					referenceNumCustomer: 'NOSUCH',
					referenceNumFeetype: 'IPL001',
				},
			]);
		});
	});

	describe('BPJS Membership', () => {
		it('bad input: the message names the employee, the description as in BRI Smart Billing', async () => {
			const { error } = await bpjs(manpower(), [row(1), row(2, '01/08/2024'), row(3)]);
			const { message, lines } = expectPanelText(error);
			expect(message).toBe(
				`Invalid input for employee "${employee(2)}": Start Date (startDate) must be a date in yyyy-MM-dd form, e.g. 2024-01-31; got "01/08/2024"`,
			);
			expect(lines).toEqual([
				'Nothing was sent to CATAPA for any item: every item is checked before any is sent.',
				'Correct this item\'s input, or set Settings → On Error to "Continue (using error output)" (or "Continue") to send the other items and get an error item for this one.',
			]);
			expect(fixture.emu.requests).toHaveLength(0);
		});

		it("CATAPA's refusal: headline, employee and CATAPA's reason; then what was sent and the fixes", async () => {
			const rows = [row(1), { ...row(2), employeeId: 'no-such-employee' }, row(3)];
			const { error } = await bpjs(manpower(), rows);
			const { message, lines } = expectPanelText(error);
			expect(message).toBe(
				'Not found in CATAPA for employee "no-such-employee": Employee no-such-employee not found (HTTP 404, EMPLOYEE_NOT_FOUND)',
			);
			expect(lines).toEqual([
				'Check the employee ID, and that the employee belongs to this tenant.',
				'The run stopped at this item after CATAPA had processed 1 other item; 1 item was not sent.',
				'To go on with the other items and get an error item for each failed one, set Settings → On Error to "Continue (using error output)" (or "Continue").',
			]);
		});

		it('error items carry the employee they belong to, with the name the list showed when picked', async () => {
			const rows = [row(1, '2024-13-01'), { ...row(2), employeeId: 'no-such-employee' }, row(3)];
			const { items } = await bpjs(manpower(), rows, true);
			expect(items.map((i) => i.json)).toEqual([
				{
					error: expect.stringMatching(/^Invalid input for employee ".+": Start Date/),
					employee: { employeeId: employee(1) },
				},
				{
					error: expect.stringMatching(/^Not found in CATAPA for employee "no-such-employee": /),
					employee: { employeeId: 'no-such-employee' },
				},
				expect.objectContaining({ startDate: '2024-07-01' }),
			]);

			const picked = await bpjs(
				{
					...manpower(),
					employeeId: {
						__rl: true,
						mode: 'list',
						value: employee(4),
						cachedResultName: 'Budi Santoso (EMP-0004)',
					},
					startDate: 'soon',
				},
				[{}],
				true,
			);
			expect(picked.items[0].json).toEqual({
				error: expect.stringMatching(/^Invalid input for employee "Budi Santoso \(EMP-0004\)": /),
				employee: { employeeId: employee(4), name: 'Budi Santoso (EMP-0004)' },
			});
		});
	});

	it('on the error output (every n8n version routes `{ error }`), an error item is its input item with `error`', async () => {
		const rows = [row(1), { ...row(2, 'x'), name: 'Dewi Santoso' }];
		const out = await runNode({
			node: new BpjsMembership(),
			parameters: manpower(),
			credentials: { catapaApi: fixture.catapaApi },
			store: fixture.store,
			items: rows,
			onError: 'continueErrorOutput',
		});
		expect(out.outputs[0]).toHaveLength(1);
		expect(out.outputs[1]?.map((i) => i.json)).toEqual([
			{ ...rows[1], error: expect.stringMatching(/^Invalid input for employee "e0+-.+": /) },
		]);
	});

	it('both nodes write the run sentences alike, only the vendor differs', async () => {
		const bri = await bsb.run(invoiceParams, [invoice('INV-OK-00001'), invoice('INV-BAD-2', 'x')]);
		const cat = await bpjs(manpower(), [row(1), row(2, 'x')]);
		const runPart = (error: RunNodeResult['error'], vendor: string) =>
			String(error?.description)
				.split('\n')
				.filter((line) => !line.startsWith('Field in the node'))
				.map((line) => line.replace(vendor, 'VENDOR'));
		expect(runPart(bri.error, 'BRI')).toEqual(runPart(cat.error, 'CATAPA'));
		for (const error of [bri.error, cat.error]) {
			expect(String(error?.message)).toMatch(/^Invalid input for (invoice|employee) "[^"]+": /);
		}
	});
});
