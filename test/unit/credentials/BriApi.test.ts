// The BRI API credential's authenticate and preAuthentication as plain functions: what they
// sign, what they send, and what their errors say. The engine tests (test/engine) run the same
// code through n8n-core against the emulator.
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { BriApi } from '../../../credentials/BriApi.credentials';
import { briSignature } from '../../../nodes/Bri/shared/signature';

const SECRET = 'consumer-secret/+=';
const TOKEN = 'R04XSUbnm1GXNmDiXx9ysWMpFWBr';
const credentials = {
	environment: 'custom',
	customUrl: 'http://127.0.0.1:4010',
	consumerKey: 'consumer-key',
	consumerSecret: SECRET,
	accessToken: TOKEN,
};

/**
 * The bytes that go on the wire for what authenticate returns, as n8n's HTTP layer
 * (@n8n/backend-network over axios) treats a body: nothing for undefined, '' or an empty object;
 * a Buffer as is. A string or an object would still be rewritten by axios after signing
 * (JSON strings trimmed, other strings quoted, objects stringified), so neither may be left.
 */
function wire(options: IHttpRequestOptions): string {
	const { body } = options;
	if (body === undefined || body === null || body === '') return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (typeof body === 'object' && Object.keys(body).length === 0) return '';
	throw new Error(`authenticate left a ${typeof body} body for the HTTP layer to re-serialize`);
}

function headersOf(options: IHttpRequestOptions): Record<string, string> {
	return options.headers as Record<string, string>;
}

function expectSigned(options: IHttpRequestOptions, path: string, verb: string, body: string) {
	const headers = headersOf(options);
	expect(headers.Authorization).toBe(`Bearer ${TOKEN}`);
	expect(headers['Content-Type']).toBe('application/json');
	expect(headers['BRI-Timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
	expect(headers['BRI-Signature']).toBe(
		briSignature(SECRET, { path, verb, token: TOKEN, timestamp: headers['BRI-Timestamp'], body }),
	);
}

describe('BriApi.authenticate', () => {
	const credential = new BriApi();

	test('signs the exact string it is given and sends that string', async () => {
		const body = '{"referenceNumCustomergroup":"GRP01","groupName":"Group One"}';
		const out = await credential.authenticate(credentials, {
			method: 'POST',
			url: 'http://127.0.0.1:4010/v1/bsb/customers-group',
			body,
		});
		expect(wire(out)).toBe(body);
		expectSigned(out, '/v1/bsb/customers-group', 'POST', body);
	});

	test('a string body is sent byte for byte, even when it is not compact JSON', async () => {
		// axios trims JSON strings and re-quotes non-JSON strings sent as application/json:
		// the credential must hand over bytes that no later layer re-serializes.
		for (const body of ['{"a":1}\n', '  {"a": 1}  ', 'not json', '"quoted"', '{"note":"é ü 😀"}']) {
			const out = await credential.authenticate(credentials, {
				method: 'PUT',
				url: 'http://h/v1/bsb/invoice',
				body,
			});
			expect(wire(out)).toBe(body);
			expectSigned(out, '/v1/bsb/invoice', 'PUT', body);
		}
	});

	test('an object body is serialized once; that same string is signed and sent', async () => {
		const object = {
			referenceNumInvoice: 'INV/1',
			amount: '10000',
			remarks: 'é ü 100%',
			nested: { a: [1, 2] },
		};
		const out = await credential.authenticate(credentials, {
			method: 'POST',
			url: 'http://h/v1/bsb/invoice',
			body: object,
		});
		expect(wire(out)).toBe(JSON.stringify(object));
		expectSigned(out, '/v1/bsb/invoice', 'POST', JSON.stringify(object));
		expect(out.json).toBe(false);
	});

	test('authenticating again (n8n retries after a token refresh) keeps the bytes', async () => {
		const object = { b: 2, a: 'x' };
		const first = await credential.authenticate(credentials, {
			method: 'POST',
			url: 'http://h/v1/bsb/customer',
			body: object,
		});
		const refreshed = { ...credentials, accessToken: 'new-token' };
		const second = await credential.authenticate(refreshed, first);
		expect(wire(second)).toBe(JSON.stringify(object));
		expect(headersOf(second).Authorization).toBe('Bearer new-token');
		expect(headersOf(second)['BRI-Signature']).toBe(
			briSignature(SECRET, {
				path: '/v1/bsb/customer',
				verb: 'POST',
				token: 'new-token',
				timestamp: headersOf(second)['BRI-Timestamp'],
				body: JSON.stringify(object),
			}),
		);
	});

	test('no body: signs body= and sends none; the verb is upper-cased', async () => {
		for (const body of [undefined, '', {}]) {
			const out = await credential.authenticate(credentials, {
				method: 'get' as IHttpRequestOptions['method'],
				url: 'http://h/v1/bsb/feetype',
				...(body === undefined ? {} : { body }),
			});
			expect(wire(out)).toBe('');
			expectSigned(out, '/v1/bsb/feetype', 'GET', '');
		}
		const noMethod = await credential.authenticate(credentials, { url: 'http://h/v1/bsb/feetype' });
		expectSigned(noMethod, '/v1/bsb/feetype', 'GET', '');
	});

	test('GET: n8n sends no body, so none is signed', async () => {
		const out = await credential.authenticate(credentials, {
			method: 'GET',
			url: 'http://h/v1/bsb/feetype',
			body: '{"x":1}',
		});
		expect(out.body).toBeUndefined();
		expectSigned(out, '/v1/bsb/feetype', 'GET', '');
	});

	test('an empty object on POST is sent and signed as {}', async () => {
		const out = await credential.authenticate(credentials, {
			method: 'POST',
			url: 'http://h/v1/bsb/invoice',
			body: {},
		});
		expect(Buffer.isBuffer(out.body) && out.body.toString('utf8')).toBe('{}');
		expectSigned(out, '/v1/bsb/invoice', 'POST', '{}');
	});

	test.each([
		[{ url: 'https://sandbox.partner.api.bri.co.id/v1/bsb/invoice?page=2#x' }, '/v1/bsb/invoice'],
		[{ url: 'http://127.0.0.1:4010/v1/bsb/payment', qs: { brivaNo: '1' } }, '/v1/bsb/payment'],
		[{ baseURL: 'http://127.0.0.1:4010', url: '/v1/bsb/invoice' }, '/v1/bsb/invoice'],
		[{ baseURL: 'http://127.0.0.1:4010/', url: '/v1/bsb/invoice' }, '/v1/bsb/invoice'],
		[{ baseURL: 'http://127.0.0.1:4010/v1/bsb', url: 'invoice?x=1' }, '/v1/bsb/invoice'],
		[
			{ baseURL: 'http://ignored.example', url: 'http://127.0.0.1:4010/v1/bsb/invoice' },
			'/v1/bsb/invoice',
		],
	])(
		'signed path of %j is %s (as the request goes out, with /v1/bsb, no query)',
		async (target, path) => {
			const out = await credential.authenticate(credentials, {
				method: 'GET',
				...target,
			} as IHttpRequestOptions);
			expectSigned(out, path, 'GET', '');
		},
	);

	test('keeps the caller’s headers and options', async () => {
		const out = await credential.authenticate(credentials, {
			method: 'POST',
			url: 'http://h/v1/bsb/invoice',
			body: '{}',
			headers: { 'X-Request-Id': 'abc', Accept: 'application/json' },
			timeout: 1234,
			returnFullResponse: true,
		});
		expect(headersOf(out)['X-Request-Id']).toBe('abc');
		expect(headersOf(out).Accept).toBe('application/json');
		expect(out.timeout).toBe(1234);
		expect(out.returnFullResponse).toBe(true);
	});
});

describe('BriApi.preAuthentication', () => {
	const credential = new BriApi();

	function helper(
		answer: (options: IHttpRequestOptions) => unknown,
	): IHttpRequestHelper & { calls: IHttpRequestOptions[] } {
		const calls: IHttpRequestOptions[] = [];
		return {
			calls,
			helpers: {
				httpRequest: (async (options: IHttpRequestOptions) => {
					calls.push(options);
					return answer(options);
				}) as IHttpRequestHelper['helpers']['httpRequest'],
			},
		};
	}

	test('asks the token endpoint with the form and returns the token', async () => {
		const h = helper(() => ({
			statusCode: 200,
			body: { access_token: 'fresh', expires_in: '179999' },
		}));
		await expect(credential.preAuthentication.call(h, credentials)).resolves.toEqual({
			accessToken: 'fresh',
		});
		expect(h.calls).toHaveLength(1);
		expect(h.calls[0].method).toBe('POST');
		expect(h.calls[0].url).toBe(
			'http://127.0.0.1:4010/oauth/client_credential/accesstoken?grant_type=client_credentials',
		);
		expect(new URLSearchParams(String(h.calls[0].body)).get('client_secret')).toBe(SECRET);
	});

	test('a rejected key names the problem and never the secret', async () => {
		const h = helper(() => ({
			statusCode: 401,
			body: { status: { code: '0603', desc: 'Client forbidden access' } },
		}));
		const error = (await credential.preAuthentication
			.call(h, credentials)
			.catch((e: unknown) => e)) as Error;
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toMatch(/0603.*Consumer Key and Consumer Secret/);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(SECRET);
	});

	test('a network error is reported without the request it carried', async () => {
		const h = helper((options) => {
			const error = Object.assign(new Error(`connect ECONNREFUSED; body ${String(options.body)}`), {
				code: 'ECONNREFUSED',
				config: options,
			});
			throw error;
		});
		const error = (await credential.preAuthentication
			.call(h, credentials)
			.catch((e: unknown) => e)) as Error;
		expect(error.message).toMatch(/ECONNREFUSED/);
		expect(error.message).toMatch(/could not be reached/);
		const serialized = JSON.stringify(error, Object.getOwnPropertyNames(error));
		expect(serialized).not.toContain(SECRET);
		expect(serialized).not.toContain(encodeURIComponent(SECRET));
		expect((error as { cause?: unknown }).cause).toBeUndefined();
	});

	test("a host refused by n8n's SSRF protection is reported as such, not as unreachable", async () => {
		const h = helper(() => {
			throw Object.assign(
				new Error('The request was blocked because it resolves to a restricted IP address'),
				{
					name: 'SsrfBlockedIpError',
					description: 'The target 127.0.0.1 is not allowed.',
				},
			);
		});
		const error = (await credential.preAuthentication
			.call(h, credentials)
			.catch((e: unknown) => e)) as Error;
		expect(error.message).toBe(
			'BRI access token request refused by n8n: The request was blocked because it resolves to a restricted IP address The target 127.0.0.1 is not allowed.',
		);
		expect(error.message).not.toContain(SECRET);
	});
});
