import { customerGroupRef } from './fields';
import type { EndpointDescriptor, FieldSpec } from './types';

const groupName: FieldSpec = {
	name: 'groupName',
	displayName: 'Group Name',
	kind: 'text',
	required: true,
	// Section 14's validation sample: min 3; letters, numbers, dashes and spaces.
	min: 3,
	max: 60,
	pattern: { regex: /^[A-Za-z0-9 -]+$/, allowed: 'letters, numbers, dashes and spaces' },
	description: 'Name of the customer group, e.g. a building or a class',
};

export const customerGroupEndpoints: EndpointDescriptor[] = [
	{
		resource: 'customerGroup',
		operation: 'create',
		section: 2,
		name: 'Create',
		action: 'Create a customer group',
		description: 'Create a group of customers (for example a building or a class)',
		method: 'POST',
		path: '/customers-group',
		// The table lists `referenceNumber`/`nameGroup` as optional; the sample and the
		// validation errors use `referenceNumCustomergroup`/`groupName`, required
		// (docs/spec-readings.md#2-customers-group-add).
		fields: [
			{
				...customerGroupRef({ create: true, picker: false }),
				displayName: 'Customer Group Reference Number',
			},
			groupName,
		],
		write: true,
		default: true,
		onRetry: { kind: 'readBack', operation: 'get', keys: ['referenceNumCustomergroup'] },
	},
	{
		resource: 'customerGroup',
		operation: 'getAll',
		section: 7,
		name: 'Get Many',
		action: 'Get many customer groups',
		description: 'List customer groups',
		// POST in the table, a body-less curl in section 9's twin: read as GET
		// (docs/spec-readings.md#7-customers-group-get-all).
		method: 'GET',
		path: '/customers-group',
		fields: [],
		list: true,
	},
	{
		resource: 'customerGroup',
		operation: 'get',
		section: 8,
		name: 'Get',
		action: 'Get a customer group',
		description: 'Get a customer group by reference number',
		method: 'POST',
		path: '/customers-group/getRefNum',
		fields: [customerGroupRef()],
	},
	{
		resource: 'customerGroup',
		operation: 'update',
		section: 14,
		name: 'Update',
		action: 'Update a customer group',
		description: 'Rename a customer group',
		method: 'POST',
		path: '/customers-group/update',
		// Table: `referenceNumCustomerGroup`; sample: `referenceNumCustomergroup`
		// (docs/spec-readings.md#14-customers-group-update).
		fields: [customerGroupRef(), groupName],
		write: true,
		idempotent: true,
	},
	{
		resource: 'customerGroup',
		operation: 'delete',
		section: 18,
		name: 'Delete',
		action: 'Delete a customer group',
		description: 'Delete a customer group',
		method: 'POST',
		path: '/customers-group/delete',
		fields: [customerGroupRef()],
		write: true,
		onRetry: { kind: 'gone' },
		deletes: true,
	},
];
