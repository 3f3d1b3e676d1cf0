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
		displayOptions: { show: { resource: ['healthcareMembership'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get an employee\'s BPJS Kesehatan membership',
				action: 'Get a healthcare membership',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Set an employee\'s BPJS Kesehatan membership',
				action: 'Update a healthcare membership',
			},
		],
		default: 'get',
	},
	...get.description,
	...update.description,
];
