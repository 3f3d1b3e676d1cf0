// The parameters of the membership operations, as n8n shows them. Field names follow the spec's
// body tables (docs/spec-readings.md#catapa).
import type { INodeProperties } from 'n8n-workflow';

/** A CATAPA ID picked from a searchable list, or given by ID (e.g. from a spreadsheet column). */
function idLocator(options: {
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

const startDateField: INodeProperties = {
	displayName: 'Start Date',
	name: 'startDate',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 2024-01-31',
	description: 'First day of the membership, as yyyy-MM-dd',
};

const effectiveDateField: INodeProperties = {
	displayName: 'Effective Date',
	name: 'effectiveDate',
	type: 'string',
	default: '',
	placeholder: 'e.g. 2024-02-01',
	description:
		'Date the change takes effect, as yyyy-MM-dd; on or after the start date. CATAPA uses the start date when empty.',
};

/** The optional fields of an operation, in n8n's Add Field collection. */
function additionalFields(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options,
	};
}

/** Update BPJS Healthcare Membership, after the Employee. */
export const healthcareUpdateFields: INodeProperties[] = [
	idLocator({
		displayName: 'BPJS Healthcare Provider',
		name: 'bpjsHealthcareProviderId',
		searchListMethod: 'searchHealthcareProviders',
		description:
			'The BPJS Kesehatan provider (company registration) the employee is enrolled under',
	}),
	idLocator({
		displayName: 'BPJS Healthcare Template',
		name: 'bpjsHealthcareTemplateId',
		searchListMethod: 'searchHealthcareTemplates',
		description: 'The BPJS Kesehatan contribution template to apply',
	}),
	{
		displayName: 'Membership Number',
		name: 'membershipNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 0001234567890',
		description:
			'BPJS Kesehatan card number (usually 13 digits; other lengths give a warning, not an error)',
	},
	startDateField,
	additionalFields([
		{
			displayName: 'Additional Family Memberships',
			name: 'additionalFamilyMemberships',
			type: 'json',
			default: '[]',
			description:
				"JSON array of the family members' memberships, passed to CATAPA as given (in CATAPA's SDK, not on the API page)",
		},
		{
			displayName: 'Dental Healthcare Facility',
			name: 'dentalHealthcareFacility',
			type: 'string',
			default: '',
			description: 'Dental clinic (faskes gigi) the member is registered with',
		},
		effectiveDateField,
		{
			displayName: 'First Level Healthcare Facility',
			name: 'firstLevelHealthcareFacility',
			type: 'string',
			default: '',
			description: 'First-level facility (faskes tingkat 1, FKTP) the member is registered with',
		},
		{
			displayName: 'Treatment Class ID',
			name: 'bpjsHealthcareTreatmentClassId',
			type: 'string',
			default: '',
			description: 'ID of the BPJS Kesehatan treatment class (kelas rawat) in CATAPA',
		},
	]),
];

/** Update BPJS Manpower Membership, after the Employee. */
export const manpowerUpdateFields: INodeProperties[] = [
	idLocator({
		displayName: 'BPJS Manpower Provider',
		name: 'bpjsManpowerProviderId',
		searchListMethod: 'searchManpowerProviders',
		description:
			'The BPJS Ketenagakerjaan provider (company registration) the employee is enrolled under',
	}),
	idLocator({
		displayName: 'BPJS Manpower Template',
		name: 'bpjsManpowerTemplateId',
		searchListMethod: 'searchManpowerTemplates',
		description: 'The BPJS Ketenagakerjaan programme template (JHT, JKK, JKM, JP) to apply',
	}),
	startDateField,
	additionalFields([
		effectiveDateField,
		{
			// Optional in the spec's table and in CATAPA's SDK (docs/spec-readings.md#catapa).
			displayName: 'Membership Number',
			name: 'membershipNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. 12345678901',
			description:
				'BPJS Ketenagakerjaan KPJ number (usually 11 digits; other lengths give a warning, not an error)',
		},
	]),
];
