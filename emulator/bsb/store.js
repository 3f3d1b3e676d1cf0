// @ts-check
'use strict';
// In-memory BSB data and the response views built from it. All values are strings, as in the
// spec's samples. Maps are keyed by reference number (payments by transactionID).
const { jakarta, daysBetween } = require('./util');
const { splitList } = require('./validation');

// BRIVA numbers: 15 digits, BSB's biller prefix of the samples (10610718) + a 7-digit sequence
// starting at 5000001, like the samples' 106107185000044.
const BRIVA_PREFIX = '10610718';
const BRIVA_FIRST = 5000001;

function createState() {
	return {
		/** @type {Map<string, { referenceNumCustomergroup: string, groupName: string, createDate: string }>} */
		customerGroups: new Map(),
		/** @type {Map<string, Record<string, any>>} customer records; `detail` = [{ referenceNumCustomergroup, brivaNo }] */
		customers: new Map(),
		/** @type {Map<string, { referenceNumFeetype: string, feeType: string, note: string }>} */
		feeTypes: new Map(),
		/** @type {Map<string, Record<string, any>>} invoice records, with brivaNo, paidAmount, paidAt */
		invoices: new Map(),
		/** @type {Map<string, Record<string, any>>} payments by transactionID */
		payments: new Map(),
		/** @type {Map<string, { referenceNumCustomer: string, referenceNumCustomergroup: string }>} BRIVA number → owner */
		brivas: new Map(),
		/** @type {Array<Record<string, string>>} invoice notifications sent (section 22) */
		notifications: [],
		nextBriva: BRIVA_FIRST,
	};
}
/** @typedef {ReturnType<typeof createState>} State */

/** Empties the state in place, so references held by tests stay valid. */
function clearState(/** @type {State} */ state) {
	state.customerGroups.clear();
	state.customers.clear();
	state.feeTypes.clear();
	state.invoices.clear();
	state.payments.clear();
	state.brivas.clear();
	state.notifications.length = 0;
	state.nextBriva = BRIVA_FIRST;
}

/** A new BRIVA number for a customer in a group. */
function allocateBriva(
	/** @type {State} */ state,
	/** @type {string} */ customerRef,
	/** @type {string} */ groupRef,
) {
	const brivaNo = BRIVA_PREFIX + String(state.nextBriva++).padStart(7, '0');
	state.brivas.set(brivaNo, {
		referenceNumCustomer: customerRef,
		referenceNumCustomergroup: groupRef,
	});
	return brivaNo;
}

const groupName = (/** @type {State} */ state, /** @type {string} */ ref) =>
	state.customerGroups.get(ref)?.groupName ?? '';

const groupView = (/** @type {Record<string, any>} */ g) => ({
	referenceNumCustomergroup: g.referenceNumCustomergroup,
	groupName: g.groupName,
});
const feeTypeView = (/** @type {Record<string, any>} */ f) => ({
	referenceNumFeetype: f.referenceNumFeetype,
	feeType: f.feeType,
	note: f.note,
});

/** Customer as in the samples of sections 1, 5 and 6. */
function customerView(/** @type {State} */ state, /** @type {Record<string, any>} */ c) {
	return {
		referenceNumCustomer: c.referenceNumCustomer,
		name: c.name,
		phone: c.phone,
		pic: c.pic,
		email: c.email,
		address: c.address,
		registrationNo: c.registrationNo,
		registrationDate: c.registrationDate,
		contractExpiredDate: c.contractExpiredDate,
		username: c.email,
		customerStatusNotif: c.customerStatusNotif,
		notifDescription: '',
		detail: c.detail.map((/** @type {Record<string, string>} */ d) => ({
			referenceNumCustomergroup: d.referenceNumCustomergroup,
			brivaNo: d.brivaNo,
			groupName: groupName(state, d.referenceNumCustomergroup),
		})),
		labelOwner: [...c.labelOwner],
		labelPartner: [...c.labelPartner],
		emailNotif: c.emailNotif,
	};
}

const sum = (/** @type {string} */ list) =>
	splitList(list).reduce((a, x) => a + (Number(x) || 0), 0);

/**
 * Money of an invoice, as BSB computes it (fitted to the samples of sections 4 and 11):
 * - additionalFeeTotal = sum of additionalFeeAmount entries;
 * - taxTotal = sum of taxAmount entries whose taxInclude is not "1" (section 11: "40800;40800"
 *   with taxInclude "0;1" gives 40800; section 4: 5000 with taxInclude "1" gives 0);
 * - fineTotal = fineAmount × (floor(daysOverdue / finePeriod) + 1) once expDate has passed
 *   (section 4: 1 day late, 1000 → 2000; section 11: 1098 days late, 408 → 448392);
 * - invoiceAmount = amount less discount % + the three totals; dueAmount = invoiceAmount − paid.
 * Fines stop growing when the invoice is paid.
 * @param {Record<string, any>} inv
 * @param {Date} [now]
 */
function invoiceMoney(inv, now = new Date()) {
	const amount = Number(inv.amount) || 0;
	const discount = Number(inv.discount) || 0;
	const additionalFeeTotal = sum(inv.additionalFeeAmount);
	const taxes = splitList(inv.taxAmount);
	const includes = splitList(inv.taxInclude);
	const taxTotal = taxes.reduce((a, x, i) => a + (includes[i] === '1' ? 0 : Number(x) || 0), 0);
	const fineAmount = Number(inv.fineAmount) || 0;
	const period = Math.max(1, Number(inv.finePeriod) || 1);
	const asOf = jakarta(inv.paidAt ? new Date(inv.paidAt) : now).date;
	const overdue = inv.expDate ? daysBetween(inv.expDate, asOf) : 0;
	const fineTotal =
		fineAmount > 0 && overdue > 0 ? fineAmount * (Math.floor(overdue / period) + 1) : 0;
	const net = amount - Math.round((amount * discount) / 100);
	const invoiceAmount = net + additionalFeeTotal + taxTotal + fineTotal;
	const paidAmount = Number(inv.paidAmount) || 0;
	return {
		additionalFeeTotal,
		taxTotal,
		fineTotal,
		invoiceAmount,
		paidAmount,
		dueAmount: Math.max(0, invoiceAmount - paidAmount),
	};
}

/**
 * Invoice as in the samples of sections 4 (create), 16 (update) and 11 (get: `withStatus`).
 * @param {State} state
 * @param {Record<string, any>} inv
 * @param {{ withStatus?: boolean, withCustomer?: boolean }} [opts]
 */
function invoiceView(state, inv, opts = {}) {
	const m = invoiceMoney(inv);
	/** @type {Record<string, any>} */
	const v = { referenceNumInvoice: inv.referenceNumInvoice };
	if (opts.withCustomer !== false) {
		v.referenceNumCustomer = inv.referenceNumCustomer;
		if (opts.withStatus) v.customerName = state.customers.get(inv.referenceNumCustomer)?.name ?? '';
	}
	v.referenceNumFeetype = inv.referenceNumFeetype;
	if (opts.withCustomer !== false) v.referenceNumCustomergroup = inv.referenceNumCustomergroup;
	Object.assign(v, {
		feetype: state.feeTypes.get(inv.referenceNumFeetype)?.feeType ?? '',
		additionalFeeTotal: String(m.additionalFeeTotal),
		taxTotal: String(m.taxTotal),
		amount: inv.amount,
		discount: inv.discount,
		remarks: inv.remarks,
		expDate: inv.expDate,
		additionalFeeType: inv.additionalFeeType,
		additionalFeeAmount: inv.additionalFeeAmount,
		additionalFeeOption: inv.additionalFeeOption,
		taxType: inv.taxType,
		taxAmount: inv.taxAmount,
		taxOption: inv.taxOption,
		taxInclude: inv.taxInclude,
		fineTotal: String(m.fineTotal),
		fineAmount: inv.fineAmount,
		finePeriod: inv.finePeriod,
		fineOption: inv.fineOption,
		notifOption: inv.notifOption,
		labelOwner: inv.labelOwner,
	});
	if (opts.withStatus) {
		v.paidstatus = m.dueAmount === 0 && m.paidAmount > 0 ? '1' : '0';
		v.createDate = inv.createDate;
		// Addition to section 11's sample: the BRIVA number the invoice is payable on.
		v.brivaNo = inv.brivaNo;
	}
	return v;
}

/** The invoices payable on a BRIVA number, in creation order. */
function invoicesOfBriva(/** @type {State} */ state, /** @type {string} */ brivaNo) {
	return [...state.invoices.values()].filter((i) => i.brivaNo === brivaNo);
}

/** Totals over a set of invoices, as strings (sections 21 and 22). */
function totals(/** @type {Record<string, any>[]} */ invoices) {
	let invoiceAmount = 0;
	let due = 0;
	let paid = 0;
	for (const inv of invoices) {
		const m = invoiceMoney(inv);
		invoiceAmount += m.invoiceAmount;
		due += m.dueAmount;
		paid += m.paidAmount;
	}
	return {
		totalInvoiceAmount: String(invoiceAmount),
		totalDueAmount: String(due),
		totalPaidAmount: String(paid),
	};
}

/** Plain JSON copy of the state (Maps become objects), for GET /_emulator/state. */
function stateToJson(/** @type {State} */ state) {
	/** @type {Record<string, any>} */
	const out = {};
	for (const [k, v] of Object.entries(state)) out[k] = v instanceof Map ? Object.fromEntries(v) : v;
	return out;
}

module.exports = {
	createState,
	clearState,
	allocateBriva,
	groupView,
	feeTypeView,
	customerView,
	invoiceMoney,
	invoiceView,
	invoicesOfBriva,
	totals,
	stateToJson,
	BRIVA_PREFIX,
};
