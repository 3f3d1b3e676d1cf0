import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as update from './update.operation';

export { get, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['manpowerMembership'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get an employee\'s BPJS Ketenagakerjaan membership',
				action: 'Get a manpower membership',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Set an employee\'s BPJS Ketenagakerjaan membership',
				action: 'Update a manpower membership',
			},
		],
		default: 'get',
	},
	...get.description,
	...update.description,
];
