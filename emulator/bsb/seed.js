// @ts-check
'use strict';
// Demo data, created through the same handlers as the API (so it obeys the same rules).
// On a fresh or reset emulator the BRIVA numbers are 106107185000001..003.
const { ROUTES } = require('./routes');
const { applyPayment } = require('./payments');
const { jakarta } = require('./util');

const GROUPS = [
	{ referenceNumCustomergroup: 'TOWERA', groupName: 'Tower A Residents' },
	{ referenceNumCustomergroup: 'TOWERB', groupName: 'Tower B Residents' },
];
const FEE_TYPES = [
	{
		referenceNumFeetype: 'IPL001',
		feeType: 'Iuran Pengelolaan Lingkungan',
		note: 'Monthly service charge',
	},
	{ referenceNumFeetype: 'AIR001', feeType: 'Tagihan Air', note: 'Water usage' },
	{ referenceNumFeetype: 'SEWA01', feeType: 'Sewa Unit', note: 'Unit rent' },
];
const CUSTOMERS = [
	{
		referenceNumCustomer: 'CUST001',
		referenceNumCustomergroup: 'TOWERA',
		name: 'Budi Santoso',
		phone: '081234567801',
		email: 'budi@example.com',
		customerStatusNotif: 'WA',
		labelOwner: ['A-0101'],
	},
	{
		referenceNumCustomer: 'CUST002',
		referenceNumCustomergroup: 'TOWERA',
		name: 'Siti Rahayu',
		phone: '081234567802',
		email: 'siti@example.com',
		customerStatusNotif: 'SMS',
		labelOwner: ['A-0202'],
	},
	{
		referenceNumCustomer: 'CUST003',
		referenceNumCustomergroup: 'TOWERB',
		name: 'Andi Wijaya',
		phone: '081234567803',
		email: 'andi@example.com',
		customerStatusNotif: 'SMS',
		labelOwner: [],
	},
].map((c) => ({
	pic: c.name,
	address: 'Jl. Jenderal Sudirman No. 1, Jakarta',
	registrationNo: '',
	labelPartner: [],
	...c,
}));

/** Invoices due in 30 days (Jakarta), so they carry no fine yet. */
function invoices(/** @type {string} */ expDate) {
	return [
		{
			referenceNumInvoice: 'INV-2024-0001',
			referenceNumCustomer: 'CUST001',
			referenceNumFeetype: 'IPL001',
			amount: '750000',
			expDate,
			remarks: 'IPL with VAT',
			taxType: 'PPN',
			taxAmount: '82500',
			taxOption: '0',
			taxInclude: '0',
		},
		{
			referenceNumInvoice: 'INV-2024-0002',
			referenceNumCustomer: 'CUST001',
			referenceNumFeetype: 'AIR001',
			amount: '125000',
			expDate,
			additionalFeeType: 'Materai',
			additionalFeeAmount: '10000',
			additionalFeeOption: '0',
		},
		{
			referenceNumInvoice: 'INV-2024-0003',
			referenceNumCustomer: 'CUST002',
			referenceNumFeetype: 'IPL001',
			amount: '750000',
			discount: '10',
			expDate,
		},
		{
			referenceNumInvoice: 'INV-2024-0004',
			referenceNumCustomer: 'CUST003',
			referenceNumFeetype: 'SEWA01',
			amount: '5000000',
			expDate,
			fineAmount: '50000',
			finePeriod: '30',
			fineOption: '0',
		},
		{
			referenceNumInvoice: 'INV-2024-0005',
			referenceNumCustomer: 'CUST002',
			referenceNumFeetype: 'AIR001',
			amount: '98000',
			expDate,
			remarks: 'Paid at seed time',
		},
	];
}
const PAID_TRANSACTION_ID = '0000101240100001';

/**
 * Adds the demo data; records that already exist are left as they are.
 * @param {import('./store').State} state
 * @param {string} companyName
 */
function seed(state, companyName) {
	const now = new Date();
	const expDate = jakarta(new Date(now.getTime() + 30 * 86400000)).date;
	const run = (/** @type {string} */ route, /** @type {Record<string, any>} */ body) => {
		const reply = ROUTES[route].handler({ state, body, now, companyName });
		if (reply.body.responseCode !== '0000' && reply.body.responseCode !== '0005') {
			throw new Error(`seed: ${route} ${JSON.stringify(reply.body)}`);
		}
	};
	for (const g of GROUPS) run('POST /customers-group', g);
	for (const f of FEE_TYPES) run('POST /feetype', f);
	for (const c of CUSTOMERS) run('POST /customers', c);
	for (const i of invoices(expDate)) run('POST /invoice', i);
	const paid = state.invoices.get('INV-2024-0005');
	if (paid && !state.payments.has(PAID_TRANSACTION_ID) && paid.paidAmount === '0') {
		applyPayment(
			state,
			{
				brivaNo: paid.brivaNo,
				invoices: [paid.referenceNumInvoice],
				transactionID: PAID_TRANSACTION_ID,
			},
			now,
		);
	}
	return {
		customerGroups: GROUPS.map((g) => g.referenceNumCustomergroup),
		feeTypes: FEE_TYPES.map((f) => f.referenceNumFeetype),
		customers: CUSTOMERS.map((c) => ({
			referenceNumCustomer: c.referenceNumCustomer,
			brivaNo: state.customers.get(c.referenceNumCustomer)?.detail[0]?.brivaNo,
		})),
		invoices: invoices(expDate).map((i) => i.referenceNumInvoice),
		payments: [PAID_TRANSACTION_ID],
	};
}

module.exports = { seed };
