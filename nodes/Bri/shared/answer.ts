// How a BSB answer reads: BSB's envelope, the BRIAPI gateway's, a refusal page or "status unknown"
// (docs/spec-readings.md#bri-api-platform). Pure functions, shared by the node's transport and the
// credential test.
import { parseJson } from '../../shared/json';

export interface BsbEnvelope {
	responseCode?: string;
	responseMessage?: string;
	totalCount?: string;
	data?: unknown;
	errors?: { error?: string; issueAt?: string; validationError?: Record<string, unknown> };
	[key: string]: unknown;
}

/** What one HTTP exchange with BSB came to. */
export type Outcome =
	| { kind: 'ok'; envelope: BsbEnvelope }
	| { kind: 'bsb'; status: number; envelope: BsbEnvelope } // BSB's own error envelope
	| { kind: 'gateway'; status: number; code: string; desc: string } // BRIAPI gateway: {status:{code,desc}}
	| { kind: 'refused'; status: number; excerpt: string } // a 4xx that is not JSON: refused, nothing done
	| { kind: 'unknown'; status?: number; reason: string; sent: boolean }; // 5xx, HTML, network: outcome not known

/** At most this many characters of a non-JSON answer go into an error. */
const EXCERPT_LENGTH = 120;

/** A short, single-line excerpt of a non-JSON answer: tags dropped, bearer tokens masked. Pure. */
export function answerExcerpt(text: string): string {
	const plain = text
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]*>/g, ' ')
		.replace(/Bearer\s*[^\s"',;]+/gi, 'Bearer ***')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > EXCERPT_LENGTH ? `${plain.slice(0, EXCERPT_LENGTH)}…` : plain;
}

/**
 * `text` with each secret (and its URL-encoded form) masked, should an answer echo one. Secrets
 * shorter than 4 characters are left: masking them would garble the text and hide nothing. Pure.
 */
export function maskSecrets(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)]))
			out = out.split(form).join('***');
	}
	return out;
}

/** Reads an HTTP answer into an outcome. Pure. */
export function classifyAnswer(status: number, rawBody: unknown): Outcome {
	const text = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody;
	const body = typeof text === 'string' ? parseJson(text) : text;
	// BRI's portal: 5xx, or a 2xx carrying an HTML page, means "status unknown"
	// (docs/spec-readings.md#bri-api-platform).
	if (status >= 500) return { kind: 'unknown', status, reason: `HTTP ${status}`, sent: true };
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		// A 4xx is a definite refusal even without JSON (docs/spec-readings.md#bri-api-platform).
		if (status >= 400) {
			const raw = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
			return { kind: 'refused', status, excerpt: answerExcerpt(raw ?? '') };
		}
		return {
			kind: 'unknown',
			status,
			reason: `HTTP ${status} without a BSB answer (not JSON)`,
			sent: true,
		};
	}
	const record = body as BsbEnvelope;
	const gateway = record.status as { code?: unknown; desc?: unknown } | undefined;
	if (gateway && typeof gateway === 'object' && typeof gateway.code === 'string') {
		return { kind: 'gateway', status, code: gateway.code, desc: String(gateway.desc ?? '') };
	}
	// Sections 6 and 7's samples spell it `reponseCode`.
	const code = record.responseCode ?? (record.reponseCode as string | undefined);
	if (code === '0000') return { kind: 'ok', envelope: record };
	if (typeof code === 'string')
		return { kind: 'bsb', status, envelope: { ...record, responseCode: code } };
	return { kind: 'unknown', status, reason: `HTTP ${status} without a responseCode`, sent: true };
}

/** Whether a Get All that went as GET should go again as a body-less POST. Pure. */
export function wantsPost(outcome: Outcome): boolean {
	// docs/spec-readings.md#5-customers-get-all: the samples send GET, the method tables POST.
	if (outcome.kind === 'refused') return true;
	if (outcome.kind === 'gateway')
		return outcome.code === '0109' || [404, 405].includes(outcome.status);
	if (outcome.kind === 'bsb') return [404, 405].includes(outcome.status);
	return false;
}

/** A gateway answer that the token is no longer valid, at whatever HTTP status (section 5 lists 200). */
export function isTokenRefused(outcome: Outcome): boolean {
	return outcome.kind === 'gateway' && outcome.code === '0601';
}
