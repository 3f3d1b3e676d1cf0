import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './description';
import { executeOperation } from './executor';
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
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this);
	}
}
