// BRI access token (docs/spec-readings.md#bri-api-platform): the request the credential sends and how the
// gateway's answer is read. Pure functions; the I/O is the caller's.
import {
	BRI_HOSTS,
	BRI_CLIENT_CREDENTIAL_PATH,
	briHost,
	parseTokenResponse,
	tokenRequest,
} from '../../../../nodes/Bri/shared/token';

const SECRET = 'S3cr3t&client_secret=x+y/z%20é';

describe('tokenRequest', () => {
	test('POST to the token path with grant_type in the URL and a form body', () => {
		const request = tokenRequest('https://sandbox.partner.api.bri.co.id', 'my-key', SECRET);
		expect(request.method).toBe('POST');
		expect(request.url).toBe(
			'https://sandbox.partner.api.bri.co.id/oauth/client_credential/accesstoken?grant_type=client_credentials',
		);
		expect(new URL(request.url).pathname).toBe(BRI_CLIENT_CREDENTIAL_PATH);
		expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		const form = new URLSearchParams(request.body);
		expect([...form.keys()]).toEqual(['client_id', 'client_secret']);
		expect(form.get('client_id')).toBe('my-key');
		// Characters that mean something in a form are encoded, so the secret arrives whole.
		expect(form.get('client_secret')).toBe(SECRET);
		expect(request.body).not.toContain('&client_secret=x');
		expect(request.body).not.toContain('grant_type');
	});
});

describe('briHost', () => {
	test('environments', () => {
		expect(briHost({ environment: 'sandbox' })).toBe(BRI_HOSTS.sandbox);
		expect(briHost({ environment: 'production' })).toBe(BRI_HOSTS.production);
		expect(briHost({})).toBe(BRI_HOSTS.sandbox);
		expect(briHost({ environment: 'custom', customUrl: ' http://127.0.0.1:4010/ ' })).toBe(
			'http://127.0.0.1:4010',
		);
		expect(briHost({ environment: 'custom', customUrl: 'https://proxy.example.com/bri//' })).toBe(
			'https://proxy.example.com/bri',
		);
	});

	test('a custom URL without http(s):// is refused with a clear message', () => {
		for (const customUrl of ['', 'proxy.example.com', 'ftp://x', undefined]) {
			expect(() => briHost({ environment: 'custom', customUrl })).toThrow(
				/Custom URL must start with http/,
			);
		}
	});
});

describe('parseTokenResponse', () => {
	const OK = {
		refresh_token_expires_in: '0',
		api_product_list: '[bsb]',
		organization_name: 'bri',
		'developer.email': 'dev@example.com',
		token_type: 'BearerToken',
		issued_at: '1557891212144',
		client_id: 'my-key',
		access_token: 'R04XSUbnm1GXNmDiXx9ysWMpFWBr',
		application_name: 'app',
		scope: '',
		expires_in: '179999',
		refresh_count: '0',
		status: 'approved',
	};

	test('success with expires_in as a string', () => {
		expect(parseTokenResponse(200, OK)).toEqual({
			accessToken: 'R04XSUbnm1GXNmDiXx9ysWMpFWBr',
			expiresIn: 179999,
		});
	});

	test('success from a JSON string body and without expires_in', () => {
		expect(parseTokenResponse(200, JSON.stringify(OK)).accessToken).toBe(OK.access_token);
		expect(parseTokenResponse(200, { access_token: 'abc' })).toEqual({
			accessToken: 'abc',
			expiresIn: undefined,
		});
		expect(
			parseTokenResponse(200, { access_token: 'abc', expires_in: 'soon' }).expiresIn,
		).toBeUndefined();
	});

	test('401 with gateway code 0603 names the status, the code and what to check', () => {
		expect(() =>
			parseTokenResponse(401, { status: { code: '0603', desc: 'Client forbidden access' } }),
		).toThrow(
			/HTTP 401, 0603 Client forbidden access\): check the Consumer Key and Consumer Secret/,
		);
	});

	test('OAuth-style errors are reported too', () => {
		expect(() =>
			parseTokenResponse(401, {
				error: 'invalid_client',
				error_description: 'Invalid client credentials',
			}),
		).toThrow(/HTTP 401, Invalid client credentials/);
	});

	test('5xx means the gateway failed, not the credential', () => {
		expect(() => parseTokenResponse(503, '<html><body>Service Unavailable</body></html>')).toThrow(
			/HTTP 503\): the BRI gateway could not be reached or failed; try again later/,
		);
		expect(() =>
			parseTokenResponse(500, { status: { code: '0500', desc: 'General error' } }),
		).toThrow(/HTTP 500, 0500/);
	});

	test('a 2xx HTML page or a body without access_token is a failure', () => {
		expect(() =>
			parseTokenResponse(200, '<!DOCTYPE html><html><body>Maintenance</body></html>'),
		).toThrow(/HTTP 200\): the gateway did not return an access token/);
		expect(() => parseTokenResponse(200, { access_token: '' })).toThrow(
			/did not return an access token/,
		);
		expect(() => parseTokenResponse(200, undefined)).toThrow(/did not return an access token/);
		expect(() => parseTokenResponse(200, { access_token: 42 })).toThrow(
			/did not return an access token/,
		);
	});

	test('error messages never contain the consumer secret or the request', () => {
		const request = tokenRequest('https://h', 'my-key', SECRET);
		for (const [status, body] of [
			[401, { status: { code: '0603', desc: 'Client forbidden access' } }],
			[400, { error: 'invalid_request' }],
			[500, 'Internal error'],
			[200, '<html></html>'],
			[0, undefined],
		] as Array<[number, unknown]>) {
			let message = '';
			try {
				parseTokenResponse(status, body);
			} catch (error) {
				message = (error as Error).message;
			}
			expect(message).toMatch(/^BRI access token request failed \(HTTP \d+/);
			expect(message).not.toContain(SECRET);
			expect(message).not.toContain(encodeURIComponent(SECRET));
			expect(message).not.toContain(request.body);
		}
	});
});
