// HTTP plumbing of the trigger: the raw body as n8n leaves it, and the answers it writes.
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { successBody } from './callback';

/** BSB's "Generic service error" (code table of sections 1–23): the workflow failed. */
export const WORKFLOW_FAILED = { responseCode: '0009', responseMessage: 'Generic service error' };

/** What the express request carries in n8n (middlewares/body-parser: rawBodyReader). */
export type N8nRequest = ReturnType<IWebhookFunctions['getRequestObject']> & {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
};
export type N8nResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

export function answer(res: N8nResponse, status: number, body: object): IWebhookResponseData {
	res.status(status).json(body);
	// Without workflowData n8n starts no execution (docs/spec-readings.md#n8n-facts).
	return { noWebhookResponse: true };
}

export function refuse(
	context: IWebhookFunctions,
	res: N8nResponse,
	refusal: { status: number; body: object; reason: string },
): IWebhookResponseData {
	// The reason names the failed check only, never a token, key or signature.
	context.logger.debug(`BRI Smart Billing Trigger: callback refused (${refusal.reason})`);
	return answer(res, refusal.status, refusal.body);
}

/**
 * In "after the workflow finishes" mode n8n answers from the last node once the run ends:
 * status 200 with no body (responseData "noData") on success, 500 on failure. The answer BRI
 * expects is BSB's envelope, so the first body n8n writes to this response is replaced:
 * 0000 with the payload for a success status, 0009 otherwise, n8n's status kept.
 */
export function answerWhenWorkflowFinishes(res: N8nResponse, payload: unknown) {
	const original = { json: res.json, send: res.send };
	const reply = function () {
		res.json = original.json;
		res.send = original.send;
		return original.json.call(res, res.statusCode < 400 ? successBody(payload) : WORKFLOW_FAILED);
	};
	res.json = reply as N8nResponse['json'];
	res.send = reply as N8nResponse['send'];
}

type RawBody = { tooLarge: false; bytes: Buffer } | { tooLarge: true };

/** The raw request bytes, or tooLarge past the limit (by Content-Length before reading, when sent). */
export async function readRawBody(req: N8nRequest, limit: number): Promise<RawBody> {
	if (!Buffer.isBuffer(req.rawBody)) {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) return { tooLarge: true };
		if (typeof req.readRawBody === 'function') {
			try {
				await req.readRawBody();
			} catch {
				// Past n8n's own N8N_PAYLOAD_SIZE_MAX (raw-body's "entity.too.large"), or a broken
				// stream: either way the body cannot be checked, and is refused as too large.
				return { tooLarge: true };
			}
		} else {
			req.rawBody = await readStream(req, limit);
		}
	}
	const bytes = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
	return bytes.length > limit ? { tooLarge: true } : { tooLarge: false, bytes };
}

async function readStream(req: N8nRequest, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		chunks.push(chunk);
		length += chunk.length;
		if (length > limit) break;
	}
	return Buffer.concat(chunks);
}
