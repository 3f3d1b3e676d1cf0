// Searchable pickers for customers, customer groups and fee types, filled from BSB's Get All
// endpoints (sections 5, 7 and 9). Each result's `name` is what n8n keeps as the value's
// `cachedResultName`, shown when the node is reopened. BSB has no server-side search, so the filter is applied here.
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { findEndpoint } from '../endpoints';
import { BsbTransport } from '../transport';

async function search(
	ctx: ILoadOptionsFunctions,
	resource: 'customer' | 'customerGroup' | 'feeType',
	label: (record: IDataObject) => { name: string; value: string },
	filter?: string,
): Promise<INodeListSearchResult> {
	const transport = new BsbTransport(ctx);
	const endpoint = findEndpoint(resource, 'getAll')!;
	const envelope = await transport.call(endpoint, '', { retries: 1 });
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (Array.isArray(envelope.data) ? (envelope.data as IDataObject[]) : [])
		.map(label)
		.filter((entry) => entry.value !== '')
		.filter(
			(entry) => needle === '' || `${entry.name} ${entry.value}`.toLowerCase().includes(needle),
		)
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/** A list-search method for one resource, as n8n calls it (`this` is the load-options context). */
function searchMethod(
	resource: 'customer' | 'customerGroup' | 'feeType',
	label: (record: IDataObject) => { name: string; value: string },
) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return await search(this, resource, label, filter);
	};
}

export const searchCustomerGroups = searchMethod('customerGroup', (r) => {
	const value = String(r.referenceNumCustomergroup ?? r.referenceNumber ?? '');
	return { name: `${String(r.groupName ?? value)} (${value})`, value };
});

export const searchFeeTypes = searchMethod('feeType', (r) => {
	// Section 9's table says `referenceNumber`/`feetype`; its sample `referenceNumFeetype`/`feeType`.
	const value = String(r.referenceNumFeetype ?? r.referenceNumber ?? '');
	return { name: `${String(r.feeType ?? r.feetype ?? value)} (${value})`, value };
});

export const searchCustomers = searchMethod('customer', (r) => {
	const value = String(r.referenceNumCustomer ?? '');
	return { name: `${String(r.name ?? value)} (${value})`, value };
});
