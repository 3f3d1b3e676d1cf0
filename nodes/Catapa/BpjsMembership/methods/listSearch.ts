import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	CATAPA_LISTS,
	type CatapaList,
	employeeLabel,
	listQuery,
	listResults,
	referenceLabel,
} from '../listing';
import { catapaApiRequest } from '../transport';

async function searchList(
	context: ILoadOptionsFunctions,
	list: CatapaList,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await catapaApiRequest.call(context, 'GET', CATAPA_LISTS[list], {
		qs: listQuery(filter, paginationToken),
	});
	return listResults(page, list === 'employees' ? employeeLabel : referenceLabel);
}

export async function searchEmployees(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList(this, 'employees', filter, paginationToken);
}

export async function searchHealthcareProviders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList(this, 'healthcareProviders', filter, paginationToken);
}

export async function searchHealthcareTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList(this, 'healthcareTemplates', filter, paginationToken);
}

export async function searchManpowerProviders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList(this, 'manpowerProviders', filter, paginationToken);
}

export async function searchManpowerTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList(this, 'manpowerTemplates', filter, paginationToken);
}
