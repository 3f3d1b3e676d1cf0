import {
	CATAPA_DEFAULT_BASE_URL,
	catapaBaseUrl,
	catapaTokenRequest,
	parseCatapaTokenResponse,
} from '../../../../nodes/Catapa/shared/token';

describe('catapaBaseUrl', () => {
	it('defaults to https://api.catapa.com and drops trailing slashes', () => {
		expect(catapaBaseUrl('')).toBe(CATAPA_DEFAULT_BASE_URL);
		expect(catapaBaseUrl(undefined)).toBe('https://api.catapa.com');
		expect(catapaBaseUrl(' http://127.0.0.1:4020// ')).toBe('http://127.0.0.1:4020');
	});
	it('refuses a URL without http(s)', () => {
		expect(() => catapaBaseUrl('api.catapa.com')).toThrow(/Base URL must start with http/);
	});
});

describe('catapaTokenRequest', () => {
	it('is POST {base}/oauth/token with HTTP Basic, the Tenant header and grant_type=client_credentials', () => {
		const request = catapaTokenRequest('https://api.catapa.com/', ' acme ', 'id-1', 's3cr:et');
		expect(request.method).toBe('POST');
		expect(request.url).toBe('https://api.catapa.com/oauth/token');
		expect(request.headers.Tenant).toBe('acme');
		expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		expect(request.body).toBe('grant_type=client_credentials');
		const basic = request.headers.Authorization.replace(/^Basic /, '');
		expect(Buffer.from(basic, 'base64').toString('utf8')).toBe('id-1:s3cr:et');
		// The secret travels only in the Authorization header, never in URL or body.
		expect(request.url + request.body).not.toContain('s3cr');
	});
});

describe('parseCatapaTokenResponse', () => {
	it('reads access_token, token_type and expires_in', () => {
		expect(
			parseCatapaTokenResponse(200, {
				access_token: 'abc',
				token_type: 'bearer',
				expires_in: 3600,
			}),
		).toEqual({
			accessToken: 'abc',
			tokenType: 'bearer',
			expiresIn: 3600,
		});
		expect(parseCatapaTokenResponse(200, '{"access_token":"t"}').accessToken).toBe('t');
	});
	it('explains OAuth errors without echoing anything secret', () => {
		expect(() =>
			parseCatapaTokenResponse(401, {
				error: 'invalid_client',
				error_description: 'Bad client credentials',
			}),
		).toThrow(
			'CATAPA access token request failed (HTTP 401, invalid_client: Bad client credentials): check the Client ID, Client Secret and Tenant of the CATAPA API credential',
		);
	});
	it('reads CATAPA-shaped errors and odd answers', () => {
		expect(() => parseCatapaTokenResponse(500, { code: 'INTERNAL', message: 'down' })).toThrow(
			/HTTP 500, INTERNAL: down\): CATAPA could not be reached or failed/,
		);
		expect(() => parseCatapaTokenResponse(200, '<html>')).toThrow(
			/HTTP 200\): CATAPA did not return an access token/,
		);
		expect(() => parseCatapaTokenResponse(429, {})).toThrow(/rate limiting/);
	});
});
