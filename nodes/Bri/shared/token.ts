// BRI API access token (OAuth client credentials on the BRIAPI gateway, NOTES.md).
// Pure functions: they build the request and read the answer, the caller does the I/O.

export const BRI_HOSTS = {
	sandbox: 'https://sandbox.partner.api.bri.co.id',
	production: 'https://partner.api.bri.co.id',
} as const;

/** Path of the client-credentials grant on the BRIAPI gateway (NOTES.md). */
export const BRI_CLIENT_CREDENTIAL_PATH = '/oauth/client_credential/accesstoken';
/** BSB endpoints sit under this prefix on the host (NOTES.md, "Hosts"). */
export const BSB_PREFIX = '/v1/bsb';

export interface BriHostSettings {
	environment?: string;
	customUrl?: string;
}

/** The host for an environment choice, without a trailing slash. */
export function briHost(settings: BriHostSettings): string {
	if (settings.environment === 'custom') {
		const url = String(settings.customUrl ?? '').trim();
		if (!/^https?:\/\/[^/\s]+/i.test(url)) {
			throw new Error('BRI API credential: Custom URL must start with http:// or https://');
		}
		return url.replace(/\/+$/, '');
	}
	return settings.environment === 'production' ? BRI_HOSTS.production : BRI_HOSTS.sandbox;
}

export interface TokenRequest {
	method: 'POST';
	url: string;
	headers: Record<string, string>;
	body: string;
}

export function tokenRequest(
	host: string,
	consumerKey: string,
	consumerSecret: string,
): TokenRequest {
	const form = new URLSearchParams({ client_id: consumerKey, client_secret: consumerSecret });
	return {
		method: 'POST',
		url: `${host}${BRI_CLIENT_CREDENTIAL_PATH}?grant_type=client_credentials`,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: form.toString(),
	};
}

export interface BriToken {
	accessToken: string;
	/** Seconds, when the gateway said; BRI sends it as a string (typically "179999"). */
	expiresIn?: number;
}

/**
 * Reads the gateway's token answer. Throws an Error whose message names the HTTP status and
 * the gateway's own code and description, never the request (it carries the consumer secret).
 */
export function parseTokenResponse(statusCode: number, body: unknown): BriToken {
	const data = typeof body === 'string' ? safeJson(body) : body;
	const record = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
	const token = record.access_token;
	if (statusCode >= 200 && statusCode < 300 && typeof token === 'string' && token !== '') {
		const expires = Number(record.expires_in);
		return { accessToken: token, expiresIn: Number.isFinite(expires) ? expires : undefined };
	}
	const status = (record.status ?? {}) as Record<string, unknown>;
	const detail = [
		status.code,
		status.desc ?? record.error_description ?? record.error ?? record.message,
	]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(' ');
	const hint =
		statusCode === 401 || statusCode === 400
			? 'check the Consumer Key and Consumer Secret of the BRI API credential and its Environment'
			: statusCode >= 500 || statusCode === 0
				? 'the BRI gateway could not be reached or failed; try again later'
				: 'the gateway did not return an access token';
	throw new Error(
		`BRI access token request failed (HTTP ${statusCode}${detail ? `, ${detail}` : ''}): ${hint}`,
	);
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
