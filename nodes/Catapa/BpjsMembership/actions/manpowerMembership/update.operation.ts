import type { INodeProperties } from 'n8n-workflow';

import { prepareManpowerUpdate } from '../../validation';
import {
	effectiveDateField,
	employeeLocator,
	idLocator,
	startDateField,
} from '../common.descriptions';
import { updateOperation } from '../membership';

// Field names follow the spec's body table for "Update BPJS Manpower Membership".
const properties: INodeProperties[] = [
	employeeLocator,
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
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			effectiveDateField,
			{
				// Optional in the spec's table and in CATAPA's SDK (NOTES.md).
				displayName: 'Membership Number',
				name: 'membershipNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12345678901',
				description:
					'BPJS Ketenagakerjaan KPJ number (usually 11 digits; other lengths give a warning, not an error)',
			},
		],
	},
];

// PUT /core/v1/employees/{employeeId}/bpjs-manpower-memberships (spec, "Update BPJS Manpower Membership").
export const { description, prepare } = updateOperation(
	'manpowerMembership',
	properties,
	prepareManpowerUpdate,
);
