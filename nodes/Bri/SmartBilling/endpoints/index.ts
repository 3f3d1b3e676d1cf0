import { customerEndpoints } from './customer';
import { customerGroupEndpoints } from './customerGroup';
import { feeTypeEndpoints } from './feeType';
import { invoiceEndpoints } from './invoice';
import { paymentEndpoints } from './payment';
import type { BsbResource, EndpointDescriptor } from './types';
import { createOrUpdate } from './upsert';

export * from './types';

/** The 23 partner→BRI endpoints of the BSB spec, sections 1–23. */
export const SPEC_ENDPOINTS: EndpointDescriptor[] = [
	...customerEndpoints,
	...customerGroupEndpoints,
	...feeTypeEndpoints,
	...invoiceEndpoints,
	...paymentEndpoints,
];

/** Every operation: the 23 endpoints, and Create or Update for the four resources with a create. */
export const ENDPOINTS: EndpointDescriptor[] = [
	...SPEC_ENDPOINTS,
	...createOrUpdate(SPEC_ENDPOINTS),
];

export const RESOURCES: Array<{ name: string; value: BsbResource; description: string }> = [
	{
		name: 'Customer',
		value: 'customer',
		description: 'A tenant, student or member billed on a BRIVA number',
	},
	{
		name: 'Customer Group',
		value: 'customerGroup',
		description: 'A group of customers, e.g. a building or a class',
	},
	{
		name: 'Fee Type',
		value: 'feeType',
		description: 'What an invoice is for, e.g. rent or tuition',
	},
	{ name: 'Invoice', value: 'invoice', description: 'A bill on a customer’s BRIVA number' },
	{ name: 'Payment', value: 'payment', description: 'Payments made into BRIVA numbers' },
];

export function findEndpoint(resource: string, operation: string): EndpointDescriptor | undefined {
	return ENDPOINTS.find((e) => e.resource === resource && e.operation === operation);
}
