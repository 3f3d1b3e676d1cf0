// @ts-check
'use strict';
// The alternative readings of the BSB spec the emulator can play (docs/spec-readings.md), so the
// nodes are tried against every way the live gateway may read its self-contradicting spec, not
// only the one the nodes send. Off by default: the default emulator plays the samples' reading.

/** name → what it plays, and where the spec allows it. */
const READINGS = Object.freeze({
	getAllPostOnly:
		'Get All (sections 5, 7, 9) is POST only, as the method tables say: a GET is answered 405 with an HTML page; a body-less POST answers the list',
	token0601At200:
		'a refused token (unknown, expired, /_emulator/expire-tokens, token0601Rate) is answered HTTP 200 with the gateway envelope 0601, as section 5 lists it',
	paymentExponentAmounts:
		'Payment Get by Invoice (section 12) writes paymentAmount in exponent form, 6 significant digits, as its sample does ("5.00006e+08")',
	callbackTableNames:
		'callbacks name the invoice fields as section 25’s table does: referenceNumberInvoice, referenceNumberCustomers, referenceNumberFeetype, expDatePayment, note',
	callbackExponentAmounts:
		'callbacks write totalPaymentAmount, amount, dueAmount and paymentAmount in exponent form, 6 significant digits (section 12’s sample)',
	callbackInvoiceString: 'callbacks send invoice as a JSON string, as section 25’s table types it',
	callbackHexSignature:
		'callbacks carry BRI-Signature as 64 hex digits, the length the header tables give',
	callbackTokenNoSpace:
		'callbacks sign the token part as `Bearer<token>`, as the worked example of the signature section writes it',
	callbackProxyRoot:
		'callbacks are signed over /{version}/payment/callback while posted to the webhook URL, as behind a proxy that maps the domain root onto the webhook',
});

/** @typedef {keyof typeof READINGS} Reading */

/**
 * A list of reading names, as an array or a comma-separated string; `all` for every reading.
 * Throws on an unknown name, so a typo does not silently test the default reading.
 * @param {unknown} value
 * @returns {Reading[]}
 */
function parseReadings(value) {
	const names =
		typeof value === 'string'
			? value.split(',')
			: Array.isArray(value)
				? value.map(String)
				: value === null || value === undefined
					? []
					: null;
	if (names === null)
		throw new Error('readings must be a list of names or a comma-separated string');
	/** @type {Set<Reading>} */
	const out = new Set();
	for (const raw of names) {
		const name = raw.trim();
		if (name === '') continue;
		if (name === 'all') {
			for (const r of /** @type {Reading[]} */ (Object.keys(READINGS))) out.add(r);
			continue;
		}
		if (!(name in READINGS))
			throw new Error(`unknown reading: ${name} (known: all, ${Object.keys(READINGS).join(', ')})`);
		out.add(/** @type {Reading} */ (name));
	}
	return [...out];
}

/**
 * An amount as a `%g`-style float formatting would print it: 6 significant digits, a signed
 * exponent of at least two digits ("500006000" → "5.00006e+08", "1234567" → "1.23457e+06", so
 * it may round). Zero, empty and non-numeric values stay as they are.
 * @param {string | number} value
 */
function exponentForm(value) {
	const n = Number(value);
	if (value === '' || !Number.isFinite(n) || n === 0) return String(value);
	const [mantissa, exponent] = n.toExponential(5).split('e');
	const digits = mantissa.replace(/\.?0+$/, '');
	const sign = exponent.startsWith('-') ? '-' : '+';
	return `${digits}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

// Section 25's table names, keyed by the sample's.
const TABLE_NAMES = Object.freeze({
	referenceNumInvoice: 'referenceNumberInvoice',
	referenceNumCustomer: 'referenceNumberCustomers',
	referenceNumFeetype: 'referenceNumberFeetype',
	expDate: 'expDatePayment',
	remarks: 'note',
});
const CALLBACK_AMOUNTS = ['amount', 'dueAmount', 'paymentAmount'];

/**
 * The callback body as the readings shape it, from the sample-shaped body applyPayment() made.
 * Returns the same string when no body reading is on.
 * @param {string} body
 * @param {readonly string[]} readings
 */
function shapeCallbackBody(body, readings) {
	const on = (/** @type {Reading} */ r) => readings.includes(r);
	if (!on('callbackTableNames') && !on('callbackExponentAmounts') && !on('callbackInvoiceString'))
		return body;
	const payload = JSON.parse(body);
	if (on('callbackExponentAmounts'))
		payload.totalPaymentAmount = exponentForm(payload.totalPaymentAmount);
	let invoices = payload.invoice.map((/** @type {Record<string, any>} */ invoice) => {
		/** @type {Record<string, any>} */
		const out = {};
		for (const [key, value] of Object.entries(invoice)) {
			const name = on('callbackTableNames')
				? (/** @type {Record<string, string>} */ (TABLE_NAMES)[key] ?? key)
				: key;
			out[name] =
				on('callbackExponentAmounts') && CALLBACK_AMOUNTS.includes(key)
					? exponentForm(value)
					: value;
		}
		return out;
	});
	if (on('callbackInvoiceString')) invoices = JSON.stringify(invoices);
	return JSON.stringify({ ...payload, invoice: invoices });
}

/**
 * How the callback client signs, by the readings: the path signed, the token part's separator,
 * the signature's encoding.
 * @param {readonly string[]} readings
 * @param {string} postedPath the path of the URL posted to
 * @param {string | null} signedPathPrefix the callback setting (null: the path as posted)
 * @param {string} version
 */
function callbackSigning(readings, postedPath, signedPathPrefix, version) {
	const prefix = readings.includes('callbackProxyRoot') ? '' : signedPathPrefix;
	return {
		signedPath:
			prefix === null ? postedPath : `${prefix.replace(/\/+$/, '')}/${version}/payment/callback`,
		separator: /** @type {' ' | ''} */ (readings.includes('callbackTokenNoSpace') ? '' : ' '),
		encoding: /** @type {'base64' | 'hex'} */ (
			readings.includes('callbackHexSignature') ? 'hex' : 'base64'
		),
	};
}

module.exports = { READINGS, parseReadings, exponentForm, shapeCallbackBody, callbackSigning };
