// @ts-check
'use strict';
// CATAPA's error answer: an HTTP status with the {code, message, status, timestamp} body
// (docs/spec-readings.md#catapa).

/** An HTTP answer with CATAPA's error body. */
class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, code, message, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

/** @param {ApiError} error */
function errorBody(error) {
	return {
		code: error.code,
		message: error.message,
		status: error.status,
		timestamp: new Date().toISOString(),
	};
}

module.exports = { ApiError, errorBody };
