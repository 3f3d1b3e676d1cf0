// How the node names an item in its messages and on its error item: by the reference of the record
// it is about, never by a number when it has one.
import { findEndpoint } from '../../../../nodes/Bri/SmartBilling/endpoints';
import { itemIdentity, referenceFields } from '../../../../nodes/Bri/SmartBilling/messages';

describe('itemIdentity', () => {
	it('names an item after its endpoint’s first reference and keeps every reference it carries', () => {
		const create = findEndpoint('invoice', 'create')!;
		expect(referenceFields(create)[0]).toBe('referenceNumInvoice');
		expect(
			itemIdentity(create, {
				referenceNumInvoice: ' INV-2026-11-001 ',
				referenceNumCustomer: 'CUST001',
				referenceNumFeetype: 'IPL001',
				referenceNumCustomergroup: '',
				amount: '1000',
			}),
		).toEqual({
			name: 'invoice "INV-2026-11-001"',
			fields: {
				referenceNumInvoice: 'INV-2026-11-001',
				referenceNumCustomer: 'CUST001',
				referenceNumFeetype: 'IPL001',
			},
		});
	});

	it('uses the domain word of each reference, and the BRIVA number', () => {
		const name = (resource: string, operation: string, values: Record<string, unknown>) =>
			itemIdentity(findEndpoint(resource, operation)!, values).name;
		expect(name('customer', 'delete', { referenceNumCustomer: 'CUST001' })).toBe(
			'customer "CUST001"',
		);
		expect(name('feeType', 'get', { referenceNumFeetype: 'IPL001' })).toBe('fee type "IPL001"');
		expect(name('customerGroup', 'get', { referenceNumCustomergroup: 'TOWERA' })).toBe(
			'customer group "TOWERA"',
		);
		expect(name('payment', 'getByBriva', { brivaNo: 106107185000005 })).toBe(
			'BRIVA number "106107185000005"',
		);
	});

	it('has no name without the first reference (numbered instead), nor for a Get Many', () => {
		const create = findEndpoint('invoice', 'create')!;
		expect(itemIdentity(create, { referenceNumInvoice: '  ', referenceNumCustomer: 'C1' })).toEqual(
			{ name: undefined, fields: { referenceNumCustomer: 'C1' } },
		);
		expect(itemIdentity(findEndpoint('customer', 'getAll')!, {})).toEqual({
			name: undefined,
			fields: {},
		});
	});
});
