// @ts-check
'use strict';
// The 23 partner→BRI endpoints of the BSB spec (sections 1–23): one router table mapping
// `METHOD path` (below /v1/bsb) to handlers. Handlers are synchronous and answer
// `{ status, body }`; authentication, fault injection and logging happen in index.js.
const { rules: r, validate, semicolonGroup } = require('./validation');
const store = require('./store');
const { jakarta } = require('./util');
const { exponentForm } = require('./readings');

/**
 * @typedef {import('./store').State} State
 * @typedef {{ state: State, body: Record<string, any>, now: Date, companyName: string, readings?: readonly string[] }} Ctx
 * @typedef {{ status: number, body: Record<string, any> }} Reply
 * @typedef {(ctx: Ctx) => Reply} Handler
 */

// ---------------------------------------------------------------- replies (BSB's envelope)

/** @returns {Reply} */
const ok = (/** @type {any} */ data, extra = {}) => ({
	status: 200,
	body: { responseCode: '0000', responseMessage: 'Success', ...extra, data },
});

/** @returns {Reply} */
function fail(
	/** @type {string} */ code,
	/** @type {string} */ message,
	/** @type {string} */ error,
	validationError = {},
) {
	return {
		status: 400,
		body: {
			responseCode: code,
			responseMessage: message,
			errors: { error, issueAt: jakarta().dateTime, validationError },
		},
	};
}
const notFound = (/** @type {string} */ what) =>
	fail('0006', `${what} not found`, 'record not found');
const exists = (/** @type {string} */ what) =>
	fail('0005', 'Data already exist', `${what} already exists`);
const genericError = (/** @type {string} */ why) => fail('0009', 'Generic service error', why);
const wrongFormat = (/** @type {string} */ why, validationError = {}) =>
	fail('0013', 'Wrong format data', why, validationError);

/**
 * Runs the schema first: wrong JSON types answer 0013, failing field rules 0012 listing
 * every failing field; otherwise the handler runs.
 * @param {import('./validation').Schema} schema
 * @param {Handler} handler
 * @returns {Handler}
 */
const validated = (schema, handler) => (ctx) => {
	const { formatErrors, errors } = validate(schema, ctx.body);
	if (Object.keys(formatErrors).length) return wrongFormat('Wrong format data', formatErrors);
	if (Object.keys(errors).length)
		return fail('0012', 'Error Validation', 'Error Validation', errors);
	return handler(ctx);
};

/** A schema that only requires the given (lookup) fields. */
const lookup = (/** @type {string[]} */ ...fields) => ({
	fields: Object.fromEntries(fields.map((f) => [f, { rules: [r.required] }])),
});

/** Copies the listed string fields, '' for absent ones. */
const pick = (/** @type {Record<string, any>} */ body, /** @type {string[]} */ fields) =>
	Object.fromEntries(fields.map((f) => [f, typeof body[f] === 'string' ? body[f] : '']));

// ---------------------------------------------------------------- schemas (spec field tables)

const SCHEMA = {
	customerGroup: {
		fields: {
			// Sections 2/14: min 5, max 25, letters and numbers (error samples).
			referenceNumCustomergroup: { rules: [r.required, r.min(5), r.max(25), r.alnum] },
			// Section 14's error sample: min 3, letters/numbers/dashes/space; max 60 from section 22's table.
			groupName: { rules: [r.required, r.min(3), r.max(60), r.nameChars] },
		},
	},
	feeType: {
		fields: {
			// Section 3's table says min 5 max 10, its response table and section 4 say 40
			// (sample refs like "FTQA001" fit both): the laxer reading, max 40.
			referenceNumFeetype: { rules: [r.required, r.min(5), r.max(40), r.alnum] },
			// Section 3: the sample's `feeType`, not the table's `feetype` (docs/spec-readings.md#3-feetype-add).
			feeType: { rules: [r.required, r.max(40)] },
			note: { rules: [r.max(200)] },
		},
	},
	customer: {
		fields: {
			// Section 1: the sample's `referenceNumCustomer` (table: `referenceNum`), max 40. Its
			// error sample says min 5 but its request sample sends "test": the laxer reading, no minimum.
			referenceNumCustomer: { rules: [r.required, r.max(40), r.alnum] },
			referenceNumCustomergroup: { rules: [r.required] },
			name: { rules: [r.required, r.max(60)] },
			phone: { rules: [r.required, r.numeric, r.min(10), r.max(13)] },
			pic: { rules: [r.required, r.max(60)] },
			email: { rules: [r.required, r.email] },
			address: { rules: [r.required, r.max(200)] },
			registrationNo: { rules: [r.numeric, r.max(40)] },
			registrationDate: { rules: [r.date] },
			contractExpiredDate: { rules: [r.date] },
			// The table marks it M but says "if it is not filled, the default is 1" (SMS): optional.
			// The samples send "SMS"/"WA"; the table's 1/2 are accepted too and stored as SMS/WA.
			customerStatusNotif: { rules: [r.oneOf(['SMS', 'WA', '1', '2'])] },
			labelOwner: { type: /** @type {const} */ ('stringArray') },
			labelPartner: { type: /** @type {const} */ ('stringArray') },
			emailNotif: { rules: [r.emailList] },
		},
	},
	invoice: {
		fields: {
			referenceNumInvoice: { rules: [r.required, r.min(5), r.max(50)] },
			referenceNumCustomer: { rules: [r.required] },
			referenceNumFeetype: { rules: [r.required] },
			// Section 4: absent from the table, sent by the sample; optional (docs/spec-readings.md#4-invoice-add).
			referenceNumCustomergroup: { rules: [] },
			amount: { rules: [r.required, ...r.amount] },
			// Table: 1–99 "if not empty"; section 25's sample carries "0" for no discount, so 0 is accepted.
			discount: { rules: [r.between(0, 99)] },
			expDate: { rules: [r.required, r.date] },
			remarks: { rules: [r.max(200)] },
			fineAmount: { rules: [r.numeric, r.max(12)] },
			finePeriod: { rules: [r.numeric, r.max(4)] },
			fineOption: { rules: [r.oneOf(['0', '1'])] },
			notifOption: { rules: [r.oneOf(['0', '1'])] },
			labelOwner: { rules: [r.max(60)] },
			additionalFeeType: {},
			additionalFeeAmount: {},
			additionalFeeOption: {},
			taxType: {},
			taxAmount: {},
			taxOption: {},
			taxInclude: {},
		},
		checks: [
			// The tables make type, amount and option required together. Laxer reading: type and
			// amount are required together, the option may be left out (BSB's default is 0).
			semicolonGroup(
				['additionalFeeType', 'additionalFeeAmount'],
				{
					additionalFeeType: (e) => e !== '' && e.length <= 20,
					additionalFeeAmount: (e) => /^\d{1,12}$/.test(e),
					additionalFeeOption: (e) => /^[012]$/.test(e),
				},
				{
					additionalFeeType: '1 to 20 characters',
					additionalFeeAmount: 'numeric, at most 12 digits',
					additionalFeeOption: '0, 1 or 2',
				},
			),
			semicolonGroup(
				['taxType', 'taxAmount'],
				{
					taxType: (e) => e !== '' && e.length <= 20,
					taxAmount: (e) => /^\d{1,12}$/.test(e),
					taxOption: (e) => /^[012]$/.test(e),
					taxInclude: (e) => /^[01]$/.test(e),
				},
				{
					taxType: '1 to 20 characters',
					taxAmount: 'numeric, at most 12 digits',
					taxOption: '0, 1 or 2',
					taxInclude: '0 or 1',
				},
			),
		],
	},
	briva: { fields: { brivaNo: { rules: [r.required, r.digitsBetween(15, 16)] } } },
	paymentsByBriva: {
		fields: {
			brivaNo: { rules: [r.required, r.digitsBetween(15, 16)] },
			startDate: { rules: [r.required, r.date] },
			endDate: { rules: [r.required, r.date] },
		},
		checks: [
			/** @type {import('./validation').Check} */ (
				(b, add) => {
					if (
						r.date(b.startDate || '', '') === null &&
						r.date(b.endDate || '', '') === null &&
						b.endDate < b.startDate
					) {
						add('endDate', 'The endDate field must be a date after or equal to startDate');
					}
				}
			),
		],
	},
};

// Section 16 (Invoice Update) takes no customer: the invoice stays with its customer and group.
const invoiceUpdateSchema = {
	fields: { ...SCHEMA.invoice.fields, referenceNumCustomer: {}, referenceNumCustomergroup: {} },
	checks: SCHEMA.invoice.checks,
};
const INVOICE_FIELDS = [
	'amount',
	'discount',
	'expDate',
	'remarks',
	'additionalFeeType',
	'additionalFeeAmount',
	'additionalFeeOption',
	'taxType',
	'taxAmount',
	'taxOption',
	'taxInclude',
	'fineAmount',
	'finePeriod',
	'fineOption',
	'notifOption',
	'labelOwner',
];

// ---------------------------------------------------------------- generic helpers

/** Get All: `{ totalCount, data: [...] }` (sections 5, 7, 9). */
const lister = (
	/** @type {(s: State) => Map<string, any>} */ map,
	/** @type {(rec: any, s: State) => any} */ view,
) =>
	/** @type {Handler} */ (
		(ctx) => {
			const data = [...map(ctx.state).values()].map((rec) => view(rec, ctx.state));
			return ok(data, { totalCount: String(data.length) });
		}
	);

/** Get by reference number (sections 6, 8, 10, 11). */
const getter = (
	/** @type {(s: State) => Map<string, any>} */ map,
	/** @type {string} */ key,
	/** @type {string} */ label,
	/** @type {(rec: any, s: State) => any} */ view,
) =>
	validated(lookup(key), (ctx) => {
		const rec = map(ctx.state).get(ctx.body[key]);
		return rec ? ok(view(rec, ctx.state)) : notFound(label);
	});

/**
 * Create / update / delete of a record that is its own fields (customer groups, fee types).
 * @param {{ map: (s: State) => Map<string, any>, key: string, label: string, schema: any, fields: string[], view: (rec: any) => any }} o
 */
function simpleResource(o) {
	return {
		/** @type {Handler} */
		create: validated(o.schema, (ctx) => {
			const ref = ctx.body[o.key];
			if (o.map(ctx.state).has(ref)) return exists(o.label);
			const rec = {
				...pick(ctx.body, [o.key, ...o.fields]),
				createDate: jakarta(ctx.now).dateTime,
			};
			o.map(ctx.state).set(ref, rec);
			return ok(o.view(rec));
		}),
		/** @type {Handler} */
		update: validated(o.schema, (ctx) => {
			const rec = o.map(ctx.state).get(ctx.body[o.key]);
			if (!rec) return notFound(o.label);
			Object.assign(rec, pick(ctx.body, o.fields), { updatedDate: jakarta(ctx.now).dateTime });
			return ok(o.view(rec));
		}),
		// Deleting a group or fee type still used by customers or invoices is allowed (the spec
		// names no error for it); those keep the reference and show an empty name.
		/** @type {Handler} */
		remove: validated(lookup(o.key), (ctx) => {
			const ref = ctx.body[o.key];
			if (!o.map(ctx.state).delete(ref)) return notFound(o.label);
			return ok({ [o.key]: ref });
		}),
	};
}

// ---------------------------------------------------------------- resources

const groups = simpleResource({
	map: (s) => s.customerGroups,
	key: 'referenceNumCustomergroup',
	label: 'Customer group',
	schema: SCHEMA.customerGroup,
	fields: ['groupName'],
	view: store.groupView,
});

const feeTypes = simpleResource({
	map: (s) => s.feeTypes,
	key: 'referenceNumFeetype',
	label: 'Fee type',
	schema: SCHEMA.feeType,
	fields: ['feeType', 'note'],
	view: store.feeTypeView,
});

const CUSTOMER_FIELDS = [
	'name',
	'phone',
	'pic',
	'email',
	'address',
	'registrationNo',
	'registrationDate',
	'contractExpiredDate',
	'emailNotif',
];

/** Customer fields from a request body; customerStatusNotif 1/2 become SMS/WA. */
function customerFields(
	/** @type {Record<string, any>} */ b,
	/** @type {Record<string, any> | undefined} */ current,
) {
	const notif =
		{ 1: 'SMS', 2: 'WA' }[/** @type {string} */ (b.customerStatusNotif)] ?? b.customerStatusNotif;
	return {
		...pick(b, CUSTOMER_FIELDS),
		customerStatusNotif: notif || current?.customerStatusNotif || 'SMS',
		labelOwner: Array.isArray(b.labelOwner) ? [...b.labelOwner] : (current?.labelOwner ?? []),
		labelPartner: Array.isArray(b.labelPartner)
			? [...b.labelPartner]
			: (current?.labelPartner ?? []),
	};
}

const customers = {
	/** Section 1: a new customer gets a BRIVA number in its group, returned in `detail[]`. */
	/** @type {Handler} */
	create: validated(SCHEMA.customer, (ctx) => {
		const { state: s, body: b } = ctx;
		if (s.customers.has(b.referenceNumCustomer)) return exists('Customer');
		if (!s.customerGroups.has(b.referenceNumCustomergroup)) return notFound('Customer group');
		const c = {
			referenceNumCustomer: b.referenceNumCustomer,
			...customerFields(b, undefined),
			detail: [
				{
					referenceNumCustomergroup: b.referenceNumCustomergroup,
					brivaNo: store.allocateBriva(s, b.referenceNumCustomer, b.referenceNumCustomergroup),
				},
			],
			createDate: jakarta(ctx.now).dateTime,
		};
		s.customers.set(c.referenceNumCustomer, c);
		return ok(store.customerView(s, c));
	}),

	/**
	 * Section 13, camelCase registrationNo/registrationDate/contractExpiredDate (the sample's
	 * snake_case is ignored, docs/spec-readings.md#13-customers-update). A group the customer is not in yet is joined, with a new
	 * BRIVA number; `brivaNo` answers the one of the group named in the request.
	 * @type {Handler}
	 */
	update: validated(SCHEMA.customer, (ctx) => {
		const { state: s, body: b } = ctx;
		const c = s.customers.get(b.referenceNumCustomer);
		if (!c) return notFound('Customer');
		if (!s.customerGroups.has(b.referenceNumCustomergroup)) return notFound('Customer group');
		let member = c.detail.find(
			(/** @type {any} */ d) => d.referenceNumCustomergroup === b.referenceNumCustomergroup,
		);
		if (!member) {
			member = {
				referenceNumCustomergroup: b.referenceNumCustomergroup,
				brivaNo: store.allocateBriva(s, c.referenceNumCustomer, b.referenceNumCustomergroup),
			};
			c.detail.push(member);
		}
		Object.assign(c, customerFields(b, c), { updatedDate: jakarta(ctx.now).dateTime });
		const v = store.customerView(s, c);
		// Section 13's sample order, plus referenceNumCustomer (an addition).
		return ok({
			referenceNumCustomer: v.referenceNumCustomer,
			phone: v.phone,
			name: v.name,
			pic: v.pic,
			email: v.email,
			address: v.address,
			registrationNo: v.registrationNo,
			registrationDate: v.registrationDate,
			contractExpiredDate: v.contractExpiredDate,
			updatedDate: c.updatedDate,
			brivaNo: member.brivaNo,
			customerStatusNotif: v.customerStatusNotif,
			notifDescription: '',
			detail: v.detail,
			labelOwner: v.labelOwner,
			labelPartner: v.labelPartner,
			emailNotif: v.emailNotif,
		});
	}),

	/**
	 * Section 17: removes the customer from the named group; the customer goes when no group is
	 * left. Its BRIVA numbers stay reserved, so invoices on them can still be read and paid.
	 * @type {Handler}
	 */
	remove: validated(lookup('referenceNumCustomer', 'referenceNumCustomergroup'), (ctx) => {
		const { state: s, body: b } = ctx;
		const c = s.customers.get(b.referenceNumCustomer);
		if (!c) return notFound('Customer');
		const i = c.detail.findIndex(
			(/** @type {any} */ d) => d.referenceNumCustomergroup === b.referenceNumCustomergroup,
		);
		if (i < 0) return notFound('Customer in customer group');
		c.detail.splice(i, 1);
		if (c.detail.length === 0) s.customers.delete(c.referenceNumCustomer);
		return ok({
			referenceNumCustomer: c.referenceNumCustomer,
			labelOwner: [...c.labelOwner],
			labelPartner: [...c.labelPartner],
		});
	}),
};

/** An invoice with money received can no longer be changed or deleted. */
const isTouched = (/** @type {Record<string, any>} */ inv) => (Number(inv.paidAmount) || 0) > 0;

const invoices = {
	/**
	 * Section 4. The customer must exist and, when `referenceNumCustomergroup` is sent, belong to
	 * that group (else its first group); the invoice is payable on that membership's BRIVA number.
	 * @type {Handler}
	 */
	create: validated(SCHEMA.invoice, (ctx) => {
		const { state: s, body: b } = ctx;
		if (s.invoices.has(b.referenceNumInvoice)) return exists('Invoice');
		const c = s.customers.get(b.referenceNumCustomer);
		if (!c) return notFound('Customer');
		if (!s.feeTypes.has(b.referenceNumFeetype)) return notFound('Fee type');
		if (b.referenceNumCustomergroup && !s.customerGroups.has(b.referenceNumCustomergroup))
			return notFound('Customer group');
		const member = b.referenceNumCustomergroup
			? c.detail.find(
					(/** @type {any} */ d) => d.referenceNumCustomergroup === b.referenceNumCustomergroup,
				)
			: c.detail[0];
		if (!member) return notFound('Customer in customer group');
		const inv = {
			referenceNumInvoice: b.referenceNumInvoice,
			referenceNumCustomer: c.referenceNumCustomer,
			referenceNumFeetype: b.referenceNumFeetype,
			referenceNumCustomergroup: member.referenceNumCustomergroup,
			...pick(b, INVOICE_FIELDS),
			brivaNo: member.brivaNo,
			createDate: jakarta(ctx.now).dateTime,
			paidAmount: '0',
			paidAt: null,
		};
		s.invoices.set(inv.referenceNumInvoice, inv);
		return ok(store.invoiceView(s, inv));
	}),

	/** Section 16: `remarks`, not the sample's `note` (docs/spec-readings.md#16-invoice-update). */
	/** @type {Handler} */
	update: validated(invoiceUpdateSchema, (ctx) => {
		const { state: s, body: b } = ctx;
		const inv = s.invoices.get(b.referenceNumInvoice);
		if (!inv) return notFound('Invoice');
		if (!s.feeTypes.has(b.referenceNumFeetype)) return notFound('Fee type');
		if (isTouched(inv)) return genericError('Invoice already paid');
		Object.assign(inv, pick(b, INVOICE_FIELDS), {
			referenceNumFeetype: b.referenceNumFeetype,
			updatedDate: jakarta(ctx.now).dateTime,
		});
		return ok(store.invoiceView(s, inv, { withCustomer: false }));
	}),

	/** Section 20: a missing invoice answers 0011, as the section's error sample. */
	/** @type {Handler} */
	remove: validated(lookup('referenceNumInvoice'), (ctx) => {
		const inv = ctx.state.invoices.get(ctx.body.referenceNumInvoice);
		if (!inv) return fail('0011', 'Data Invoice is not found', 'record not found');
		if (isTouched(inv)) return genericError('Invoice already paid');
		ctx.state.invoices.delete(inv.referenceNumInvoice);
		return ok({ referenceNumInvoice: inv.referenceNumInvoice });
	}),

	/**
	 * Section 21: per BRIVA number of the customer (optionally one group), the totals and the
	 * invoices. detailInvoice entries carry the table's fields plus referenceNumInvoice, expDate
	 * and paidstatus (additions, so the list is usable).
	 * @type {Handler}
	 */
	byCustomer: validated(lookup('referenceNumCustomer'), (ctx) => {
		const { state: s, body: b } = ctx;
		const c = s.customers.get(b.referenceNumCustomer);
		if (!c) return notFound('Data customer is');
		const members = c.detail.filter(
			(/** @type {any} */ d) =>
				!b.referenceNumCustomergroup || d.referenceNumCustomergroup === b.referenceNumCustomergroup,
		);
		if (members.length === 0) return notFound('Data customer group is');
		const detail = members.map((/** @type {any} */ d) => {
			const list = store.invoicesOfBriva(s, d.brivaNo);
			return {
				group: s.customerGroups.get(d.referenceNumCustomergroup)?.groupName ?? '',
				referenceNumCustomergroup: d.referenceNumCustomergroup,
				brivaNo: d.brivaNo,
				...store.totals(list),
				totalCountInvoice: String(list.length),
				detailInvoice: list.map((inv) => {
					const m = store.invoiceMoney(inv);
					return {
						referenceNumInvoice: inv.referenceNumInvoice,
						feetypeName: s.feeTypes.get(inv.referenceNumFeetype)?.feeType ?? '',
						amount: inv.amount,
						discount: inv.discount,
						taxTotal: String(m.taxTotal),
						additionalTotal: String(m.additionalFeeTotal),
						invoiceAmount: String(m.invoiceAmount),
						paidAmount: String(m.paidAmount),
						dueAmount: String(m.dueAmount),
						expDate: inv.expDate,
						paidstatus: m.dueAmount === 0 && m.paidAmount > 0 ? '1' : '0',
					};
				}),
			};
		});
		return ok({
			customerName: c.name,
			referenceNumCustomer: c.referenceNumCustomer,
			companyName: ctx.companyName,
			detail,
		});
	}),

	/**
	 * Section 22: the curl sample shows no body but the request table lists brivaNo: the table.
	 * Notifications are recorded in state.notifications.
	 * @type {Handler}
	 */
	notify: validated(SCHEMA.briva, (ctx) => {
		const { state: s, body: b } = ctx;
		const owner = s.brivas.get(b.brivaNo);
		if (!owner) return notFound('Data BRIVA is');
		const c = s.customers.get(owner.referenceNumCustomer);
		const channel = c?.customerStatusNotif === 'WA' ? 'WA' : 'SMS';
		const data = {
			brivaNo: b.brivaNo,
			customerName: c?.name ?? '',
			groupName: s.customerGroups.get(owner.referenceNumCustomergroup)?.groupName ?? '',
			companyName: ctx.companyName,
			...store.totals(store.invoicesOfBriva(s, b.brivaNo)),
			detailNotif: `Harap tunggu, sedang mengirim ${channel}`,
		};
		s.notifications.push({ ...data, channel, at: ctx.now.toISOString() });
		return ok(data);
	}),
};

const payments = {
	/**
	 * Section 12: every payment that touched the invoice. paymentAmount is a plain integer string;
	 * the paymentExponentAmounts reading writes it as the sample does ("5.00006e+08").
	 * @type {Handler}
	 */
	byInvoice: validated(lookup('referenceNumInvoice'), (ctx) => {
		const { state: s, body: b } = ctx;
		const inv = s.invoices.get(b.referenceNumInvoice);
		if (!inv) return notFound('Invoice');
		const data = [];
		for (const p of s.payments.values()) {
			const line = p.invoices.find(
				(/** @type {any} */ x) => x.referenceNumInvoice === inv.referenceNumInvoice,
			);
			if (!line) continue;
			data.push({
				referenceNumberInvoice: inv.referenceNumInvoice,
				customersName: s.customers.get(inv.referenceNumCustomer)?.name ?? '',
				group: s.customerGroups.get(inv.referenceNumCustomergroup)?.groupName ?? '',
				feetype: s.feeTypes.get(inv.referenceNumFeetype)?.feeType ?? '',
				paymentType: p.paymentType,
				paymentDate: p.transactionDate.slice(0, 10),
				paymentAmount: ctx.readings?.includes('paymentExponentAmounts')
					? exponentForm(line.paymentAmount)
					: line.paymentAmount,
				transactionNo: p.transactionID,
				brivaNo: p.brivaNo,
			});
		}
		return ok(data);
	}),

	/** Section 23: answers `totalCount` (the table says `count`, the sample `totalCount`). */
	/** @type {Handler} */
	byBriva: validated(SCHEMA.paymentsByBriva, (ctx) => {
		const { state: s, body: b } = ctx;
		const owner = s.brivas.get(b.brivaNo);
		if (!owner) return notFound('Data BRIVA is');
		const data = [...s.payments.values()]
			.filter(
				(p) =>
					p.brivaNo === b.brivaNo &&
					p.transactionDate.slice(0, 10) >= b.startDate &&
					p.transactionDate.slice(0, 10) <= b.endDate,
			)
			.map((p) => ({
				brivaNo: p.brivaNo,
				customerName: s.customers.get(owner.referenceNumCustomer)?.name ?? '',
				groupName: s.customerGroups.get(owner.referenceNumCustomergroup)?.groupName ?? '',
				companyName: ctx.companyName,
				detailTransaction: {
					transactionID: p.transactionID,
					date: p.transactionDate.slice(0, 10),
					totalAmount: p.totalPaymentAmount,
					paymentType: p.paymentType,
				},
			}));
		return ok(data, { totalCount: String(data.length) });
	}),
};

const customerList = lister(
	(s) => s.customers,
	(c, s) => store.customerView(s, c),
);
const groupList = lister((s) => s.customerGroups, store.groupView);
const feeTypeList = lister((s) => s.feeTypes, store.feeTypeView);

/**
 * The router table, paths below /v1/bsb. Get All (sections 5, 7, 9) shares its path with
 * Create (1, 2, 3): the tables say POST, the curl samples (no body, no -X) are GETs. Read as
 * GET with an empty body (docs/spec-readings.md#5-customers-get-all); a body-less POST on the same path also answers the list
 * (`emptyBody`), so both readings are served.
 * `getAll` marks the GETs the getAllPostOnly reading answers 405 (./readings.js).
 * @type {Record<string, { section: number, name: string, handler: Handler, emptyBody?: Handler, getAll?: boolean }>}
 */
const ROUTES = {
	'POST /customers': {
		section: 1,
		name: 'Customers Add',
		handler: customers.create,
		emptyBody: customerList,
	},
	'POST /customers-group': {
		section: 2,
		name: 'Customers Group Add',
		handler: groups.create,
		emptyBody: groupList,
	},
	'POST /feetype': {
		section: 3,
		name: 'Feetype Add',
		handler: feeTypes.create,
		emptyBody: feeTypeList,
	},
	'POST /invoice': { section: 4, name: 'Invoice Add', handler: invoices.create },
	'GET /customers': { section: 5, name: 'Customers Get All', handler: customerList, getAll: true },
	'POST /customers/getRefNum': {
		section: 6,
		name: 'Customers Get By Reference Number',
		handler: getter(
			(s) => s.customers,
			'referenceNumCustomer',
			'Customer',
			(c, s) => store.customerView(s, c),
		),
	},
	'GET /customers-group': {
		section: 7,
		name: 'Customers Group Get All',
		handler: groupList,
		getAll: true,
	},
	'POST /customers-group/getRefNum': {
		section: 8,
		name: 'Customers Group Get By Reference Number',
		handler: getter(
			(s) => s.customerGroups,
			'referenceNumCustomergroup',
			'Customer group',
			store.groupView,
		),
	},
	'GET /feetype': { section: 9, name: 'Feetype Get All', handler: feeTypeList, getAll: true },
	'POST /feetype/getRefNum': {
		section: 10,
		name: 'Feetype Get By Reference Number',
		handler: getter((s) => s.feeTypes, 'referenceNumFeetype', 'Fee type', store.feeTypeView),
	},
	'POST /invoice/getRefNum': {
		section: 11,
		name: 'Invoice Get By Reference Number',
		handler: getter(
			(s) => s.invoices,
			'referenceNumInvoice',
			'Invoice',
			(inv, s) => store.invoiceView(s, inv, { withStatus: true }),
		),
	},
	'POST /payment/getRefNum': {
		section: 12,
		name: 'Payment Get By Reference Number',
		handler: payments.byInvoice,
	},
	'POST /customers/update': { section: 13, name: 'Customers Update', handler: customers.update },
	'POST /customers-group/update': {
		section: 14,
		name: 'Customers Group Update',
		handler: groups.update,
	},
	'POST /feetype/update': { section: 15, name: 'Feetype Update', handler: feeTypes.update },
	'POST /invoice/update': { section: 16, name: 'Invoice Update', handler: invoices.update },
	'POST /customers/delete': { section: 17, name: 'Customers Delete', handler: customers.remove },
	'POST /customers-group/delete': {
		section: 18,
		name: 'Customers Group Delete',
		handler: groups.remove,
	},
	'POST /feetype/delete': { section: 19, name: 'Feetype Delete', handler: feeTypes.remove },
	'POST /invoice/delete': { section: 20, name: 'Invoice Delete', handler: invoices.remove },
	'POST /invoice/custRef': {
		section: 21,
		name: 'Invoice Get By Reference Number Customer',
		handler: invoices.byCustomer,
	},
	'POST /invoice/notification': {
		section: 22,
		name: 'Invoice Send Notif by BRIVA',
		handler: invoices.notify,
	},
	'POST /payment/briva': { section: 23, name: 'Payment Get By BRIVA', handler: payments.byBriva },
};

/**
 * Runs a routed call. GET ignores any body; an empty POST body reads as `{}` (so required
 * fields are reported) unless the route serves a list for it; malformed JSON or a non-object
 * body answers 0013.
 * @param {{ handler: Handler, emptyBody?: Handler }} route
 * @param {string} method
 * @param {string} raw the raw body, decoded as UTF-8
 * @param {Omit<Ctx, 'body'>} base
 * @returns {Reply}
 */
function dispatch(route, method, raw, base) {
	if (method === 'GET') return route.handler({ ...base, body: {} });
	if (raw === '' && route.emptyBody) return route.emptyBody({ ...base, body: {} });
	let body = {};
	if (raw.trim() !== '') {
		try {
			body = JSON.parse(raw);
		} catch (e) {
			return wrongFormat(`Malformed JSON body: ${/** @type {Error} */ (e).message}`);
		}
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body))
		return wrongFormat('The body must be a JSON object');
	return route.handler({ ...base, body });
}

module.exports = { ROUTES, dispatch, fail, ok, SCHEMA };
