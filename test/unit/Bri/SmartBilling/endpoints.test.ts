// The endpoint table and the parameters built from it: every documented endpoint once, with the
// resource/operation values saved workflows rely on, and parameters named after the spec's sample payloads.
import { BriSmartBilling } from '../../../../nodes/Bri/SmartBilling/BriSmartBilling.node';
import {
	ENDPOINTS,
	SPEC_ENDPOINTS,
	findEndpoint,
} from '../../../../nodes/Bri/SmartBilling/endpoints';

const EXPECTED: Record<string, Record<string, number>> = {
	customer: { create: 1, getAll: 5, get: 6, update: 13, delete: 17, upsert: 1 },
	customerGroup: { create: 2, getAll: 7, get: 8, update: 14, delete: 18, upsert: 2 },
	feeType: { create: 3, getAll: 9, get: 10, update: 15, delete: 19, upsert: 3 },
	invoice: {
		create: 4,
		get: 11,
		update: 16,
		delete: 20,
		getByCustomer: 21,
		sendNotification: 22,
		upsert: 4,
	},
	payment: { getByInvoice: 12, getByBriva: 23 },
};

describe('BSB endpoint descriptors', () => {
	it('describe the 23 partner→BRI endpoints of spec sections 1–23, each once', () => {
		expect(SPEC_ENDPOINTS).toHaveLength(23);
		expect(ENDPOINTS).toHaveLength(27); // and Create or Update for the four resources with a create
		expect(new Set(SPEC_ENDPOINTS.map((e) => e.section))).toEqual(
			new Set(Array.from({ length: 23 }, (_, i) => i + 1)),
		);
		for (const [resource, operations] of Object.entries(EXPECTED)) {
			for (const [operation, section] of Object.entries(operations)) {
				expect(findEndpoint(resource, operation)?.section).toBe(section);
			}
		}
	});

	it('mark one default operation per resource, and only the four updates (and Create or Update) as idempotent writes', () => {
		for (const resource of Object.keys(EXPECTED)) {
			expect(ENDPOINTS.filter((e) => e.resource === resource && e.default)).toHaveLength(1);
		}
		expect(ENDPOINTS.filter((e) => e.default).map((e) => `${e.resource} ${e.operation}`)).toEqual([
			'customer create',
			'customerGroup create',
			'feeType create',
			'invoice create',
			'payment getByBriva',
		]);
		const idempotent = SPEC_ENDPOINTS.filter((e) => e.idempotent);
		expect(idempotent.map((e) => e.section).sort((a, b) => a - b)).toEqual([13, 14, 15, 16]);
		expect(idempotent.every((e) => e.write && e.onRetry === undefined)).toBe(true);
		const upserts = ENDPOINTS.filter((e) => e.upsert);
		expect(upserts.map((e) => e.resource)).toEqual([
			'customer',
			'customerGroup',
			'feeType',
			'invoice',
		]);
		for (const e of upserts) {
			expect(e).toMatchObject({ operation: 'upsert', name: 'Create or Update', idempotent: true });
			expect(e.onRetry).toBeUndefined();
			expect(e.path).toBe(findEndpoint(e.resource, 'create')!.path);
		}
		expect(ENDPOINTS.filter((e) => e.deletes).map((e) => e.section)).toEqual([17, 18, 19, 20]);
	});

	it('read Get All as a body-less GET and everything else as a JSON POST (docs/spec-readings.md#5-customers-get-all)', () => {
		const gets = ENDPOINTS.filter((e) => e.method === 'GET')
			.map((e) => e.section)
			.sort((a, b) => a - b);
		expect(gets).toEqual([5, 7, 9]);
		for (const e of ENDPOINTS.filter((x) => x.method === 'GET')) expect(e.fields).toEqual([]);
	});

	it('name fields after the sample payloads, not the field tables', () => {
		const names = (r: string, o: string) => findEndpoint(r, o)!.fields.map((f) => f.wire ?? f.name);
		expect(names('customer', 'create')).toContain('referenceNumCustomer');
		expect(names('customer', 'create')).not.toContain('referenceNum');
		expect(names('customer', 'update')).toEqual(
			expect.arrayContaining(['registrationNo', 'registrationDate', 'contractExpiredDate']),
		);
		expect(names('feeType', 'create')).toEqual(['referenceNumFeetype', 'feeType', 'note']);
		expect(names('customerGroup', 'update')).toEqual(['referenceNumCustomergroup', 'groupName']);
		expect(names('invoice', 'update')).toContain('remarks');
		expect(names('invoice', 'update')).not.toContain('note');
		expect(names('invoice', 'create')).toContain('referenceNumCustomergroup');
	});

	it('give each create a read-back for retries, and each delete a "gone" rule', () => {
		for (const e of ENDPOINTS.filter((x) => x.operation === 'create')) {
			expect(e.onRetry).toMatchObject({ kind: 'readBack', operation: 'get' });
			const reader = findEndpoint(e.resource, 'get')!;
			const onRetry = e.onRetry as { keys: string[] };
			for (const key of onRetry.keys) expect(reader.fields.map((f) => f.name)).toContain(key);
		}
		for (const e of ENDPOINTS.filter((x) => x.operation === 'delete'))
			expect(e.onRetry).toEqual({ kind: 'gone' });
	});
});

describe('BRI Smart Billing node description', () => {
	const { description } = new BriSmartBilling();
	const props = description.properties;

	it('offers every resource and its operations, each with an action', () => {
		const resource = props.find((p) => p.name === 'resource')!;
		expect(resource.options!.map((o) => (o as { value: string }).value).sort()).toEqual(
			Object.keys(EXPECTED).sort(),
		);
		for (const [name, operations] of Object.entries(EXPECTED)) {
			const op = props.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === name,
			)!;
			const values = op.options!.map((o) => o as { value: string; action?: string });
			expect(values.map((v) => v.value).sort()).toEqual(Object.keys(operations).sort());
			for (const v of values) expect(v.action).toBeTruthy();
			expect(Object.keys(operations)).toContain(op.default);
		}
	});

	it('puts required fields at the top level and optional ones in Additional Fields', () => {
		const shown = (p: (typeof props)[number]) =>
			p.displayOptions?.show?.resource?.[0] === 'invoice' &&
			p.displayOptions?.show?.operation?.[0] === 'create';
		const top = props.filter(shown).map((p) => p.name);
		expect(top).toEqual(
			expect.arrayContaining([
				'referenceNumInvoice',
				'referenceNumCustomer',
				'referenceNumFeetype',
				'amount',
				'expDate',
				'additionalFields',
			]),
		);
		const additional = props.find((p) => shown(p) && p.name === 'additionalFields')!;
		const optional = (additional.options as Array<{ name: string }>).map((o) => o.name);
		expect(optional).toEqual(
			expect.arrayContaining([
				'discount',
				'remarks',
				'additionalFees',
				'taxes',
				'fineAmount',
				'finePeriod',
				'fineOption',
				'notifOption',
				'labelOwner',
				'referenceNumCustomergroup',
			]),
		);
		expect(optional).not.toContain('amount');
	});

	it('picks customers, customer groups and fee types from searchable lists', () => {
		const pickers = props.filter((p) => p.type === 'resourceLocator');
		expect(new Set(pickers.map((p) => p.name))).toEqual(
			new Set(['referenceNumCustomer', 'referenceNumCustomergroup', 'referenceNumFeetype']),
		);
		const methods = new Set(
			pickers.flatMap((p) => p.modes!.map((m) => m.typeOptions?.searchListMethod).filter(Boolean)),
		);
		expect(methods).toEqual(new Set(['searchCustomers', 'searchCustomerGroups', 'searchFeeTypes']));
		expect(Object.keys(new BriSmartBilling().methods.listSearch).sort()).toEqual([
			'searchCustomerGroups',
			'searchCustomers',
			'searchFeeTypes',
		]);
		// From List first (the default), then By Reference Number under a mode name n8n does not
		// rename (a mode called `id` is shown as "By ID").
		for (const p of pickers) {
			expect(p.default).toEqual({ mode: 'list', value: '' });
			expect(p.modes!.map((m) => [m.name, m.displayName])).toEqual([
				['list', 'From List'],
				['reference', 'By Reference Number'],
			]);
		}
		const pickerOf = (resource: string, operation: string, name: string) =>
			props.find(
				(p) =>
					p.name === name &&
					p.displayOptions?.show?.resource?.[0] === resource &&
					p.displayOptions?.show?.operation?.[0] === operation,
			)?.type;
		for (const [resource, operation] of [
			['customer', 'get'],
			['customer', 'update'],
			['customer', 'delete'],
			['invoice', 'create'],
			['invoice', 'getByCustomer'],
		]) {
			expect(pickerOf(resource, operation, 'referenceNumCustomer')).toBe('resourceLocator');
		}
		expect(pickerOf('customer', 'create', 'referenceNumCustomer')).toBe('string');
		const invoiceCreateOptional = props.find(
			(p) =>
				p.name === 'additionalFields' &&
				p.displayOptions?.show?.resource?.[0] === 'invoice' &&
				p.displayOptions?.show?.operation?.[0] === 'create',
		)!.options as Array<{ name: string; type: string }>;
		expect(invoiceCreateOptional.find((o) => o.name === 'referenceNumCustomergroup')?.type).toBe(
			'resourceLocator',
		);
	});

	it('marks the required fields of a fee or tax row as required', () => {
		const fees = props.find(
			(p) =>
				p.name === 'additionalFields' &&
				p.displayOptions?.show?.operation?.[0] === 'create' &&
				p.displayOptions?.show?.resource?.[0] === 'invoice',
		)!;
		const row = (
			fees.options as Array<{
				name: string;
				options?: Array<{ values: Array<{ name: string; required?: boolean }> }>;
			}>
		).find((o) => o.name === 'additionalFees')!.options![0].values;
		expect(row.filter((v) => v.required).map((v) => v.name)).toEqual(['type', 'amount']);
	});

	it('is usable as an AI tool and runs on the BRI API credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([
			{ name: 'briApi', required: true, testedBy: 'briApiConnection' },
		]);
	});
});
