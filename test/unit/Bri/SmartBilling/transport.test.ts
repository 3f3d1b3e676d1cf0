// How BSB answers are read: success, BSB's error envelope, the gateway's shape, and the
// "status unknown" family (5xx, HTML, no answer), per docs/spec-readings.md#bri-api-platform.
import { classifyAnswer, outcomeOfError } from '../../../../nodes/Bri/SmartBilling/transport';

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
