// CATAPA error answers and rate-limit retries (docs/spec-readings.md#catapa): errors come as
// {code, message, status, timestamp}; over 400 requests per minute CATAPA answers HTTP 429.
import { bodyRecord } from '../../shared/json';
import { forSubject } from '../../shared/runtime';

/** Tries per request, the first one included, before a 429 becomes an error. */
export const CATAPA_MAX_ATTEMPTS = 5;
/** No single wait is longer than this: the rate limit window is one minute. */
export const CATAPA_MAX_WAIT_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;

export interface CatapaErrorDetails {
	/** One line for the error's title: what happened, to which item, what CATAPA said. */
	message: string;
	/** What to do about it, in sentences ('' when there is nothing to add to the message). */
	description: string;
	httpCode: string;
	/** CATAPA's own error code, when it sent one. */
	code?: string;
	/** CATAPA's own message, when it sent one. */
	catapaMessage?: string;
	timestamp?: string;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Turns a CATAPA error answer into readable text; reads only the body, never the request.
 * `subject` names the item (`employee "…"`); CATAPA's own message goes in the message only.
 */
export function catapaErrorDetails(
	statusCode: number,
	body: unknown,
	subject?: string,
): CatapaErrorDetails {
	const record = bodyRecord(body);
	const code = text(record.code) ?? text(record.error);
	const catapaMessage = text(record.message) ?? text(record.error_description);
	const timestamp = text(record.timestamp);
	const headline =
		statusCode === 400 || statusCode === 422
			? 'CATAPA rejected the request'
			: statusCode === 401
				? 'CATAPA did not accept the access token'
				: statusCode === 403
					? 'The CATAPA client is not allowed to do this'
					: statusCode === 404
						? 'Not found in CATAPA'
						: statusCode === 409
							? 'CATAPA reported a conflict'
							: statusCode === 429
								? `CATAPA's rate limit was still exceeded after ${CATAPA_MAX_ATTEMPTS} tries`
								: statusCode >= 500
									? 'CATAPA failed to handle the request'
									: 'CATAPA answered with an error';
	const hint =
		statusCode === 400 || statusCode === 422
			? "Correct this item's input as CATAPA says and run it again."
			: statusCode === 401 || statusCode === 403
				? "Check the Client ID, Client Secret and Tenant of the CATAPA API credential, and the client's permissions in CATAPA."
				: statusCode === 404
					? 'Check the employee ID, and that the employee belongs to this tenant.'
					: statusCode === 409
						? "Get the employee's membership to see its current state, then run the item again."
						: statusCode === 429
							? 'CATAPA allows 400 requests per minute per client; run fewer items at once or wait a minute.'
							: statusCode >= 500
								? "This is on CATAPA's side; try again later."
								: '';
	const message = `${headline}${forSubject(subject)}${catapaMessage ? `: ${catapaMessage}` : ''} (HTTP ${statusCode}${code ? `, ${code}` : ''})`;
	return {
		message,
		description: hint,
		httpCode: String(statusCode),
		code,
		catapaMessage,
		timestamp,
	};
}

/**
 * How long to wait before try number `attempt + 1` after a 429: the server's Retry-After
 * (seconds or an HTTP date) when it sent one, else exponential backoff; never over a minute.
 */
export function retryDelayMs(
	retryAfter: unknown,
	attempt: number,
	now: number = Date.now(),
): number {
	const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
	const value =
		typeof header === 'number' ? String(header) : typeof header === 'string' ? header.trim() : '';
	if (/^\d+(\.\d+)?$/.test(value)) {
		return Math.min(Math.round(Number(value) * 1000), CATAPA_MAX_WAIT_MS);
	}
	if (value !== '') {
		const at = Date.parse(value);
		if (Number.isFinite(at)) return Math.min(Math.max(at - now, 0), CATAPA_MAX_WAIT_MS);
	}
	return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(attempt - 1, 0), CATAPA_MAX_WAIT_MS);
}
