// The CATAPA API credential's authenticate and preAuthentication as plain functions, against the
// CATAPA emulator over HTTP. The engine tests run the same code through n8n-core.
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { CatapaApi } from '../../../credentials/CatapaApi.credentials';

import { startCatapaEmulator, DEMO } from '../../../emulator/catapa';

/** IHttpRequestHelper over fetch, honouring the options preAuthentication uses. */
const fetchHelper: IHttpRequestHelper = {
	helpers: {
		httpRequest: async (options: IHttpRequestOptions) => {
			const response = await fetch(options.url, {
				method: options.method,
				headers: options.headers as Record<string, string>,
				body: options.body as string,
			});
			const text = await response.text();
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON: keep the text
			}
			return { statusCode: response.status, body, headers: Object.fromEntries(response.headers) };
		},
	},
} as IHttpRequestHelper;

describe('CATAPA API credential', () => {
	const credential = new CatapaApi();
	let emu: { url: string; requests: Array<Record<string, any>>; close(): Promise<void> };

	beforeAll(async () => {
		emu = await startCatapaEmulator({ port: 0 });
	});
	afterAll(async () => await emu.close());

	it('declares Base URL, Tenant, Client ID and Client Secret, the secret as a password, and a hidden expirable token', () => {
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(Object.keys(byName)).toEqual([
			'baseUrl',
			'tenant',
			'clientId',
			'clientSecret',
			'accessToken',
		]);
		expect(byName.baseUrl.default).toBe('https://api.catapa.com');
		expect(byName.clientSecret.typeOptions?.password).toBe(true);
		expect(byName.accessToken).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(credential.name).toBe('catapaApi');
		expect(credential.displayName).toBe('CATAPA API');
		expect(credential.test.request).toMatchObject({
			url: '/core/v1/employees',
			method: 'GET',
			qs: { page: 0, size: 1 },
		});
	});

	it('authenticate adds Bearer and Tenant and keeps the other headers', async () => {
		const request: IHttpRequestOptions = {
			url: '/core/v1/employees',
			headers: { Accept: 'application/json' },
		};
		const out = await credential.authenticate({ tenant: ' acme ', accessToken: 'tok' }, request);
		expect(out.headers).toEqual({
			Accept: 'application/json',
			Authorization: 'Bearer tok',
			Tenant: 'acme',
		});
		expect(request.headers).toEqual({ Accept: 'application/json' });
	});

	it('preAuthentication gets a token with HTTP Basic, the Tenant header and the client-credentials form', async () => {
		const out = await credential.preAuthentication.call(fetchHelper, {
			baseUrl: `${emu.url}/`,
			tenant: DEMO.tenant,
			clientId: DEMO.clientId,
			clientSecret: DEMO.clientSecret,
		});
		expect(out).toEqual({ accessToken: expect.stringMatching(/^[0-9a-f]{48}$/) });
		const sent = emu.requests[emu.requests.length - 1];
		expect(sent).toMatchObject({
			method: 'POST',
			path: '/oauth/token',
			body: 'grant_type=client_credentials',
			status: 200,
		});
		expect(sent.headers.tenant).toBe(DEMO.tenant);
		expect(sent.headers.authorization).toBe(
			`Basic ${Buffer.from(`${DEMO.clientId}:${DEMO.clientSecret}`).toString('base64')}`,
		);
	});

	it('preAuthentication errors say what to check and never carry the secret', async () => {
		const bad = {
			baseUrl: emu.url,
			tenant: 'other-tenant',
			clientId: DEMO.clientId,
			clientSecret: 'top-secret-value',
		};
		await expect(credential.preAuthentication.call(fetchHelper, bad)).rejects.toThrow(
			'CATAPA access token request failed (HTTP 401, invalid_client: Bad client credentials): check the Client ID, Client Secret and Tenant of the CATAPA API credential',
		);
		const failing: IHttpRequestHelper = {
			helpers: {
				httpRequest: async () => {
					throw Object.assign(
						new Error('connect ECONNREFUSED, Authorization: Basic dG9wLXNlY3JldC12YWx1ZQ=='),
						{ code: 'ECONNREFUSED' },
					);
				},
			},
		} as unknown as IHttpRequestHelper;
		const error = await credential.preAuthentication.call(failing, bad).catch((e: Error) => e);
		expect((error as Error).message).toBe(
			`CATAPA access token request failed (ECONNREFUSED): ${emu.url}/oauth/token could not be reached`,
		);
		expect((error as Error).message).not.toMatch(/top-secret|dG9wLXNlY3JldC12YWx1ZQ/);
	});
});
