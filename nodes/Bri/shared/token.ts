// BRI API access token (OAuth client credentials on the BRIAPI gateway,
// docs/spec-readings.md#bri-api-platform).
// Pure functions: they build the request and read the answer, the caller does the I/O.

import { bodyRecord } from '../../shared/json';
import { oauthToken } from '../../shared/tokenFetch';

export const BRI_HOSTS = {
	sandbox: 'https://sandbox.partner.api.bri.co.id',
	production: 'https://partner.api.bri.co.id',
} as const;

/** Path of the client-credentials grant on the BRIAPI gateway (docs/spec-readings.md#bri-api-platform). */
export const BRI_CLIENT_CREDENTIAL_PATH = '/oauth/client_credential/accesstoken';
/** BSB endpoints sit under this prefix on the host (docs/spec-readings.md#bri-api-platform). */
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
	const record = bodyRecord(body);
	const token = oauthToken(statusCode, record);
	if (token) return token;
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
