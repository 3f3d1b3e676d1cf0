// @ts-check
'use strict';
// The payment simulation's side of the emulator: a payment books the invoices and sends the
// section 25 callback to the partner (./payments.js); every delivery, and every re-send, is kept
// in a log the control endpoints and tests read.
const { applyKnobs } = require('./config');
const { applyPayment, deliver } = require('./payments');
const { shapeCallbackBody } = require('./readings');

const CALLBACK_LOG_LIMIT = 1000;

/**
 * @param {{ state: ReturnType<typeof import('./store').createState>,
 *   config: import('./config').Config, consumerSecret: string,
 *   callbacks: Array<Record<string, any>>, persist: () => void, say: (line: string) => void }} options
 *   `callbacks` is the log itself (restored from the state file, or empty); it is kept in place.
 */
function createCallbackLog({ state, config, consumerSecret, callbacks, persist, say }) {
	/** The callback settings for one delivery: the configured ones with `patch` on top (checked). */
	function callbackFor(/** @type {Record<string, any> | undefined} */ patch) {
		if (!patch) return config.callback;
		const one = /** @type {import('./config').Config} */ ({ callback: config.callback });
		applyKnobs(one, { callback: patch });
		return one.callback;
	}

	function pushCallback(/** @type {Record<string, any>} */ record) {
		record.index = (callbacks.at(-1)?.index ?? -1) + 1;
		callbacks.push(record);
		if (callbacks.length > CALLBACK_LOG_LIMIT)
			callbacks.splice(0, callbacks.length - CALLBACK_LOG_LIMIT);
	}

	/**
	 * @param {import('./payments').PayInput} input
	 * @param {{ callback?: Record<string, any> }} [options] callback settings for this payment only
	 */
	async function pay(input, options = {}) {
		const cb = callbackFor(options.callback);
		const { payment, body: sampleBody } = applyPayment(state, input);
		// Serialized once more only when a reading reshapes it; these bytes are signed and sent.
		const body = shapeCallbackBody(sampleBody, config.readings);
		/** @type {Record<string, any>} */
		const record = {
			index: callbacks.length,
			at: new Date().toISOString(),
			transactionID: payment.transactionID,
			brivaNo: payment.brivaNo,
			resendOf: null,
			body,
		};
		pushCallback(record);
		persist(); // the payment stands even if the partner never answers
		await deliver(record, cb, consumerSecret, config.readings);
		persist();
		say(
			`payment ${payment.transactionID} on ${payment.brivaNo}: callback ${record.skipped ? 'skipped' : `${record.callbackStatus ?? '-'} ${record.responseCode ?? record.error ?? ''}`}`,
		);
		return { record, payment };
	}

	/** The callback record with this index (indexes stay as the log is trimmed). */
	function callbackAt(/** @type {number} */ index) {
		const record = callbacks.find((c) => c.index === index);
		if (!record)
			throw Object.assign(
				new Error(`no callback record ${index}; GET /_emulator/callbacks lists them`),
				{ status: 404 },
			);
		return record;
	}

	/** Sends a recorded callback again (same body bytes, new token, timestamp and signature). */
	async function resend(
		/** @type {number | Record<string, any> | undefined} */ which,
		/** @type {{ callback?: Record<string, any> }} */ options = {},
	) {
		const cb = callbackFor(options.callback);
		const original =
			typeof which === 'object' && which !== null
				? which
				: which === undefined
					? callbacks.at(-1)
					: callbacks.find((c) => c.index === Number(which));
		if (!original || typeof original.body !== 'string')
			throw new Error(`resend: no callback record ${JSON.stringify(which)}`);
		/** @type {Record<string, any>} */
		const record = {
			index: callbacks.length,
			at: new Date().toISOString(),
			transactionID: original.transactionID,
			brivaNo: original.brivaNo,
			resendOf: original.index,
			body: original.body,
		};
		pushCallback(record);
		await deliver(record, cb, consumerSecret, config.readings);
		persist();
		return record;
	}

	return { pay, callbackAt, resend };
}

module.exports = { createCallbackLog };
