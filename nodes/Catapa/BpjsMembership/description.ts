// Builds the node's parameters from the operations table: the resource picker, then per
// resource its Operation picker and each operation's Employee and fields.
import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { OPERATIONS, RESOURCES } from './operations';
import type { BpjsResource } from './operations';
import { employeeLocator } from './operations/fields';

function resourceProperties(resource: BpjsResource): INodeProperties[] {
	const operations = OPERATIONS.filter((o) => o.resource === resource);
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: operations.map((o) => ({
				name: o.name,
				value: o.operation,
				description: o.description,
				action: o.action,
			})),
			default: 'get',
		},
		...operations.flatMap((o) =>
			updateDisplayOptions({ show: { resource: [resource], operation: [o.operation] } }, [
				employeeLocator,
				...o.fields,
			]),
		),
	];
}

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES,
		default: 'healthcareMembership',
	},
	...RESOURCES.flatMap((r) => resourceProperties(r.value)),
];
