// How BSB answers are read: success, BSB's error envelope, the gateway's shape, and the
// "status unknown" family (5xx, HTML, no answer), per docs/spec-readings.md#bri-api-platform.
import {
	answerExcerpt,
	classifyAnswer,
	isTokenRefused,
	outcomeOfError,
	wantsPost,
	BsbTransport,
} from '../../../../nodes/Bri/SmartBilling/transport';
import { findEndpoint } from '../../../../nodes/Bri/SmartBilling/endpoints';

describe('classifyAnswer', () => {
	it('reads 0000 as success, also with section 6/7 samples’ "reponseCode" spelling', () => {
		expect(classifyAnswer(200, { responseCode: '0000', data: { a: 1 } })).toMatchObject({
			kind: 'ok',
		});
		expect(classifyAnswer(200, '{"reponseCode":"0000","data":{}}')).toMatchObject({ kind: 'ok' });
	});

	it('reads BSB error envelopes', () => {
		const envelope = {
			responseCode: '0012',
			responseMessage: 'Error Validation',
			errors: {
				error: 'Error Validation',
				issueAt: '2023-12-11 14:09:17',
				validationError: { amount: ['The amount field is required'] },
			},
		};
		expect(classifyAnswer(400, envelope)).toEqual({ kind: 'bsb', status: 400, envelope });
	});

	it('reads the gateway’s {status:{code,desc}} shape', () => {
		expect(classifyAnswer(401, { status: { code: '0601', desc: 'Invalid token' } })).toEqual({
			kind: 'gateway',
			status: 401,
			code: '0601',
			desc: 'Invalid token',
		});
	});

	it('treats 5xx, HTML and envelopes without a code as status unknown', () => {
		expect(classifyAnswer(503, { responseCode: '0000' })).toMatchObject({
			kind: 'unknown',
			status: 503,
			sent: true,
		});
		expect(classifyAnswer(200, '<html><body>Maintenance</body></html>')).toMatchObject({
			kind: 'unknown',
			status: 200,
		});
		expect(classifyAnswer(200, { hello: 'world' })).toMatchObject({ kind: 'unknown' });
	});
});

describe('outcomeOfError', () => {
	it('finds the HTTP answer anywhere in the cause chain', () => {
		const axiosLike = Object.assign(new Error('Request failed with status code 400'), {
			response: {
				status: 400,
				data: { responseCode: '0005', responseMessage: 'Data Already exist' },
			},
		});
		const wrapped = Object.assign(new Error('wrapped'), { cause: axiosLike });
		expect(outcomeOfError(wrapped)).toMatchObject({
			kind: 'bsb',
			status: 400,
			envelope: { responseCode: '0005' },
		});
	});

	it('knows a refused connection was never sent, and a reset one may have been', () => {
		expect(outcomeOfError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toMatchObject({
			kind: 'unknown',
			sent: false,
		});
		expect(
			outcomeOfError(Object.assign(new Error('x'), { cause: { code: 'ECONNRESET' } })),
		).toMatchObject({ kind: 'unknown', sent: true, reason: 'ECONNRESET' });
	});
});

describe('a non-JSON 4xx is a definite refusal', () => {
	const page =
		'<html><head><title>405 Method Not Allowed</title></head><body><h1>Method Not Allowed</h1></body></html>';

	it('keeps its status and a short excerpt without markup', () => {
		expect(classifyAnswer(405, page)).toEqual({
			kind: 'refused',
			status: 405,
			excerpt: '405 Method Not Allowed Method Not Allowed',
		});
		expect(classifyAnswer(404, Buffer.from('Not Found'))).toEqual({
			kind: 'refused',
			status: 404,
			excerpt: 'Not Found',
		});
		expect(classifyAnswer(403, '')).toEqual({ kind: 'refused', status: 403, excerpt: '' });
	});

	it('is still "unknown" for 5xx, and for HTML on a 2xx', () => {
		expect(classifyAnswer(502, page)).toMatchObject({ kind: 'unknown', status: 502 });
		expect(classifyAnswer(200, page)).toMatchObject({ kind: 'unknown', status: 200 });
	});

	it('reads the same through what n8n threw', () => {
		const thrown = Object.assign(new Error('Request failed with status code 405'), {
			cause: { response: { status: 405, data: page } },
		});
		expect(outcomeOfError(thrown)).toMatchObject({ kind: 'refused', status: 405 });
	});

	it('masks bearer tokens and cuts long pages', () => {
		const excerpt = answerExcerpt(
			`<p>Authorization: Bearer abc.def-123 refused</p>${'x'.repeat(500)}`,
		);
		expect(excerpt).toContain('Bearer ***');
		expect(excerpt).not.toContain('abc.def-123');
		expect(excerpt.length).toBeLessThanOrEqual(121);
	});
});

describe('which answers send Get All again as POST', () => {
	it('404, 405, gateway 0109 and non-JSON 4xx', () => {
		expect(wantsPost(classifyAnswer(405, '<html/>'))).toBe(true);
		expect(wantsPost(classifyAnswer(404, { status: { code: '0404', desc: 'x' } }))).toBe(true);
		expect(wantsPost(classifyAnswer(400, { status: { code: '0109', desc: 'x' } }))).toBe(true);
		expect(wantsPost(classifyAnswer(405, { responseCode: '0012' }))).toBe(true);
	});

	it('not a success, a 5xx, a token or signature refusal, nor a BSB 400', () => {
		expect(wantsPost(classifyAnswer(200, { responseCode: '0000' }))).toBe(false);
		expect(wantsPost(classifyAnswer(503, '<html/>'))).toBe(false);
		expect(wantsPost(classifyAnswer(401, { status: { code: '0601', desc: 'x' } }))).toBe(false);
		expect(wantsPost(classifyAnswer(400, { status: { code: '0602', desc: 'x' } }))).toBe(false);
		expect(wantsPost(classifyAnswer(400, { responseCode: '0012' }))).toBe(false);
	});
});

describe('a refused token', () => {
	it('is a gateway 0601 at any status', () => {
		expect(isTokenRefused(classifyAnswer(200, { status: { code: '0601', desc: 'x' } }))).toBe(true);
		expect(isTokenRefused(classifyAnswer(401, '{"status":{"code":"0601"}}'))).toBe(true);
		expect(isTokenRefused(classifyAnswer(400, { status: { code: '0602', desc: 'x' } }))).toBe(
			false,
		);
		expect(isTokenRefused(classifyAnswer(200, { responseCode: '0601' }))).toBe(false);
	});
});

describe('the error for a non-JSON 4xx', () => {
	it('names the status and the excerpt, as a refusal, never "status unknown"', () => {
		const node = {
			id: 'n',
			name: 'BSB',
			type: 'x',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const transport = new BsbTransport({ getNode: () => node } as never);
		const endpoint = findEndpoint('invoice', 'create')!;
		const refused = classifyAnswer(403, '<h1>Forbidden</h1>') as never;
		const error = transport.error(endpoint, refused, { itemIndex: 2 });
		expect(error.message).toBe('BRI refused the request: HTTP 403 (Forbidden)');
		expect(error.description).toContain('the request was not processed');
		expect(error.description).toContain('invoice create (POST /v1/bsb/invoice)');
		expect(error.message).not.toMatch(/unknown/i);
		const named = transport.error(endpoint, refused, { subject: 'invoice "INV-0001"' });
		expect(named.message).toBe(
			'BRI refused the request for invoice "INV-0001": HTTP 403 (Forbidden)',
		);
	});
});
