// CATAPA access token: OAuth 2.0 client credentials (docs/spec-readings.md#catapa).
// Pure functions: they build the request and read the answer, the caller does the I/O.

import { bodyRecord } from '../../shared/json';
import { oauthToken } from '../../shared/tokenFetch';

export const CATAPA_DEFAULT_BASE_URL = 'https://api.catapa.com';
export const CATAPA_TOKEN_PATH = '/oauth/token';

/** The base URL without a trailing slash; throws when it is not an http(s) URL. */
export function catapaBaseUrl(value: unknown): string {
	const url = String(value ?? '').trim() || CATAPA_DEFAULT_BASE_URL;
	if (!/^https?:\/\/[^/\s]+/i.test(url)) {
		throw new Error('CATAPA API credential: Base URL must start with http:// or https://');
	}
	return url.replace(/\/+$/, '');
}

export interface CatapaTokenRequest {
	method: 'POST';
	url: string;
	headers: Record<string, string>;
	body: string;
}

export function catapaTokenRequest(
	baseUrl: string,
	tenant: string,
	clientId: string,
	clientSecret: string,
): CatapaTokenRequest {
	const basic = Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
	return {
		method: 'POST',
		url: `${catapaBaseUrl(baseUrl)}${CATAPA_TOKEN_PATH}`,
		headers: {
			Authorization: `Basic ${basic}`,
			// CATAPA picks the tenant's client registry from this header, on the token call too.
			Tenant: tenant.trim(),
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
	};
}

export interface CatapaToken {
	accessToken: string;
	tokenType?: string;
	/** Seconds; CATAPA's default is 3600 (docs/spec-readings.md#catapa). */
	expiresIn?: number;
}

/**
 * Reads the token answer. Throws an Error whose message names the HTTP status and the server's
 * own error, never the request (it carries the client secret).
 */
export function parseCatapaTokenResponse(statusCode: number, body: unknown): CatapaToken {
	const record = bodyRecord(body);
	const token = oauthToken(statusCode, record);
	if (token) {
		return {
			accessToken: token.accessToken,
			tokenType: typeof record.token_type === 'string' ? record.token_type : undefined,
			expiresIn: token.expiresIn,
		};
	}
	// OAuth servers answer {error, error_description}; CATAPA's API shape is {code, message}.
	const detail = [record.error ?? record.code, record.error_description ?? record.message]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(': ');
	const hint =
		statusCode === 400 || statusCode === 401 || statusCode === 403
			? 'check the Client ID, Client Secret and Tenant of the CATAPA API credential'
			: statusCode >= 500 || statusCode === 0
				? 'CATAPA could not be reached or failed; try again later'
				: statusCode === 429
					? 'CATAPA is rate limiting this client; try again in a minute'
					: 'CATAPA did not return an access token';
	throw new Error(
		`CATAPA access token request failed (HTTP ${statusCode}${detail ? `, ${detail}` : ''}): ${hint}`,
	);
}
