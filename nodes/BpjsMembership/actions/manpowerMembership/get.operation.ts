import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeId } from '../../../shared/catapaValidation';
import { employeeLocator } from '../common.descriptions';
import type { PreparedCall } from '../node.type';

const properties: INodeProperties[] = [employeeLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['manpowerMembership'], operation: ['get'] } },
	properties,
);

// GET /core/v1/employees/{employeeId}/bpjs-manpower-memberships (spec, "Get BPJS Manpower Membership").
export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const id = employeeId(this.getNodeParameter('employeeId', itemIndex, '', { extractValue: true }));
	return { method: 'GET', path: `/core/v1/employees/${encodeURIComponent(id)}/bpjs-manpower-memberships`, warnings: [] };
}
