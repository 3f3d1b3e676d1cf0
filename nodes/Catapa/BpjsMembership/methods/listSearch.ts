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

/** A list-search method for one CATAPA list, as n8n calls it (`this` is the load-options context). */
function searchMethod(list: CatapaList) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		return await searchList(this, list, filter, paginationToken);
	};
}

export const searchEmployees = searchMethod('employees');
export const searchHealthcareProviders = searchMethod('healthcareProviders');
export const searchHealthcareTemplates = searchMethod('healthcareTemplates');
export const searchManpowerProviders = searchMethod('manpowerProviders');
export const searchManpowerTemplates = searchMethod('manpowerTemplates');
