import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { briSignature, briTimestamp, signedPath } from '../nodes/Bri/shared/signature';
import { BSB_PREFIX, briHost, parseTokenResponse, tokenRequest } from '../nodes/Bri/shared/token';
import { fetchToken } from '../nodes/shared/tokenFetch';

export class BriApi implements ICredentialType {
	name = 'briApi';

	displayName = 'BRI API';

	icon: Icon = { light: 'file:bri.svg', dark: 'file:bri.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-bri-bpjs/n8n-nodes-bri-bpjs#bri-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: 'https://sandbox.partner.api.bri.co.id' },
				{ name: 'Production', value: 'production', description: 'https://partner.api.bri.co.id' },
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'Another host, such as a proxy or an emulator',
				},
			],
			default: 'sandbox',
		},
		{
			displayName: 'Custom URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://bri-proxy.example.com',
			description: 'Host of the BRI API, without /v1/bsb',
			displayOptions: { show: { environment: ['custom'] } },
		},
		// Not masked: like an OAuth client ID it names the app; the Consumer Secret is the secret.
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			default: '',
			required: true,
			description: 'Consumer Key of your application on the BRI API developer portal',
		},
		{
			displayName: 'Consumer Secret',
			name: 'consumerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Consumer Secret of your application; it also signs every request (BRI-Signature)',
		},
		{
			displayName: 'Callback Provider ID',
			name: 'callbackProviderId',
			type: 'string',
			default: '',
			description:
				'Only for the BRI Smart Billing Trigger: the providerId you give BRI for payment callbacks (BSB spec section 24)',
		},
		{
			displayName: 'Callback Secret Key',
			name: 'callbackSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the BRI Smart Billing Trigger: the secretKey you give BRI for payment callbacks (BSB spec section 24)',
		},
		{
			// Filled by preAuthentication and kept with the credential until BRI rejects it (HTTP 401).
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const request = tokenRequest(
			briHost(credentials),
			String(credentials.consumerKey ?? ''),
			String(credentials.consumerSecret ?? ''),
		);
		const response = await fetchToken(this.helpers, request, 'BRI', 'the BRI API host');
		return { accessToken: parseTokenResponse(response.statusCode, response.body).accessToken };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Serialize once and sign exactly the bytes that go on the wire. They go as a Buffer:
		// axios (under n8n's httpRequest) would trim a JSON string and re-quote any other string
		// sent as application/json, after it was signed. n8n sends no body on GET.
		const method = (requestOptions.method ?? 'GET').toUpperCase();
		const raw: unknown = method === 'GET' ? undefined : requestOptions.body;
		const text =
			raw === undefined || raw === null || raw === ''
				? ''
				: Buffer.isBuffer(raw) // authenticate runs again on n8n's retry after a token refresh
					? raw.toString('utf8')
					: typeof raw === 'string'
						? raw
						: JSON.stringify(raw);
		const bytes = Buffer.from(text, 'utf8');
		const body = bytes.toString('utf8'); // what those bytes read as (lone surrogates become U+FFFD)
		const token = String(credentials.accessToken ?? '');
		const timestamp = briTimestamp();
		const signature = briSignature(String(credentials.consumerSecret ?? ''), {
			path: signedPath(requestUrl(requestOptions.baseURL, requestOptions.url)),
			verb: method,
			token,
			timestamp,
			body,
		});
		const rest = { ...requestOptions };
		delete rest.body;
		return {
			...rest,
			...(body === '' ? {} : { body: bytes }),
			json: false,
			headers: {
				...requestOptions.headers,
				'Content-Type': 'application/json',
				Authorization: `Bearer ${token}`,
				'BRI-Timestamp': timestamp,
				'BRI-Signature': signature,
			},
		};
	}

	// Proves the whole chain: a token from the Consumer Key and Secret, then one signed
	// BSB read (Customer Group Get All, spec section 7). The gateway may refuse with HTTP 200
	// (docs/spec-readings.md#bri-api-platform), so a 2xx carrying 0601–0603 fails the test.
	test: ICredentialTestRequest = {
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status.code',
					value: '0601',
					message:
						'BRI gateway 0601: the access token was refused. Check the Consumer Key, Consumer Secret and Environment.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status.code',
					value: '0602',
					message:
						'BRI gateway 0602: the request signature was refused. Check the Consumer Secret, and that the n8n server’s clock is right.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status.code',
					value: '0603',
					message:
						'BRI gateway 0603: this Consumer Key’s application has no access to BRI Smart Billing in this environment; ask BRI to enable it.',
				},
			},
		],
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.customUrl.replace(/\\/+$/, "") : ($credentials.environment === "production" ? "https://partner.api.bri.co.id" : "https://sandbox.partner.api.bri.co.id")}}',
			url: `${BSB_PREFIX}/customers-group`,
			method: 'GET',
		},
	};
}

/** The URL the request goes to, joined as axios joins baseURL and url (an absolute url wins). */
function requestUrl(baseURL: string | undefined, url: string): string {
	if (!baseURL || /^[a-z][a-z\d+\-.]*:\/\//i.test(url)) return url;
	return url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}
