import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { briAuthHeaders } from '../nodes/Bri/shared/signature';
import { briHost, parseTokenResponse, tokenRequest } from '../nodes/Bri/shared/token';
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

	// No `test` here: n8n would run it as one request, and Customer Group Get All may need two (GET,
	// then POST; docs/spec-readings.md#7-customers-group-get-all). Every node using this credential
	// names the test function instead (testedBy: 'briApiConnection', nodes/Bri/shared/credentialTest.ts).

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
		const rest = { ...requestOptions };
		delete rest.body;
		return {
			...rest,
			...(body === '' ? {} : { body: bytes }),
			json: false,
			headers: {
				...requestOptions.headers,
				'Content-Type': 'application/json',
				...briAuthHeaders(String(credentials.consumerSecret ?? ''), {
					url: requestUrl(requestOptions.baseURL, requestOptions.url),
					verb: method,
					token: String(credentials.accessToken ?? ''),
					body,
				}),
			},
		};
	}
}

/** The URL the request goes to, joined as axios joins baseURL and url (an absolute url wins). */
function requestUrl(baseURL: string | undefined, url: string): string {
	if (!baseURL || /^[a-z][a-z\d+\-.]*:\/\//i.test(url)) return url;
	return url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}
