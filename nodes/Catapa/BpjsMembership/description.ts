// Builds the node's parameters from the operations table: the resource picker, then per
// resource its Operation picker and each operation's Employee and fields.
import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requestsAtOnceOption, runOptionsCollection } from '../../shared/runtime';
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

// CATAPA allows 400 requests a minute per client and answers HTTP 429 above it; the transport
// waits as CATAPA asks (Retry-After) and tries again (docs/spec-readings.md#catapa). More than a
// few at once only meets that limit sooner.
export const MAX_REQUESTS_AT_ONCE = 10;

const runOptions = runOptionsCollection([
	requestsAtOnceOption(
		MAX_REQUESTS_AT_ONCE,
		'How many items are sent to CATAPA at the same time. Output order always equals input order. CATAPA allows 400 requests a minute; when it answers "too many requests" (HTTP 429) the node waits as CATAPA asks and tries again.',
	),
]);

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
	runOptions,
];
