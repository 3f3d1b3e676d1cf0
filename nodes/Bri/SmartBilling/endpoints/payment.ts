import { brivaNo, invoiceRef } from './fields';
import type { EndpointDescriptor } from './types';

export const paymentEndpoints: EndpointDescriptor[] = [
	{
		resource: 'payment',
		operation: 'getByInvoice',
		section: 12,
		name: 'Get by Invoice',
		action: 'Get payments of an invoice',
		description: 'Get the payments made on an invoice',
		method: 'POST',
		path: '/payment/getRefNum',
		fields: [invoiceRef()],
		list: true,
	},
	{
		resource: 'payment',
		operation: 'getByBriva',
		section: 23,
		name: 'Get by BRIVA Number',
		action: 'Get payments of a BRIVA number',
		description: 'Get the payments into a BRIVA number between two dates',
		method: 'POST',
		path: '/payment/briva',
		fields: [
			brivaNo(),
			{
				name: 'startDate',
				displayName: 'Start Date',
				kind: 'date',
				required: true,
				placeholder: 'e.g. 2026-11-01',
				description: 'First day, yyyy-MM-dd',
			},
			{
				name: 'endDate',
				displayName: 'End Date',
				kind: 'date',
				required: true,
				placeholder: 'e.g. 2026-11-30',
				description: 'Last day, yyyy-MM-dd',
			},
		],
		// Answers `totalCount`, though the table says `count`
		// (docs/spec-readings.md#23-payment-get-by-briva).
		list: true,
		default: true,
	},
];
