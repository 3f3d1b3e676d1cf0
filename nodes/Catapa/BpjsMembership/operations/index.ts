// Every operation of the node described once, as data, like BRI Smart Billing's endpoint
// descriptors: the node's parameters and its runs are built from this table.
import type { INodeProperties } from 'n8n-workflow';

import { prepareHealthcareUpdate, prepareManpowerUpdate } from '../validation';
import type { PreparedUpdate } from '../validation';
import { healthcareUpdateFields, manpowerUpdateFields } from './fields';

export type BpjsResource = 'healthcareMembership' | 'manpowerMembership';

export interface MembershipOperation {
	resource: BpjsResource;
	operation: 'get' | 'update';
	/** The section of CATAPA's "BPJS Membership" page. */
	section: string;
	/** Operation name, action and description shown in the picker. */
	name: string;
	action: string;
	description: string;
	method: 'GET' | 'PUT';
	/** Path below the base URL; `{employeeId}` is the item's Employee. */
	path: string;
	/** The parameters after the Employee (which every operation has): top level, then Additional Fields. */
	fields: INodeProperties[];
	/** Checks the fields' values and builds the body; throws CatapaInputError on bad input. */
	rules?: (input: Record<string, unknown>) => PreparedUpdate;
}

export const RESOURCES: Array<{ name: string; value: BpjsResource }> = [
	{ name: 'Healthcare Membership (BPJS Kesehatan)', value: 'healthcareMembership' },
	{ name: 'Manpower Membership (BPJS Ketenagakerjaan)', value: 'manpowerMembership' },
];

export const OPERATIONS: MembershipOperation[] = [
	{
		resource: 'healthcareMembership',
		operation: 'get',
		section: 'Get BPJS Healthcare Membership',
		name: 'Get',
		action: 'Get a healthcare membership',
		description: "Get an employee's BPJS Kesehatan membership",
		method: 'GET',
		path: '/core/v1/employees/{employeeId}/bpjs-healthcare-memberships',
		fields: [],
	},
	{
		resource: 'healthcareMembership',
		operation: 'update',
		section: 'Update BPJS Healthcare Membership',
		name: 'Update',
		action: 'Update a healthcare membership',
		description: "Set an employee's BPJS Kesehatan membership",
		method: 'PUT',
		path: '/core/v1/employees/{employeeId}/bpjs-healthcare-memberships',
		fields: healthcareUpdateFields,
		rules: prepareHealthcareUpdate,
	},
	{
		resource: 'manpowerMembership',
		operation: 'get',
		section: 'Get BPJS Manpower Membership',
		name: 'Get',
		action: 'Get a manpower membership',
		description: "Get an employee's BPJS Ketenagakerjaan membership",
		method: 'GET',
		path: '/core/v1/employees/{employeeId}/bpjs-manpower-memberships',
		fields: [],
	},
	{
		resource: 'manpowerMembership',
		operation: 'update',
		section: 'Update BPJS Manpower Membership',
		name: 'Update',
		action: 'Update a manpower membership',
		description: "Set an employee's BPJS Ketenagakerjaan membership",
		method: 'PUT',
		path: '/core/v1/employees/{employeeId}/bpjs-manpower-memberships',
		fields: manpowerUpdateFields,
		rules: prepareManpowerUpdate,
	},
];

export function findOperation(
	resource: string,
	operation: string,
): MembershipOperation | undefined {
	return OPERATIONS.find((o) => o.resource === resource && o.operation === operation);
}
