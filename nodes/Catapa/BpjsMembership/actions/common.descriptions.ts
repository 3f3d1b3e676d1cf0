import type { INodeProperties } from 'n8n-workflow';

/** A CATAPA ID picked from a searchable list, or given by ID (e.g. from a spreadsheet column). */
export function idLocator(options: {
	displayName: string;
	name: string;
	searchListMethod: string;
	description: string;
	placeholder?: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${options.displayName.replace(/^BPJS \w+ /, '').toLowerCase()}...`,
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: options.placeholder ?? 'e.g. 0ab1c2d3-e4f5-6789-0123-456789abcdef',
			},
		],
	};
}

export const employeeLocator: INodeProperties = idLocator({
	displayName: 'Employee',
	name: 'employeeId',
	searchListMethod: 'searchEmployees',
	description: 'The CATAPA employee whose membership to read or update; search by name',
});

export const startDateField: INodeProperties = {
	displayName: 'Start Date',
	name: 'startDate',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 2024-01-31',
	description: 'First day of the membership, as yyyy-MM-dd',
};

export const effectiveDateField: INodeProperties = {
	displayName: 'Effective Date',
	name: 'effectiveDate',
	type: 'string',
	default: '',
	placeholder: 'e.g. 2024-02-01',
	description:
		'Date the change takes effect, as yyyy-MM-dd; on or after the start date. CATAPA uses the start date when empty.',
};
