// The one way this node talks to BSB: signed JSON calls through the BRI API credential,
// answers read into outcomes, retries where a retry cannot do harm.
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { answerOf, causeChain, httpCodeOf } from '../../shared/errorCause';
import { forSubject, sentence, sentences } from '../../shared/runtime';
import { classifyAnswer, isTokenRefused, maskSecrets, wantsPost } from '../shared/answer';
import type { BsbEnvelope, Outcome } from '../shared/answer';
import { BSB_PREFIX, briHost } from '../shared/token';
import { findEndpoint } from './endpoints';
import type { EndpointDescriptor } from './endpoints';

export { answerExcerpt, classifyAnswer, isTokenRefused, wantsPost } from '../shared/answer';
export type { BsbEnvelope, Outcome } from '../shared/answer';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

const GATEWAY_HINTS: Record<string, string> = {
	'0601':
		'BRI rejected the access token, even after n8n fetched a new one. Check the Consumer Key, Consumer Secret and Environment of the BRI API credential.',
	'0602':
		'BRI rejected the request signature. Check the Consumer Secret of the BRI API credential, and that the n8n server’s clock is right (BRI-Timestamp is checked).',
	'0603':
		'BRI refused this client. The application of this Consumer Key has no access to BRI Smart Billing in this environment; ask BRI to enable it.',
	'0109':
		'BRI found a request parameter invalid. Check the Environment or Custom URL of the BRI API credential.',
};

/** What to do about a BSB response code (section tables: 0001–0014; section 20 answers 0011). */
const BSB_HINTS: Record<string, string> = {
	'0001': 'Check the Consumer Key and Consumer Secret of the BRI API credential.',
	'0004': 'Check the Consumer Key and Consumer Secret of the BRI API credential.',
	'0005':
		'A record with this reference number already exists; use another reference number, or Get the existing one.',
	'0006': "Check this item's reference numbers: BSB found no record for one of them.",
	'0011': "Check this item's reference numbers: BSB found no record for one of them.",
	'0012': "Correct this item's input as BSB says and run it again.",
	'0013': "Correct this item's input as BSB says and run it again.",
	'0014': "Correct this item's input as BSB says and run it again.",
};

// Connection never made: the request was not sent, so any request may be retried.
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** Finds the HTTP answer or the network error code inside what n8n's request helper threw. */
export function outcomeOfError(error: unknown): Outcome {
	let code: string | undefined;
	for (const link of causeChain(error)) {
		const answer = answerOf(link);
		if (answer) return classifyAnswer(answer.status, answer.body);
		// A NodeApiError made from an HTTP error keeps the status and the answer's JSON here.
		const context = link.context as { data?: unknown } | undefined;
		const status = httpCodeOf(link);
		if (context?.data !== undefined && status !== undefined) {
			return classifyAnswer(status, context.data);
		}
		if (typeof link.code === 'string' && code === undefined) code = link.code;
	}
	const sent = !(code && NOT_SENT_CODES.has(code));
	return { kind: 'unknown', reason: code ?? 'no answer', sent };
}

export interface CallOptions {
	itemIndex?: number;
	/** How the error names the item (`invoice "INV-0001"`, `item 5 of 50`); none in the pickers. */
	subject?: string;
	retries?: number;
	timeout?: number;
	/** Base delay of the exponential backoff between retries. */
	retryDelay?: number;
}

/**
 * Get All paths (host + path) that answered GET with a refusal and POST with a list, in this
 * process: later runs send POST straight away. Only a read's method is remembered.
 */
const postOnly = new Set<string>();

export class BsbTransport {
	private host: string | undefined;

	private credentials: ICredentialsDecrypted | undefined;

	/** The token refresh under way (at most one per run, however many requests are at once). */
	private refreshing: Promise<void> | undefined;

	constructor(private readonly ctx: Context) {}

	/**
	 * The credential, read once per run and handed to every request. Without it n8n reads and
	 * decrypts the credential from its database for each request (bench/, BENCHMARKS.md). A
	 * token refresh still works: on a 401 n8n's preAuthentication writes the new token into
	 * this same object (and persists it), so the requests after it use the new token.
	 */
	private async credential(): Promise<ICredentialsDecrypted> {
		if (this.credentials === undefined) {
			const data = await this.ctx.getCredentials('briApi');
			const ref = this.ctx.getNode().credentials?.briApi;
			this.credentials = { id: ref?.id ?? '', name: ref?.name ?? '', type: 'briApi', data };
		}
		return this.credentials;
	}

	private async baseUrl(): Promise<string> {
		if (this.host === undefined) this.host = briHost((await this.credential()).data ?? {});
		return `${this.host}${BSB_PREFIX}`;
	}

	/**
	 * One exchange. A gateway 0601 at any status but 401 (n8n itself refreshes on a 401) drops
	 * the token, so that n8n's preAuthentication fetches a new one, and sends once more
	 * (docs/spec-readings.md#bri-api-platform). Requests at once share one refresh: only the
	 * first that meets the refused token drops it, the others wait for it and resend.
	 * `body` is the serialized JSON string ('' for none).
	 */
	async send(method: string, path: string, body: string, timeout = 30000): Promise<Outcome> {
		if (this.refreshing) await this.refreshing;
		const data = (await this.credential()).data ?? {};
		const used = data.accessToken;
		const outcome = await this.exchange(method, path, body, timeout);
		if (!isTokenRefused(outcome) || (outcome.kind === 'gateway' && outcome.status === 401)) {
			return outcome;
		}
		if (this.refreshing) {
			await this.refreshing;
		} else if (data.accessToken === used) {
			data.accessToken = ''; // n8n's preAuthentication fetches a token when this is empty
			let done = () => {};
			this.refreshing = new Promise<void>((resolve) => (done = resolve));
			try {
				return await this.exchange(method, path, body, timeout);
			} finally {
				this.refreshing = undefined;
				done();
			}
		}
		return await this.exchange(method, path, body, timeout);
	}

	private async exchange(
		method: string,
		path: string,
		body: string,
		timeout: number,
	): Promise<Outcome> {
		const request: IHttpRequestOptions = {
			method: method as IHttpRequestOptions['method'],
			url: `${await this.baseUrl()}${path}`,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			returnFullResponse: true,
			timeout,
		};
		if (body !== '') request.body = body; // already serialized: the credential signs this exact string
		try {
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				'briApi',
				request,
				{
					credentialsDecrypted: await this.credential(),
				},
			)) as {
				statusCode: number;
				body: unknown;
			};
			return classifyAnswer(response.statusCode, response.body);
		} catch (error) {
			return outcomeOfError(error);
		}
	}

	/**
	 * A Get All (body-less GET) as the samples send it; on a 404, a 405, a gateway 0109 or a
	 * non-JSON 4xx once more as a body-less POST, as the method tables say, and POST from then
	 * on for this path (docs/spec-readings.md#5-customers-get-all).
	 */
	private async sendRead(endpoint: EndpointDescriptor, body: string, timeout?: number) {
		if (endpoint.method !== 'GET' || body !== '') {
			return await this.send(endpoint.method, endpoint.path, body, timeout);
		}
		const key = `${await this.baseUrl()}${endpoint.path}`;
		if (postOnly.has(key)) return await this.send('POST', endpoint.path, '', timeout);
		const outcome = await this.send('GET', endpoint.path, '', timeout);
		if (!wantsPost(outcome)) return outcome;
		const again = await this.send('POST', endpoint.path, '', timeout);
		if (again.kind === 'ok') postOnly.add(key);
		// A JSON answer to the POST says more than the GET's refusal page.
		return again.kind === 'refused' ? outcome : again;
	}

	/**
	 * Calls an endpoint and returns its envelope, or throws a NodeApiError that names the item.
	 * Retries outcomes that are unknown (network error, 5xx, HTML) with backoff when the endpoint
	 * allows it; a retried write that then meets "already exists"/"not found" is settled per
	 * the descriptor's `onRetry`, so a create is never made twice.
	 */
	async call(
		endpoint: EndpointDescriptor,
		body: string,
		options: CallOptions = {},
	): Promise<BsbEnvelope> {
		const retries = options.retries ?? 2;
		let uncertain = false;
		for (let attempt = 0; ; attempt++) {
			const outcome = await this.sendRead(endpoint, body, options.timeout);
			if (outcome.kind === 'ok') return outcome.envelope;
			if (outcome.kind === 'unknown') {
				const mayRetry =
					!outcome.sent || !endpoint.write || endpoint.onRetry !== undefined || endpoint.idempotent;
				if (attempt < retries && mayRetry) {
					uncertain ||= outcome.sent;
					await sleep((options.retryDelay ?? 500) * 2 ** attempt);
					continue;
				}
				throw this.error(endpoint, outcome, options, attempt);
			}
			if (outcome.kind === 'bsb' && uncertain && endpoint.onRetry) {
				const settled = await this.settleRetry(endpoint, outcome.envelope, body, options);
				if (settled) return settled;
			}
			throw this.error(endpoint, outcome, options, attempt);
		}
	}

	private async settleRetry(
		endpoint: EndpointDescriptor,
		envelope: BsbEnvelope,
		body: string,
		options: CallOptions,
	): Promise<BsbEnvelope | undefined> {
		const rule = endpoint.onRetry!;
		const sent = JSON.parse(body) as IDataObject;
		if (rule.kind === 'readBack' && envelope.responseCode === '0005') {
			const reader = findEndpoint(endpoint.resource, rule.operation)!;
			const keys = Object.fromEntries(rule.keys.map((key) => [key, sent[key]]));
			return await this.call(reader, JSON.stringify(keys), { ...options });
		}
		// Section 20 answers a missing invoice with 0011; the others with 0006.
		if (
			rule.kind === 'gone' &&
			(envelope.responseCode === '0006' || envelope.responseCode === '0011')
		) {
			return { responseCode: '0000', responseMessage: 'Success', data: sent };
		}
		return undefined;
	}

	/** Masks the credential's secrets, should an answer echo one. */
	private redact(text: string): string {
		const data = this.credentials?.data ?? {};
		const keys = ['consumerSecret', 'accessToken', 'callbackSecretKey'];
		return maskSecrets(
			text,
			keys.map((key) => String(data[key] ?? '')),
		);
	}

	/**
	 * A NodeApiError carrying only the answer (never the request: it holds the token and
	 * signature). The message says what happened to which item; the description, in sentences,
	 * what BRI said, the endpoint and what to do (docs/spec-readings.md#bri-api-platform).
	 */
	error(
		endpoint: EndpointDescriptor,
		outcome: Exclude<Outcome, { kind: 'ok' }>,
		options: Pick<CallOptions, 'itemIndex' | 'subject'> = {},
		retried = 0,
	): NodeApiError {
		const { itemIndex } = options;
		const item = forSubject(options.subject);
		const where = `Endpoint: ${endpoint.resource} ${endpoint.operation} (${endpoint.method} ${BSB_PREFIX}${endpoint.path}).`;
		const node = this.ctx.getNode();
		const made = (
			response: JsonObject,
			message: string,
			description: string,
			status?: number,
		): NodeApiError => {
			const error = new NodeApiError(node, response, {
				message,
				description,
				httpCode: status ? String(status) : undefined,
				itemIndex,
			});
			// NodeApiError looks for a description in the answer when given none: that repeats the message.
			error.description = description || null;
			return error;
		};
		if (outcome.kind === 'unknown') {
			const tries = retried > 0 ? ` after ${retried + 1} attempts` : '';
			if (!outcome.sent) {
				return made(
					{ reason: outcome.reason },
					`BRI could not be reached${item}: ${outcome.reason}${tries}`,
					sentences(
						'Nothing was sent, so the item is safe to run again',
						where,
						'Check the Environment or Custom URL of the BRI API credential, and the network between n8n and BRI',
					),
				);
			}
			return made(
				{ reason: outcome.reason },
				`Status unknown${item}: BRI gave no clear answer (${outcome.reason})${tries}`,
				sentences(
					'BRI may or may not have processed the request',
					where,
					'Check before retrying whether it was done, for example with the Get operation',
				),
				outcome.status,
			);
		}
		if (outcome.kind === 'refused') {
			const excerpt = this.redact(outcome.excerpt);
			return made(
				{ status: outcome.status },
				`BRI refused the request${item}: HTTP ${outcome.status}${excerpt ? ` (${excerpt})` : ''}`,
				sentences(
					'BRI answered with an error page instead of a BSB answer, so the request was not processed',
					where,
					'Check the Environment or Custom URL of the BRI API credential',
				),
				outcome.status,
			);
		}
		if (outcome.kind === 'gateway') {
			return made(
				{ status: { code: outcome.code, desc: outcome.desc } },
				`BRI gateway ${outcome.code}${item}: ${outcome.desc || 'request refused'}`,
				sentences(where, GATEWAY_HINTS[outcome.code]),
				outcome.status,
			);
		}
		const envelope = outcome.envelope;
		const code = envelope.responseCode ?? '';
		const details = Object.entries(envelope.errors?.validationError ?? {}).map(
			([field, messages]) =>
				`${field}: ${Array.isArray(messages) ? messages.join('; ') : String(messages)}`,
		);
		const said = typeof envelope.errors?.error === 'string' ? envelope.errors.error.trim() : '';
		const saysMore =
			said && said.toLowerCase() !== (envelope.responseMessage ?? '').trim().toLowerCase();
		return made(
			{ ...envelope } as JsonObject,
			`BSB ${code}${item}: ${envelope.responseMessage ?? 'error'}${details.length ? ` — ${details.join(' | ')}` : ''}`,
			sentences(saysMore && `BSB says: ${sentence(said)}`, where, BSB_HINTS[code]),
			outcome.status,
		);
	}
}
