import {
	brivaNo,
	customerGroupRef,
	customerRef,
	feeTypeRef,
	invoiceChargeFields,
	invoiceRef,
} from './fields';
import type { EndpointDescriptor } from './types';

export const invoiceEndpoints: EndpointDescriptor[] = [
	{
		resource: 'invoice',
		operation: 'create',
		section: 4,
		name: 'Create',
		action: 'Create an invoice',
		description: 'Bill a customer on their BRIVA number',
		method: 'POST',
		path: '/invoice',
		fields: [
			invoiceRef(true),
			customerRef(),
			feeTypeRef(),
			...invoiceChargeFields(),
			// Sent by section 4's sample though absent from its table: optional
			// (docs/spec-readings.md#4-invoice-add).
			{
				...customerGroupRef({ required: false }),
				description:
					'Customer group of the BRIVA number to bill, when the customer is in several groups',
			},
		],
		write: true,
		default: true,
		onRetry: { kind: 'readBack', operation: 'get', keys: ['referenceNumInvoice'] },
	},
	{
		resource: 'invoice',
		operation: 'get',
		section: 11,
		name: 'Get',
		action: 'Get an invoice',
		description: 'Get an invoice by reference number, with its paid status',
		method: 'POST',
		path: '/invoice/getRefNum',
		fields: [invoiceRef()],
	},
	{
		resource: 'invoice',
		operation: 'update',
		section: 16,
		name: 'Update',
		action: 'Update an invoice',
		description: 'Replace an invoice’s amount, due date, fees and taxes',
		method: 'POST',
		path: '/invoice/update',
		// Section 16's sample sends `note`; its table, Invoice Add and every response use `remarks`
		// (docs/spec-readings.md#16-invoice-update).
		fields: [invoiceRef(), feeTypeRef(), ...invoiceChargeFields()],
		write: true,
		idempotent: true,
	},
	{
		resource: 'invoice',
		operation: 'delete',
		section: 20,
		name: 'Delete',
		action: 'Delete an invoice',
		description: 'Delete an unpaid invoice',
		method: 'POST',
		path: '/invoice/delete',
		fields: [invoiceRef()],
		write: true,
		onRetry: { kind: 'gone' },
		deletes: true,
	},
	{
		resource: 'invoice',
		operation: 'getByCustomer',
		section: 21,
		name: 'Get by Customer',
		action: 'Get invoices of a customer',
		description: 'Get a customer’s BRIVA numbers with their invoice totals and active invoices',
		method: 'POST',
		path: '/invoice/custRef',
		fields: [
			customerRef(),
			{
				...customerGroupRef({ required: false, picker: false }),
				description: 'Only this customer group',
			},
		],
	},
	{
		resource: 'invoice',
		operation: 'sendNotification',
		section: 22,
		name: 'Send Notification',
		action: 'Send invoice notification',
		description:
			'Notify the customer of a BRIVA number of their active invoices (by SMS or WhatsApp)',
		method: 'POST',
		path: '/invoice/notification',
		// The sample curl shows no body, but the request table lists brivaNo: send it as JSON.
		fields: [brivaNo()],
		write: true,
	},
];
