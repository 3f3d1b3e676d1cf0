import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { briApiCredentialTest } from '../shared/credentialTest';
import { properties } from './description';
import { executeEndpoint } from './executor';
import { searchCustomerGroups, searchCustomers, searchFeeTypes } from './methods/listSearch';

export class BriSmartBilling implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BRI Smart Billing',
		name: 'briSmartBilling',
		icon: { light: 'file:bri.svg', dark: 'file:bri.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Bill customers on BRIVA virtual accounts with BRI Smart Billing (BSB)',
		defaults: { name: 'BRI Smart Billing' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'briApi', required: true, testedBy: 'briApiConnection' }],
		properties,
	};

	methods = {
		listSearch: { searchCustomers, searchCustomerGroups, searchFeeTypes },
		credentialTest: briApiCredentialTest,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeEndpoint.call(this);
	}
}
