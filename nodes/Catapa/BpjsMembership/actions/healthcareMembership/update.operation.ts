import type { INodeProperties } from 'n8n-workflow';

import { prepareHealthcareUpdate } from '../../validation';
import {
	effectiveDateField,
	employeeLocator,
	idLocator,
	startDateField,
} from '../common.descriptions';
import { updateOperation } from '../membership';

// Field names follow the spec's body table for "Update BPJS Healthcare Membership".
const properties: INodeProperties[] = [
	employeeLocator,
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
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
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
		],
	},
];

// PUT /core/v1/employees/{employeeId}/bpjs-healthcare-memberships (spec, "Update BPJS Healthcare Membership").
export const { description, prepare } = updateOperation(
	'healthcareMembership',
	properties,
	prepareHealthcareUpdate,
);
