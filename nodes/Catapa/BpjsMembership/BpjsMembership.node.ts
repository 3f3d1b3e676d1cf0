import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as healthcareMembership from './actions/healthcareMembership';
import * as manpowerMembership from './actions/manpowerMembership';
import { router } from './actions/router';
import { listSearch } from './methods';

export class BpjsMembership implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BPJS Membership',
		name: 'bpjsMembership',
		icon: { light: 'file:bpjs.svg', dark: 'file:bpjs.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] + ": " + ($parameter["resource"] === "manpowerMembership" ? "BPJS Ketenagakerjaan" : "BPJS Kesehatan")}}',
		description:
			"Read and update employees' BPJS Kesehatan and BPJS Ketenagakerjaan memberships in CATAPA",
		defaults: { name: 'BPJS Membership' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'catapaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Healthcare Membership (BPJS Kesehatan)', value: 'healthcareMembership' },
					{ name: 'Manpower Membership (BPJS Ketenagakerjaan)', value: 'manpowerMembership' },
				],
				default: 'healthcareMembership',
			},
			...healthcareMembership.description,
			...manpowerMembership.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
