import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	CATAPA_DEFAULT_BASE_URL,
	catapaBaseUrl,
	catapaTokenRequest,
	parseCatapaTokenResponse,
} from '../nodes/Catapa/shared/token';
import { fetchToken } from '../nodes/shared/tokenFetch';

export class CatapaApi implements ICredentialType {
	name = 'catapaApi';

	displayName = 'CATAPA API';

	icon: Icon = { light: 'file:catapa.svg', dark: 'file:catapa.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-bri-bpjs/n8n-nodes-bri-bpjs#catapa-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: CATAPA_DEFAULT_BASE_URL,
			required: true,
			placeholder: 'e.g. https://api.catapa.com',
			description: 'Host of the CATAPA public API, without a path',
		},
		{
			displayName: 'Tenant',
			name: 'tenant',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. my-company',
			description: 'Your CATAPA tenant code, sent as the Tenant header on every call',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Client ID of the API client created in CATAPA',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Client Secret of the API client created in CATAPA',
		},
		{
			// Filled by preAuthentication; n8n keeps it with the credential and asks for a new one
			// once when CATAPA answers 401 (expired after expires_in, 3600 s by default).
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const request = catapaTokenRequest(
			catapaBaseUrl(credentials.baseUrl),
			String(credentials.tenant ?? ''),
			String(credentials.clientId ?? ''),
			String(credentials.clientSecret ?? ''),
		);
		const response = await fetchToken(this.helpers, request, 'CATAPA', request.url);
		return {
			accessToken: parseCatapaTokenResponse(response.statusCode, response.body).accessToken,
		};
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
				// Every CATAPA call names the tenant (docs/spec-readings.md#catapa).
				Tenant: String(credentials.tenant ?? '').trim(),
			},
		};
	}

	// A token from the client pair, then one authenticated read: proves base URL, tenant, ID and secret.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/core/v1/employees',
			method: 'GET',
			qs: { page: 0, size: 1 },
		},
	};
}
