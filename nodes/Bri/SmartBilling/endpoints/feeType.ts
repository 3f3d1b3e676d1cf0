import { feeTypeRef } from './fields';
import type { EndpointDescriptor, FieldSpec } from './types';

// Table: `feetype`; samples: `feeType` (docs/spec-readings.md#3-feetype-add).
const feeTypeName: FieldSpec = {
	name: 'feeType',
	displayName: 'Fee Type Name',
	kind: 'text',
	required: true,
	min: 1,
	max: 40,
	description: 'Name of the fee, e.g. Sewa Gedung or Uang SPP',
};
const note: FieldSpec = { name: 'note', displayName: 'Note', kind: 'text', max: 200 };

export const feeTypeEndpoints: EndpointDescriptor[] = [
	{
		resource: 'feeType',
		operation: 'create',
		section: 3,
		name: 'Create',
		action: 'Create a fee type',
		description: 'Create a fee type that invoices refer to',
		method: 'POST',
		path: '/feetype',
		// Table: `referenceNumber`; sample: `referenceNumFeetype` (docs/spec-readings.md#3-feetype-add).
		fields: [
			{ ...feeTypeRef({ create: true, picker: false }), displayName: 'Fee Type Reference Number' },
			feeTypeName,
			note,
		],
		write: true,
		default: true,
		onRetry: { kind: 'readBack', operation: 'get', keys: ['referenceNumFeetype'] },
	},
	{
		resource: 'feeType',
		operation: 'getAll',
		section: 9,
		name: 'Get Many',
		action: 'Get many fee types',
		description: 'List fee types',
		// POST in the table, a body-less curl in the sample: read as GET
		// (docs/spec-readings.md#9-feetype-get-all).
		method: 'GET',
		path: '/feetype',
		fields: [],
		list: true,
	},
	{
		resource: 'feeType',
		operation: 'get',
		section: 10,
		name: 'Get',
		action: 'Get a fee type',
		description: 'Get a fee type by reference number',
		method: 'POST',
		path: '/feetype/getRefNum',
		fields: [feeTypeRef()],
	},
	{
		resource: 'feeType',
		operation: 'update',
		section: 15,
		name: 'Update',
		action: 'Update a fee type',
		description: 'Rename a fee type or change its note',
		method: 'POST',
		path: '/feetype/update',
		fields: [feeTypeRef(), feeTypeName, note],
		write: true,
		idempotent: true,
	},
	{
		resource: 'feeType',
		operation: 'delete',
		section: 19,
		name: 'Delete',
		action: 'Delete a fee type',
		description: 'Delete a fee type',
		method: 'POST',
		path: '/feetype/delete',
		fields: [feeTypeRef()],
		write: true,
		onRetry: { kind: 'gone' },
		deletes: true,
	},
];
