import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeId, type PreparedUpdate } from '../validation';
import { employeeLocator } from './common.descriptions';
import type { BpjsOperationModule, BpjsResource } from './node.type';

// Both resources are the same get/update pair on an employee; only these names differ.
const MEMBERSHIPS: Record<BpjsResource, { programme: string; noun: string; pathSegment: string }> =
	{
		healthcareMembership: {
			programme: 'BPJS Kesehatan',
			noun: 'healthcare membership',
			pathSegment: 'bpjs-healthcare-memberships',
		},
		manpowerMembership: {
			programme: 'BPJS Ketenagakerjaan',
			noun: 'manpower membership',
			pathSegment: 'bpjs-manpower-memberships',
		},
	};

function membershipPath(resource: BpjsResource, id: string): string {
	return `/core/v1/employees/${encodeURIComponent(id)}/${MEMBERSHIPS[resource].pathSegment}`;
}

function readEmployeeId(context: IExecuteFunctions, itemIndex: number): string {
	return employeeId(context.getNodeParameter('employeeId', itemIndex, '', { extractValue: true }));
}

/** The resource's Operation parameter followed by its operations' fields. */
export function resourceDescription(
	resource: BpjsResource,
	operations: { get: BpjsOperationModule; update: BpjsOperationModule },
): INodeProperties[] {
	const { programme, noun } = MEMBERSHIPS[resource];
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: [
				{
					name: 'Get',
					value: 'get',
					description: `Get an employee's ${programme} membership`,
					action: `Get a ${noun}`,
				},
				{
					name: 'Update',
					value: 'update',
					description: `Set an employee's ${programme} membership`,
					action: `Update a ${noun}`,
				},
			],
			default: 'get',
		},
		...operations.get.description,
		...operations.update.description,
	];
}

/** GET the employee's membership of this resource. */
export function getOperation(resource: BpjsResource): BpjsOperationModule {
	return {
		description: updateDisplayOptions({ show: { resource: [resource], operation: ['get'] } }, [
			employeeLocator,
		]),
		prepare(this: IExecuteFunctions, itemIndex: number) {
			return {
				method: 'GET',
				path: membershipPath(resource, readEmployeeId(this, itemIndex)),
				warnings: [],
			};
		},
	};
}

/**
 * PUT the employee's membership of this resource. The body is the Additional Fields plus every
 * other top-level field of `properties`, read in their order (resource locators by their value),
 * and checked by `prepareBody`.
 */
export function updateOperation(
	resource: BpjsResource,
	properties: INodeProperties[],
	prepareBody: (input: Record<string, unknown>) => PreparedUpdate,
): BpjsOperationModule {
	const fields = properties.filter(
		(property) => property.name !== 'employeeId' && property.name !== 'additionalFields',
	);
	return {
		description: updateDisplayOptions(
			{ show: { resource: [resource], operation: ['update'] } },
			properties,
		),
		prepare(this: IExecuteFunctions, itemIndex: number) {
			const id = readEmployeeId(this, itemIndex);
			const input: IDataObject = {
				...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			};
			for (const { name, type } of fields) {
				input[name] =
					type === 'resourceLocator'
						? this.getNodeParameter(name, itemIndex, '', { extractValue: true })
						: this.getNodeParameter(name, itemIndex, '');
			}
			const { body, warnings } = prepareBody(input);
			return {
				method: 'PUT',
				path: membershipPath(resource, id),
				body: body as IDataObject,
				warnings,
			};
		},
	};
}
