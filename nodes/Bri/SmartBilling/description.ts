// Builds the node's parameters from the endpoint descriptors: resource and operation pickers,
// required fields at the top level, optional ones in "Additional Fields".
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { requestsAtOnceOption, runOptionsCollection } from '../../shared/runtime';
import { ENDPOINTS, RESOURCES } from './endpoints';
import { CHARGE_OPTIONS } from './endpoints/fields';
import type { EndpointDescriptor, FieldSpec } from './endpoints';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

const PICKER_METHODS = {
	customer: 'searchCustomers',
	customerGroup: 'searchCustomerGroups',
	feeType: 'searchFeeTypes',
} as const;

const PICKER_PLACEHOLDERS = {
	customer: 'e.g. CUST001',
	customerGroup: 'e.g. TOWERA',
	feeType: 'e.g. SEWA01',
} as const;

function pickerProperty(field: FieldSpec): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: field.required,
		description: field.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: {
					searchListMethod: PICKER_METHODS[field.picker!],
					searchable: true,
					searchFilterRequired: false,
				},
			},
			{
				// Not `id`: n8n shows a mode called `id` as "By ID" whatever its displayName. Saved
				// workflows with mode `id` still run: n8n reads the value of a mode it does not know.
				displayName: 'By Reference Number',
				name: 'reference',
				type: 'string',
				placeholder: PICKER_PLACEHOLDERS[field.picker!],
			},
		],
	};
}

function chargesProperty(field: FieldSpec): INodeProperties {
	const spec = field.charges!;
	const values: INodeProperties[] = [
		{
			displayName: 'Name',
			name: 'type',
			type: 'string',
			default: '',
			required: true,
			description: 'E.g. Materai, Admin, PPh, PPN (at most 20 characters).',
		},
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'number',
			default: 0,
			required: true,
			typeOptions: { minValue: 0, numberPrecision: 0 },
			description: 'Whole rupiah',
		},
		{
			displayName: 'Charged As',
			name: 'option',
			type: 'options',
			options: CHARGE_OPTIONS,
			default: '0',
		},
	];
	if (spec.withInclude) {
		values.push({
			displayName: 'Included in Amount',
			name: 'include',
			type: 'options',
			options: [
				{ name: 'Exclude', value: '0', description: 'Added on top of the invoice amount' },
				{ name: 'Include', value: '1', description: 'Already part of the invoice amount' },
			],
			default: '0',
		});
	}
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'fixedCollection',
		placeholder: `Add ${spec.rowName === 'fee' ? 'Fee' : 'Tax'}`,
		typeOptions: {
			multipleValues: true,
			multipleValueButtonText: `Add ${spec.rowName === 'fee' ? 'Fee' : 'Tax'}`,
		},
		default: {},
		description: field.description,
		options: [{ displayName: spec.rowName === 'fee' ? 'Fee' : 'Tax', name: spec.rowName, values }],
	};
}

/** One field as an n8n parameter (without displayOptions). */
export function fieldProperty(field: FieldSpec): INodeProperties {
	if (field.picker) return pickerProperty(field);
	if (field.kind === 'charges') return chargesProperty(field);
	const base = {
		displayName: field.displayName,
		name: field.name,
		description: field.description,
		required: field.required,
		placeholder: field.placeholder,
	};
	switch (field.kind) {
		case 'option':
			return {
				...base,
				type: 'options',
				options: [...field.options!].sort(byName),
				default: field.default ?? field.options![0].value,
			};
		case 'stringList':
			return {
				...base,
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Label' },
				default: [],
			};
		case 'percent':
		case 'integer':
			return {
				...base,
				type: 'number',
				typeOptions: { minValue: field.min, maxValue: field.max, numberPrecision: 0 },
				default: field.min ?? 0,
			};
		default:
			return { ...base, type: 'string', default: '' };
	}
}

function show(endpoint: EndpointDescriptor) {
	return { show: { resource: [endpoint.resource], operation: [endpoint.operation] } };
}

function endpointProperties(endpoint: EndpointDescriptor): INodeProperties[] {
	const properties: INodeProperties[] = endpoint.fields
		.filter((field) => field.required)
		.map((field) => ({ ...fieldProperty(field), displayOptions: show(endpoint) }));
	const optional = endpoint.fields.filter((field) => !field.required);
	if (optional.length > 0) {
		properties.push({
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: show(endpoint),
			options: optional
				.map((field) => ({ ...fieldProperty(field), required: undefined }))
				.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		});
	}
	if (endpoint.list) {
		properties.push(
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				description: 'Whether to return all results or only up to a given limit',
				displayOptions: show(endpoint),
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
				displayOptions: { show: { ...show(endpoint).show, returnAll: [false] } },
			},
		);
	}
	return properties;
}

function operationProperty(resource: string): INodeProperties {
	const endpoints = ENDPOINTS.filter((e) => e.resource === resource);
	const options: INodePropertyOptions[] = endpoints
		.map((e) => ({
			name: e.name,
			value: e.operation,
			action: e.action,
			description: e.description,
		}))
		.sort(byName);
	// Each resource opens on the operation its descriptors mark as `default`.
	const defaultOperation = endpoints.find((e) => e.default)?.operation ?? '';
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultOperation,
	};
}

export const MAX_REQUESTS_AT_ONCE = 50;

const runOptions: INodeProperties = runOptionsCollection([
	requestsAtOnceOption(
		MAX_REQUESTS_AT_ONCE,
		'How many items are sent to BRI at the same time. Output order always equals input order. Raise it (e.g. 10) for runs of thousands of invoices.',
	),
	{
		displayName: 'Retries',
		name: 'retries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
		default: 2,
		description:
			'How often a request is retried, with a growing pause, when BRI gives no clear answer (network error, HTTP 5xx). Retried creates never create twice: the reference number is checked.',
	},
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000, numberPrecision: 0 },
		default: 30000,
		description: 'How long to wait for BRI’s answer to one request, in milliseconds',
	},
]);

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [...RESOURCES].sort(byName),
		default: 'invoice',
	},
	...RESOURCES.map((r) => operationProperty(r.value)),
	...ENDPOINTS.flatMap(endpointProperties),
	runOptions,
];
