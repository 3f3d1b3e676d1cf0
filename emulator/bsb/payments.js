// @ts-check
'use strict';
// Payment simulation and the BSB callback flow (docs/spec-readings.md#24-callback-get-token
// and #25-callback-payment):
// a customer pays on a BRIVA number, invoices are marked paid, a payment is recorded (read by
// sections 12 and 23), then BRI's two calls to the partner are made: access token, then the
// signed payment callback.
const store = require('./store');
const { jakarta, briSign, postText, tryJson, tokenId } = require('./util');
const { callbackSigning } = require('./readings');

const TRANSACTION_DATE_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
// Section 25's sample carries "0" in these fields when they are empty.
const ZERO_WHEN_EMPTY = [
	'discount',
	'additionalFeeAmount',
	'taxAmount',
	'fineAmount',
	'finePeriod',
];

let transactionSeq = 0;

/** A refused payment: the message says why and what to do; `status` is the HTTP answer. */
function payError(/** @type {number} */ status, /** @type {string} */ message) {
	return Object.assign(new Error(message), { status });
}
const CREATE_HINT =
	'create one with BRI Smart Billing → Invoice → Create, or run the example "BRI Smart Billing: monthly invoices from a table"';

/** A unique 16-digit transaction ID like the sample's "0000101240100001": yyMMddHHmmss + 4-digit sequence. */
function newTransactionID(/** @type {import('./store').State} */ state, /** @type {Date} */ now) {
	const stamp = jakarta(now).dateTime.replace(/\D/g, '').slice(2);
	let id;
	do id = stamp + String(transactionSeq++ % 10000).padStart(4, '0');
	while (state.payments.has(id));
	return id;
}

/**
 * @typedef {{ brivaNo: string, invoices?: string[], amount?: string | number, transactionID?: string,
 *   transactionDate?: string, additionalInfo?: string }} PayInput
 */

/**
 * Marks invoices of a BRIVA number paid and records the payment. Throws an Error with a clear
 * message for bad input; changes nothing then. `amount` (default: everything due) is spread over
 * the invoices in order; an invoice is paid (paidstatus "1") once nothing is due on it.
 * @param {import('./store').State} state
 * @param {PayInput} input
 * @param {Date} [now]
 * @returns {{ payment: Record<string, any>, body: string }} the recorded payment and the callback body (section 25)
 */
function applyPayment(state, input, now = new Date()) {
	const brivaNo = String(input?.brivaNo ?? '');
	if (!brivaNo) throw new Error('pay: brivaNo is required');
	const onBriva = store.invoicesOfBriva(state, brivaNo);
	if (!state.brivas.has(brivaNo) && onBriva.length === 0)
		throw payError(
			404,
			`pay: unknown BRIVA number ${brivaNo}: no customer has it in this emulator; GET /_emulator/state lists the BRIVA numbers (brivas)`,
		);
	const due = (/** @type {any} */ inv) => store.invoiceMoney(inv, now).dueAmount;

	let targets;
	if (input.invoices && input.invoices.length) {
		targets = input.invoices.map((ref) => {
			const inv = state.invoices.get(ref);
			if (!inv || inv.brivaNo !== brivaNo)
				throw payError(404, `pay: invoice ${ref} is not payable on BRIVA ${brivaNo}`);
			if (due(inv) === 0) throw payError(409, `pay: invoice ${ref} is already paid`);
			return inv;
		});
	} else {
		targets = onBriva.filter((inv) => due(inv) > 0);
		if (targets.length === 0)
			throw payError(
				409,
				`pay: no unpaid invoice on BRIVA ${brivaNo}: ${onBriva.length > 0 ? `its ${onBriva.length} invoice(s) are all paid` : 'it has none'}; ${CREATE_HINT}`,
			);
	}
	const dues = targets.map(due);
	const totalDue = dues.reduce((a, b) => a + b, 0);
	const amount =
		input.amount === undefined || input.amount === null || input.amount === ''
			? totalDue
			: Number(input.amount);
	if (!Number.isInteger(amount) || amount < 1 || amount > totalDue) {
		throw new Error(`pay: amount must be a whole number from 1 to ${totalDue} (the amount due)`);
	}
	const transactionID =
		input.transactionID === undefined ? newTransactionID(state, now) : String(input.transactionID);
	if (transactionID === '' || transactionID.length > 20)
		throw new Error('pay: transactionID must be 1 to 20 characters (section 25)');
	if (state.payments.has(transactionID))
		throw new Error(`pay: transactionID ${transactionID} was already used`);
	const transactionDate = input.transactionDate ?? jakarta(now).dateTime;
	if (!TRANSACTION_DATE_RE.test(transactionDate))
		throw new Error('pay: transactionDate must be "yyyy-MM-dd HH:mm:ss" (Asia/Jakarta)');

	let left = amount;
	const lines = [];
	for (let i = 0; i < targets.length && left > 0; i++) {
		const paid = Math.min(left, dues[i]);
		left -= paid;
		lines.push({ inv: targets[i], paymentAmount: paid, dueAmount: dues[i] - paid });
	}
	for (const l of lines) {
		l.inv.paidAmount = String((Number(l.inv.paidAmount) || 0) + l.paymentAmount);
		if (l.dueAmount === 0) l.inv.paidAt = now.toISOString(); // fines stop growing
	}
	const owner = state.brivas.get(brivaNo) ?? {
		referenceNumCustomer: targets[0].referenceNumCustomer,
		referenceNumCustomergroup: targets[0].referenceNumCustomergroup,
	};
	const payment = {
		transactionID,
		brivaNo,
		transactionDate,
		totalPaymentAmount: String(amount),
		paymentType: 'BRIVA',
		additionalInfo: input.additionalInfo ?? '',
		referenceNumCustomer: owner.referenceNumCustomer,
		referenceNumCustomergroup: owner.referenceNumCustomergroup,
		invoices: lines.map((l) => ({
			referenceNumInvoice: l.inv.referenceNumInvoice,
			paymentAmount: String(l.paymentAmount),
			dueAmount: String(l.dueAmount),
		})),
	};
	state.payments.set(transactionID, payment);

	// Section 25's sample: the payment, then per invoice its fields, dueAmount (left after this
	// payment) and paymentAmount. Serialized once; these exact bytes are signed and sent.
	const body = JSON.stringify({
		brivaNo,
		transactionDate,
		totalPaymentAmount: payment.totalPaymentAmount,
		transactionID,
		additionalInfo: payment.additionalInfo,
		paymentType: 'BRIVA',
		invoice: lines.map((l) => {
			const v = store.invoiceView(state, l.inv);
			for (const f of ZERO_WHEN_EMPTY) if (v[f] === '') v[f] = '0';
			return { ...v, dueAmount: String(l.dueAmount), paymentAmount: String(l.paymentAmount) };
		}),
	});
	return { payment, body };
}

/**
 * The short answer of POST /_emulator/pay: what was paid, what the partner answered, and where
 * the full record is.
 * @param {Record<string, any>} record a delivered callback record
 * @param {Record<string, any>} payment the recorded payment
 * @param {string} recordUrl
 */
function paySummary(record, payment, recordUrl) {
	return {
		transactionID: payment.transactionID,
		brivaNo: payment.brivaNo,
		amount: payment.totalPaymentAmount,
		paidInvoices: payment.invoices,
		partner: record.skipped
			? { skipped: record.skipped }
			: {
					tokenStatus: record.tokenStatus,
					callbackStatus: record.callbackStatus,
					responseCode: record.responseCode,
					...(record.callbackBody && typeof record.callbackBody === 'object'
						? { responseMessage: record.callbackBody.responseMessage }
						: {}),
					...(record.error ? { error: record.error } : {}),
				},
		record: recordUrl,
	};
}

/**
 * @typedef {{ baseUrl: string | null, tokenBaseUrl: string | null, version: string, providerId: string, secretKey: string,
 *   hmacKey: 'consumerSecret' | 'callbackSecretKey', signedPathPrefix: string | null, timeoutMs: number }} CallbackConfig
 */

/**
 * Sends a recorded callback: access token (section 24), then the signed payment callback
 * (section 25). Fills the record in place; never throws. Tokens are kept out of the record.
 * @param {Record<string, any>} record has `body`, the callback body string
 * @param {CallbackConfig} cb
 * @param {string} consumerSecret
 * @param {readonly string[]} [readings] see ./readings.js
 */
async function deliver(record, cb, consumerSecret, readings = []) {
	Object.assign(record, {
		request: null,
		tokenStatus: null,
		tokenBody: null,
		callbackStatus: null,
		callbackBody: null,
		responseCode: null,
		error: null,
	});
	if (!cb.baseUrl) {
		record.skipped = 'no callback.baseUrl configured';
		return record;
	}
	const base = cb.baseUrl.replace(/\/+$/, '');
	const tokenBase = (cb.tokenBaseUrl || base).replace(/\/+$/, '');
	const tokenUrl = `${tokenBase}/${cb.version}/access-token`;
	const url = `${base}/${cb.version}/payment/callback`;
	// null: the path posted to; '' (or the callbackProxyRoot reading): the domain root.
	const signing = callbackSigning(readings, new URL(url).pathname, cb.signedPathPrefix, cb.version);
	const signedPath = signing.signedPath;
	record.request = {
		tokenUrl,
		url,
		signedPath,
		hmacKey: cb.hmacKey,
		tokenPart: signing.separator === '' ? 'Bearer<token>' : 'Bearer <token>',
		signatureEncoding: signing.encoding,
		headers: null,
		body: record.body,
	};
	try {
		const t = await postText(
			tokenUrl,
			{ 'Content-Type': 'application/json', Accept: 'application/json' },
			JSON.stringify({ providerId: cb.providerId, secretKey: cb.secretKey }),
			cb.timeoutMs,
		);
		record.tokenStatus = t.status;
		const tb = tryJson(t.text);
		const accessToken = tb && typeof tb.accessToken === 'string' ? tb.accessToken : '';
		record.tokenBody =
			tb && typeof tb === 'object'
				? { ...tb, ...(accessToken ? { accessToken: '***' } : {}) }
				: t.text.slice(0, 500);
		if (t.status !== 200 || tb?.responseCode !== '00' || !accessToken) {
			record.error = `access-token refused (HTTP ${t.status}, responseCode ${JSON.stringify(tb?.responseCode ?? null)})`;
			return record;
		}
		const timestamp = new Date().toISOString();
		const key = cb.hmacKey === 'callbackSecretKey' ? cb.secretKey : consumerSecret;
		const headers = {
			Authorization: `Bearer ${accessToken}`,
			'BRI-Timestamp': timestamp,
			'BRI-Signature': briSign(
				key,
				{ path: signedPath, verb: 'POST', token: accessToken, timestamp, body: record.body },
				signing,
			),
			'Content-Type': 'application/json',
		};
		record.request.headers = { ...headers, Authorization: 'Bearer ***' };
		record.request.tokenId = tokenId(accessToken);
		const c = await postText(url, headers, record.body, cb.timeoutMs);
		record.callbackStatus = c.status;
		const cbBody = tryJson(c.text);
		record.callbackBody = cbBody === undefined ? c.text.slice(0, 2000) : cbBody;
		record.responseCode =
			cbBody && typeof cbBody === 'object' && typeof cbBody.responseCode === 'string'
				? cbBody.responseCode
				: null;
	} catch (e) {
		record.error = /** @type {Error} */ (e).message;
	}
	return record;
}

module.exports = { applyPayment, deliver, paySummary };
