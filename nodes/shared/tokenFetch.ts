// The token request both credentials send from preAuthentication. What n8n throws for a failed
// request carries the request, and the request carries the secret (form body or Basic header),
// so only a clean message leaves here.
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

export interface TokenAnswer {
	statusCode: number;
	body: unknown;
}

/**
 * Sends the token request and returns the answer whatever its HTTP status (the caller reads it).
 * @param service e.g. "BRI", names the request in errors
 * @param unreachable what could not be reached, e.g. "the BRI API host"
 */
export async function fetchToken(
	helpers: IHttpRequestHelper['helpers'],
	request: IHttpRequestOptions,
	service: string,
	unreachable: string,
): Promise<TokenAnswer> {
	let failure: string;
	try {
		return (await helpers.httpRequest({
			...request,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as TokenAnswer;
	} catch (error) {
		const { name, message, description } = error as {
			name?: string;
			message?: string;
			description?: string;
		};
		const code = (error as { code?: string }).code ?? 'network error';
		failure = name?.startsWith('SsrfBlocked')
			? // n8n's SSRF protection refused the host; its message and description name only the host.
				`${service} access token request refused by n8n: ${message} ${description ?? ''}`.trim()
			: `${service} access token request failed (${code}): ${unreachable} could not be reached`;
	}
	// Thrown outside the catch: a new error, not the caught one (which holds the request).
	throw new Error(failure);
}

/**
 * The token of an OAuth 2.0 client-credentials answer (`access_token`, `expires_in` in seconds,
 * sent as a number or a string), or undefined when the answer is not a success with a token.
 */
export function oauthToken(
	statusCode: number,
	record: Record<string, unknown>,
): { accessToken: string; expiresIn?: number } | undefined {
	const token = record.access_token;
	if (statusCode < 200 || statusCode >= 300 || typeof token !== 'string' || token === '') {
		return undefined;
	}
	const expires = Number(record.expires_in);
	return { accessToken: token, expiresIn: Number.isFinite(expires) ? expires : undefined };
}
