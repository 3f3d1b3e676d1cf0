// Field rules shared by several endpoints. Names follow the spec's sample payloads: where they
// disagree with the field tables, they are what the server really exchanges (docs/spec-readings.md).
import type { FieldOption, FieldSpec } from './types';

// Validation messages in sections 1–3 say references "may only contain letters and numbers".
const LETTERS_AND_NUMBERS = { regex: /^[A-Za-z0-9]+$/, allowed: 'letters and numbers only' };

export const CHARGE_OPTIONS: FieldOption[] = [
	{ name: 'Flexible', value: '0', description: 'The payer may change it (BSB default)' },
	{
		name: 'Locked, Paid by Biller',
		value: '1',
		description: 'Locked; the biller pays it (dikunci dan dibayarkan biller)',
	},
	{
		name: 'Locked, Deducted From Tenant',
		value: '2',
		description: 'Locked; deducted from the tenant (dikunci dan dipotong tenant)',
	},
];

export const customerRef = (create = false): FieldSpec => ({
	name: 'referenceNumCustomer',
	displayName: 'Customer Reference Number',
	description: 'Your reference number of the customer',
	kind: 'reference',
	required: true,
	// Section 1 table: max 40; the letters-and-numbers rule is checked on create only, so
	// records created elsewhere stay reachable. 5–25 elsewhere only warns
	// (docs/spec-readings.md#1-customers-add).
	max: 40,
	// Picked from BSB's customer list (section 5) wherever an existing customer is meant.
	...(create ? { min: 1, pattern: LETTERS_AND_NUMBERS } : { picker: 'customer' as const }),
	advise: {
		min: 5,
		max: 25,
		why: 'section 1’s error sample and sections 11, 16 and 25 say 5–25 characters; section 1’s table allows 40',
	},
});

export const customerGroupRef = (
	opts: { create?: boolean; required?: boolean; picker?: boolean } = {},
): FieldSpec => ({
	name: 'referenceNumCustomergroup',
	displayName: 'Customer Group',
	description: 'Reference number of the customer group',
	kind: 'reference',
	required: opts.required ?? true,
	// Sections 1, 13: min 5, max 25.
	...(opts.create ? { min: 5, max: 25, pattern: LETTERS_AND_NUMBERS } : { max: 25 }),
	...(opts.picker === false ? {} : { picker: 'customerGroup' as const }),
});

export const feeTypeRef = (opts: { create?: boolean; picker?: boolean } = {}): FieldSpec => ({
	name: 'referenceNumFeetype',
	displayName: 'Fee Type',
	description: 'Reference number of the fee type',
	kind: 'reference',
	required: true,
	// Section 3 request table: min 5, max 10 on create; section 4 allows up to 40 when referencing.
	...(opts.create ? { min: 5, max: 10, pattern: LETTERS_AND_NUMBERS } : { max: 40 }),
	...(opts.picker === false ? {} : { picker: 'feeType' as const }),
});

export const invoiceRef = (create = false): FieldSpec => ({
	name: 'referenceNumInvoice',
	displayName: 'Invoice Reference Number',
	description: create
		? 'Your unique reference number of the invoice (5–50 characters). It is the idempotency key: a retried create never makes a second invoice.'
		: 'Your reference number of the invoice',
	kind: 'reference',
	required: true,
	// Section 4: min 5, max 50.
	...(create ? { min: 5, max: 50 } : { max: 50 }),
});

export const brivaNo = (): FieldSpec => ({
	name: 'brivaNo',
	displayName: 'BRIVA Number',
	description: 'BRI virtual account number of the customer in a group (15–16 digits)',
	kind: 'briva',
	required: true,
	placeholder: 'e.g. 106107185000002',
});

/** Customer fields of Customer Add (1) and Customer Update (13). */
export const customerFields = (create: boolean): FieldSpec[] => [
	customerRef(create),
	customerGroupRef({ create: false }),
	{
		name: 'name',
		displayName: 'Name',
		kind: 'text',
		required: true,
		min: 1,
		max: 60,
		description: 'Customer name',
	},
	{
		name: 'phone',
		displayName: 'Phone',
		kind: 'phone',
		required: true,
		min: 10,
		max: 13,
		placeholder: 'e.g. 081234567890',
		description: 'Customer phone number, 10–13 digits',
	},
	{
		name: 'pic',
		displayName: 'PIC Name',
		kind: 'text',
		required: true,
		min: 1,
		max: 60,
		description: 'Person in charge',
	},
	{
		name: 'email',
		displayName: 'Email',
		kind: 'email',
		required: true,
		placeholder: 'e.g. name@example.com',
	},
	{ name: 'address', displayName: 'Address', kind: 'text', required: true, min: 1, max: 200 },
	{
		// The table says 1: SMS, 2: WA; the samples send and return "SMS" / "WA"
		// (docs/spec-readings.md#1-customers-add).
		name: 'customerStatusNotif',
		displayName: 'Notification Channel',
		kind: 'option',
		required: true,
		default: 'SMS',
		options: [
			{ name: 'SMS', value: 'SMS', description: 'Send invoice notifications by SMS' },
			{ name: 'WhatsApp', value: 'WA', description: 'Send invoice notifications by WhatsApp' },
		],
		description: 'How BSB notifies the customer of invoices',
	},
	// Section 13's sample sends snake_case for these three; every other place uses camelCase
	// (docs/spec-readings.md#13-customers-update).
	{
		name: 'registrationNo',
		displayName: 'Registration Number',
		kind: 'text',
		max: 40,
		// The table's format is "Number"; other characters only warn (docs/spec-readings.md#1-customers-add).
		advise: {
			pattern: { regex: /^\d+$/, allowed: 'digits only' },
			why: 'section 1’s table gives its format as Number',
		},
		description: 'Registration number of the customer',
	},
	{
		name: 'registrationDate',
		displayName: 'Registration Date',
		kind: 'date',
		description: 'When the customer joined (yyyy-MM-dd)',
	},
	{
		name: 'contractExpiredDate',
		displayName: 'Contract Expiry Date',
		kind: 'date',
		description: 'When the customer’s contract ends (yyyy-MM-dd)',
	},
	{
		name: 'labelOwner',
		displayName: 'Owner Labels',
		kind: 'stringList',
		description: 'Labels the customer owns',
	},
	{
		name: 'labelPartner',
		displayName: 'Partner Labels',
		kind: 'stringList',
		description: 'Labels the customer rents to a partner',
	},
	{
		name: 'emailNotif',
		displayName: 'Notification Emails',
		kind: 'emailList',
		description: 'More addresses for invoice notifications, separated by semicolons',
		placeholder: 'e.g. finance@example.com;owner@example.com',
	},
];

/** Invoice amount, fee, tax, fine and notification fields of Invoice Add (4) and Update (16). */
export const invoiceChargeFields = (): FieldSpec[] => [
	{
		name: 'amount',
		displayName: 'Amount',
		kind: 'amount',
		required: true,
		min: 1,
		max: 12,
		description: 'Invoice amount in rupiah, whole number (at most 12 digits)',
	},
	{
		name: 'expDate',
		displayName: 'Due Date',
		kind: 'date',
		required: true,
		placeholder: 'e.g. 2026-12-31',
		description: 'Expiry date of the invoice, yyyy-MM-dd',
	},
	{
		name: 'discount',
		displayName: 'Discount (%)',
		kind: 'percent',
		// Section 25's sample sends "0" (docs/spec-readings.md#4-invoice-add).
		min: 0,
		max: 99,
		description: 'Discount percentage, 0–99',
	},
	{ name: 'remarks', displayName: 'Remarks', kind: 'text', max: 200 },
	{
		name: 'additionalFees',
		displayName: 'Additional Fees',
		kind: 'charges',
		description: 'Up to 3 additional fees (e.g. Materai, Admin)',
		charges: {
			rowName: 'fee',
			wire: {
				type: 'additionalFeeType',
				amount: 'additionalFeeAmount',
				option: 'additionalFeeOption',
			},
			withInclude: false,
		},
	},
	{
		name: 'taxes',
		displayName: 'Taxes',
		kind: 'charges',
		description: 'Up to 3 taxes (e.g. PPh, PPN)',
		charges: {
			rowName: 'tax',
			wire: { type: 'taxType', amount: 'taxAmount', option: 'taxOption', include: 'taxInclude' },
			withInclude: true,
		},
	},
	{
		name: 'fineAmount',
		displayName: 'Fine Amount',
		kind: 'amount',
		max: 12,
		description: 'Fine in rupiah once the fine period has passed',
	},
	{
		name: 'finePeriod',
		displayName: 'Fine Period (Days)',
		kind: 'integer',
		min: 0,
		max: 9999,
		description: 'Days after the due date before the fine starts',
	},
	{
		name: 'fineOption',
		displayName: 'Fine Option',
		kind: 'option',
		options: [
			{ name: 'Flexible', value: '0', description: 'The payer may skip the fine (BSB default)' },
			{
				name: 'Locked, Must Be Paid',
				value: '1',
				description: 'Locked; the customer must pay it (dikunci dan wajib dibayar)',
			},
		],
		default: '0',
	},
	{
		name: 'notifOption',
		displayName: 'Notification Option',
		kind: 'option',
		options: [
			{ name: 'Do Not Send Automatically', value: '0' },
			{
				name: 'Send Automatically',
				value: '1',
				description: 'BSB notifies the customer by their notification channel',
			},
		],
		default: '0',
	},
	{
		name: 'labelOwner',
		displayName: 'Owner Label',
		kind: 'text',
		max: 60,
		description: 'A label registered on the customer (sections 4, 16: a single string here)',
	},
];
