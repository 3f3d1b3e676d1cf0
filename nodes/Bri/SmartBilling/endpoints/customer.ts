import { customerFields, customerGroupRef, customerRef } from './fields';
import type { EndpointDescriptor } from './types';

export const customerEndpoints: EndpointDescriptor[] = [
	{
		resource: 'customer',
		operation: 'create',
		section: 1,
		name: 'Create',
		action: 'Create a customer',
		description: 'Register a customer in a customer group; BSB gives them a BRIVA number',
		method: 'POST',
		path: '/customers',
		// Section 1's table calls the key `referenceNum`; its sample sends `referenceNumCustomer`
		// (docs/spec-readings.md#1-customers-add).
		fields: customerFields(true),
		write: true,
		default: true,
		onRetry: { kind: 'readBack', operation: 'get', keys: ['referenceNumCustomer'] },
	},
	{
		resource: 'customer',
		operation: 'getAll',
		section: 5,
		name: 'Get Many',
		action: 'Get many customers',
		description: 'List registered customers',
		// The table says POST, the sample is a body-less curl, i.e. GET
		// (docs/spec-readings.md#5-customers-get-all).
		method: 'GET',
		path: '/customers',
		fields: [],
		list: true,
	},
	{
		resource: 'customer',
		operation: 'get',
		section: 6,
		name: 'Get',
		action: 'Get a customer',
		description: 'Get a customer by reference number',
		method: 'POST',
		path: '/customers/getRefNum',
		fields: [customerRef()],
	},
	{
		resource: 'customer',
		operation: 'update',
		section: 13,
		name: 'Update',
		action: 'Update a customer',
		description: 'Replace a customer’s details',
		method: 'POST',
		path: '/customers/update',
		fields: customerFields(false),
		write: true,
		idempotent: true,
	},
	{
		resource: 'customer',
		operation: 'delete',
		section: 17,
		name: 'Delete',
		action: 'Delete a customer',
		description: 'Remove a customer from a customer group',
		method: 'POST',
		path: '/customers/delete',
		fields: [customerRef(), customerGroupRef()],
		write: true,
		onRetry: { kind: 'gone' },
		deletes: true,
	},
];
