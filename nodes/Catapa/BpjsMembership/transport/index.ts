import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { answerOf, causeChain, httpCodeOf } from '../../../shared/errorCause';
import { forSubject } from '../../../shared/runtime';
import { catapaBaseUrl } from '../../shared/token';
import { CATAPA_MAX_ATTEMPTS, catapaErrorDetails, retryDelayMs } from '../errors';

export const CREDENTIAL_TYPE = 'catapaApi';

interface HttpFailure {
	status?: number;
	headers?: Record<string, unknown>;
	body?: unknown;
	code?: string;
	/** Our own safe message (e.g. from CatapaApi.preAuthentication) somewhere in the cause chain. */
	catapaMessage?: string;
}

/** Status, headers and body of a failed call, wherever n8n's wrapping put them. */
function failureOf(error: unknown): HttpFailure {
	const out: HttpFailure = {};
	for (const link of causeChain(error)) {
		const answer = answerOf(link);
		if (answer) {
			out.status ??= answer.status;
			out.headers ??= answer.headers;
			out.body ??= answer.body;
		}
		out.status ??= httpCodeOf(link);
		if (typeof link.code === 'string' && !/^\d+$/.test(link.code)) out.code ??= link.code;
		if (typeof link.message === 'string' && link.message.startsWith('CATAPA '))
			out.catapaMessage ??= link.message;
	}
	return out;
}

function header(headers: Record<string, unknown> | undefined, name: string): unknown {
	if (!headers) return undefined;
	const getter = (headers as { get?: unknown }).get;
	if (typeof getter === 'function') return (getter as (key: string) => unknown).call(headers, name);
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

/**
 * Shared by the requests of one run: once CATAPA answers 429, no request of the run is sent
 * before the wait it asked for has passed, so requests at once do not spend their tries on a
 * limit that is still exceeded.
 */
export class RateLimitPause {
	private until = 0;

	async wait(): Promise<void> {
		const ms = this.until - Date.now();
		if (ms > 0) await sleep(ms);
	}

	pause(ms: number): void {
		this.until = Math.max(this.until, Date.now() + ms);
	}
}

/**
 * One CATAPA call with the credential's token and Tenant header. HTTP 429 is retried after
 * Retry-After (or with backoff), at most CATAPA_MAX_ATTEMPTS tries in all, and pauses the
 * other requests that share `options.pause`; 401 is handled by
 * n8n, which fetches a new token once (preAuthentication). Other failures become a
 * NodeApiError built from CATAPA's {code, message, status, timestamp} body only, so the
 * request (and its Authorization header) never reaches the error.
 */
export async function catapaApiRequest(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	method: IHttpRequestMethods,
	path: string,
	options: {
		qs?: IDataObject;
		body?: IDataObject;
		itemIndex?: number;
		/** How the error names the item (`employee "…"`, `item 5 of 50`); none in the pickers. */
		subject?: string;
		pause?: RateLimitPause;
	} = {},
): Promise<unknown> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, options.itemIndex);
	const baseURL = catapaBaseUrl(credentials.baseUrl);
	const request: IHttpRequestOptions = {
		method,
		baseURL,
		url: path,
		headers: { Accept: 'application/json' },
		json: true,
		...(options.qs ? { qs: options.qs } : {}),
		...(options.body ? { body: options.body } : {}),
	};
	for (let attempt = 1; ; attempt++) {
		await options.pause?.wait();
		try {
			return await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
				...request,
			});
		} catch (error) {
			const failure = failureOf(error);
			if (failure.status === 429 && attempt < CATAPA_MAX_ATTEMPTS) {
				const delay = retryDelayMs(header(failure.headers, 'retry-after'), attempt);
				options.pause?.pause(delay);
				await sleep(delay);
				continue;
			}
			throw catapaError(this, failure, baseURL, options.itemIndex, options.subject);
		}
	}
}

function catapaError(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	failure: HttpFailure,
	baseURL: string,
	itemIndex: number | undefined,
	subject: string | undefined,
): NodeApiError {
	if (failure.status === undefined) {
		// No HTTP answer: the token request failed (its message is already safe, see
		// CatapaApi.preAuthentication) or CATAPA could not be reached.
		const message =
			failure.catapaMessage ??
			`CATAPA could not be reached${forSubject(subject)}: ${baseURL}${failure.code ? ` (${failure.code})` : ''}`;
		const apiError = new NodeApiError(
			context.getNode(),
			{ message, code: failure.code ?? null } as JsonObject,
			{
				message,
				description:
					'Check the Base URL of the CATAPA API credential and the network between n8n and CATAPA.',
				itemIndex,
			},
		);
		// NodeApiError swaps messages naming ECONNREFUSED & co. for generic text; keep ours, it names the host.
		apiError.message = message;
		return apiError;
	}
	const details = catapaErrorDetails(failure.status, failure.body, subject);
	const body: JsonObject = {
		code: details.code ?? null,
		message: details.catapaMessage ?? null,
		status: failure.status,
		timestamp: details.timestamp ?? null,
	};
	const apiError = new NodeApiError(context.getNode(), body, {
		message: details.message,
		description: details.description,
		httpCode: details.httpCode,
		itemIndex,
	});
	// Given none, NodeApiError takes CATAPA's message as the description: the message says it already.
	apiError.description = details.description || null;
	return apiError;
}
