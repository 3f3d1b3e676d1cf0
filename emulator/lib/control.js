// @ts-check
'use strict';
// The JSON control endpoints (/_emulator/…) both emulators serve: a table of
// "METHOD /path" → handler, a JSON body (empty means {}), and the handler's answer as JSON
// (none means {"ok": true}). Node built-ins only.

/** @typedef {(body: any, url: URL) => unknown} ControlHandler */

/**
 * Answers one control request through `reply` (the emulator's own JSON sender):
 * 404 naming the endpoints for an unknown one, 400 for a body that is not JSON, a handler's
 * error with its `status` (400 when it has none), else 200 with the handler's answer.
 * @param {Record<string, ControlHandler>} handlers
 * @param {string} method
 * @param {URL} url
 * @param {string} raw the request body as received
 * @param {(status: number, body: unknown) => void} reply
 */
async function serveControl(handlers, method, url, raw, reply) {
	const handler = handlers[`${method} ${url.pathname.replace(/\/+$/, '')}`];
	if (!handler)
		return reply(404, {
			error: `no control endpoint ${method} ${url.pathname}`,
			endpoints: Object.keys(handlers),
		});
	let body = {};
	try {
		if (raw.trim() !== '') body = JSON.parse(raw);
	} catch {
		return reply(400, { error: 'body must be JSON' });
	}
	try {
		reply(200, (await handler(body ?? {}, url)) ?? { ok: true });
	} catch (e) {
		// A handler may name its status (e.g. 404, 409); else 400.
		const status = /** @type {{ status?: unknown }} */ (e).status;
		reply(typeof status === 'number' ? status : 400, { error: /** @type {Error} */ (e).message });
	}
}

/**
 * GET /_emulator/requests[?limit=N]: the request log, or its last N entries.
 * @param {Array<Record<string, any>>} requests the emulator's live log
 * @returns {ControlHandler}
 */
function requestLog(requests) {
	return (_body, url) => {
		const limit = Number(url.searchParams.get('limit') || 0);
		return limit > 0 ? requests.slice(-limit) : requests;
	};
}

module.exports = { serveControl, requestLog };
