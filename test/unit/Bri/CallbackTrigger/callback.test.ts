// BSB callbacks (spec sections 24–25): tokens, timestamp window, request verification,
// payload validation, output shaping and duplicate memory. Signatures in these tests are made
// with crypto-js, which shares no code with the node:crypto implementation under test.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import CryptoJS from 'crypto-js';

import {
	INVALID_PROVIDER,
	UNAUTHORIZED,
	callbackSignedPath,
	callbackTokenKey,
	checkCallbackAuth,
	checkProviderPair,
	constantTimeEqual,
	issueCallbackToken,
	parseBriTimestamp,
	publicBasePath,
	rememberTransaction,
	readPaymentCallback,
	successBody,
	timestampWithinWindow,
	validationErrorBody,
	verifyCallbackRequest,
	verifyCallbackSignature,
	verifyCallbackToken,
	type CallbackRequest,
	type CallbackVerifySettings,
} from '../../../../nodes/Bri/CallbackTrigger/callback';
import { SAMPLE } from './sample';

const NOW = Date.UTC(2024, 0, 9, 3, 0, 0, 0); // 2024-01-09T03:00:00.000Z
const TOLERANCE = 5 * 60 * 1000;
const CONSUMER_SECRET = 'consumer-secret';
const PROVIDER = { providerId: 'QwErTy123', secretKey: 'PoIuY098' };
const AUDIENCE = '6f0c2a52-webhook-id';
const TOKEN_KEY = callbackTokenKey(PROVIDER.secretKey, PROVIDER.providerId, AUDIENCE);
const CALLBACK_PATH = '/webhook/6f0c2a52/v1/payment/callback';

function cryptoJsSignature(
	secret: string,
	p: string,
	token: string,
	timestamp: string,
	body: string,
	form: { encoding?: 'base64' | 'hex'; separator?: ' ' | '' } = {},
) {
	const payload = `path=${p}&verb=POST&token=Bearer${form.separator ?? ' '}${token}&timestamp=${timestamp}&body=${body}`;
	const mac = CryptoJS.HmacSHA256(payload, secret);
	return form.encoding === 'hex'
		? CryptoJS.enc.Hex.stringify(mac)
		: CryptoJS.enc.Base64.stringify(mac);
}

function settings(overrides: Partial<CallbackVerifySettings> = {}): CallbackVerifySettings {
	return {
		tokenKey: TOKEN_KEY,
		signatureSecret: CONSUMER_SECRET,
		toleranceMs: TOLERANCE,
		maxBodyBytes: 1024 * 1024,
		now: NOW,
		...overrides,
	};
}

/** A callback as BRI would send it: token from our endpoint, body signed as sent. */
function signedCallback(
	options: {
		body?: string;
		timestamp?: string;
		token?: string;
		secret?: string;
		signedPath?: string;
		encoding?: 'base64' | 'hex';
		separator?: ' ' | '';
	} = {},
): CallbackRequest {
	const body = options.body ?? JSON.stringify(SAMPLE);
	const timestamp = options.timestamp ?? new Date(NOW).toISOString();
	const token = options.token ?? issueCallbackToken(TOKEN_KEY, 180, NOW - 10_000).accessToken;
	const signature = cryptoJsSignature(
		options.secret ?? CONSUMER_SECRET,
		options.signedPath ?? CALLBACK_PATH,
		token,
		timestamp,
		body,
		options,
	);
	return {
		method: 'POST',
		signedPath: CALLBACK_PATH,
		headers: {
			'content-type': 'application/json',
			authorization: `Bearer ${token}`,
			'bri-timestamp': timestamp,
			'bri-signature': signature,
		},
		rawBody: Buffer.from(body, 'utf8'),
	};
}

afterEach(() => jest.restoreAllMocks());

describe('constantTimeEqual', () => {
	it('compares equal and unequal strings and buffers of any length', () => {
		expect(constantTimeEqual('PoIuY098', 'PoIuY098')).toBe(true);
		expect(constantTimeEqual(Buffer.from('abc'), 'abc')).toBe(true);
		expect(constantTimeEqual('PoIuY098', 'PoIuY099')).toBe(false);
		expect(constantTimeEqual('PoIuY098', 'PoIuY0980')).toBe(false);
		expect(constantTimeEqual('', 'x')).toBe(false);
		expect(constantTimeEqual('', '')).toBe(true);
	});

	it('goes through crypto.timingSafeEqual with equal-length buffers, even for different lengths', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		constantTimeEqual('short', 'a much longer value');
		expect(spy).toHaveBeenCalledTimes(1);
		const [a, b] = spy.mock.calls[0] as unknown as [Buffer, Buffer];
		expect(a.length).toBe(32);
		expect(b.length).toBe(32);
	});
});

describe('checkProviderPair (section 24)', () => {
	it('accepts the exact pair only', () => {
		expect(checkProviderPair({ ...PROVIDER }, PROVIDER)).toBe(true);
		expect(checkProviderPair({ providerId: 'QwErTy123', secretKey: 'wrong' }, PROVIDER)).toBe(
			false,
		);
		expect(checkProviderPair({ providerId: 'wrong', secretKey: 'PoIuY098' }, PROVIDER)).toBe(false);
		expect(checkProviderPair({ providerId: 'qwerty123', secretKey: 'PoIuY098' }, PROVIDER)).toBe(
			false,
		);
		expect(checkProviderPair({ providerId: 'QwErTy123' }, PROVIDER)).toBe(false);
		expect(checkProviderPair({ providerId: 123, secretKey: 'PoIuY098' }, PROVIDER)).toBe(false);
		expect(checkProviderPair(undefined, PROVIDER)).toBe(false);
		expect(checkProviderPair([PROVIDER], PROVIDER)).toBe(false);
	});

	it('never accepts when the credential holds empty values', () => {
		const empty = { providerId: '', secretKey: '' };
		expect(checkProviderPair({ providerId: '', secretKey: '' }, empty)).toBe(false);
		expect(checkProviderPair({}, empty)).toBe(false);
	});

	it('always runs both comparisons in constant time, so timing does not say which half failed', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		checkProviderPair({ providerId: 'wrong', secretKey: 'wrong' }, PROVIDER);
		expect(spy).toHaveBeenCalledTimes(2);
	});

	it('has the spec answer for a wrong pair', () => {
		expect(INVALID_PROVIDER).toEqual({
			responseCode: '01',
			responseMessage: 'Invalid providerId or secretKey',
		});
	});
});

describe('callback access tokens', () => {
	const NONCE = Buffer.alloc(16, 7);

	it('are `<expiry>.<nonce>.<mac>` in base64url, with expiredIn as a string', () => {
		const token = issueCallbackToken(TOKEN_KEY, 180, NOW, NONCE);
		expect(token.accessToken).toMatch(/^\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
		expect(token.expiredIn).toBe('180');
		expect(token.expiresAt).toBe(NOW / 1000 + 180);
		const [expiry, nonce, mac] = token.accessToken.split('.');
		expect(expiry).toBe(String(NOW / 1000 + 180));
		expect(nonce).toBe(NONCE.toString('base64url'));
		const expected = CryptoJS.HmacSHA256(
			`${expiry}.${nonce}`,
			CryptoJS.enc.Hex.parse(TOKEN_KEY.toString('hex')),
		)
			.toString(CryptoJS.enc.Base64)
			.replace(/\+/g, '-')
			.replace(/\//g, '_')
			.replace(/=+$/, '');
		expect(mac).toBe(expected);
	});

	it('differ on every issue (random nonce) and need no storage to verify', () => {
		const a = issueCallbackToken(TOKEN_KEY, 180, NOW).accessToken;
		const b = issueCallbackToken(TOKEN_KEY, 180, NOW).accessToken;
		expect(a).not.toBe(b);
		expect(verifyCallbackToken(TOKEN_KEY, a, NOW)).toEqual({ ok: true });
		expect(verifyCallbackToken(TOKEN_KEY, b, NOW)).toEqual({ ok: true });
	});

	it('expire at expiry: valid one millisecond before, refused at and after', () => {
		const { accessToken, expiresAt } = issueCallbackToken(TOKEN_KEY, 180, NOW, NONCE);
		expect(verifyCallbackToken(TOKEN_KEY, accessToken, expiresAt * 1000 - 1)).toEqual({ ok: true });
		expect(verifyCallbackToken(TOKEN_KEY, accessToken, expiresAt * 1000)).toEqual({
			ok: false,
			reason: 'expired token',
		});
		expect(verifyCallbackToken(TOKEN_KEY, accessToken, expiresAt * 1000 + 3_600_000).ok).toBe(
			false,
		);
	});

	it('refuse forged tokens: changed MAC, extended expiry, changed nonce', () => {
		const { accessToken } = issueCallbackToken(TOKEN_KEY, 180, NOW, NONCE);
		const [expiry, nonce, mac] = accessToken.split('.');
		const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
		expect(verifyCallbackToken(TOKEN_KEY, `${expiry}.${nonce}.${flip(mac)}`, NOW)).toEqual({
			ok: false,
			reason: 'forged token',
		});
		expect(
			verifyCallbackToken(TOKEN_KEY, `${Number(expiry) + 86400}.${nonce}.${mac}`, NOW).ok,
		).toBe(false);
		expect(verifyCallbackToken(TOKEN_KEY, `${expiry}.${flip(nonce)}.${mac}`, NOW).ok).toBe(false);
	});

	it('refuse tokens signed with another secret key, another provider or for another trigger', () => {
		const others = [
			callbackTokenKey('another-secret', PROVIDER.providerId, AUDIENCE),
			callbackTokenKey(PROVIDER.secretKey, 'another-provider', AUDIENCE),
			callbackTokenKey(PROVIDER.secretKey, PROVIDER.providerId, 'another-webhook-id'),
		];
		for (const key of others) {
			const { accessToken } = issueCallbackToken(key, 180, NOW);
			expect(verifyCallbackToken(TOKEN_KEY, accessToken, NOW)).toEqual({
				ok: false,
				reason: 'forged token',
			});
		}
	});

	it('refuse malformed tokens', () => {
		for (const token of [
			'',
			'lfbo1985ujlnbviovQOUB12oifnfiqIO',
			'a.b.c',
			'1.2.3.4',
			`x${'.'.repeat(2)}`,
		]) {
			expect(verifyCallbackToken(TOKEN_KEY, token, NOW)).toEqual({
				ok: false,
				reason: 'malformed token',
			});
		}
	});

	it('compare the MAC with crypto.timingSafeEqual', () => {
		const { accessToken } = issueCallbackToken(TOKEN_KEY, 180, NOW);
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		verifyCallbackToken(TOKEN_KEY, accessToken, NOW);
		expect(spy).toHaveBeenCalledTimes(1);
	});
});

describe('BRI-Timestamp', () => {
	it('parses the spec format and tolerated variants', () => {
		expect(parseBriTimestamp('2019-01-02T13:14:15.678Z')).toBe(
			Date.UTC(2019, 0, 2, 13, 14, 15, 678),
		);
		expect(parseBriTimestamp('2019-01-02T13:14:15Z')).toBe(Date.UTC(2019, 0, 2, 13, 14, 15));
		expect(parseBriTimestamp('2019-01-02T13:14:15.6789Z')).toBe(
			Date.UTC(2019, 0, 2, 13, 14, 15, 678),
		);
		expect(parseBriTimestamp('2019-01-02T20:14:15.678+07:00')).toBe(
			Date.UTC(2019, 0, 2, 13, 14, 15, 678),
		);
		expect(parseBriTimestamp('2019-01-02T13:14:15.678+00:00')).toBe(
			Date.UTC(2019, 0, 2, 13, 14, 15, 678),
		);
	});

	it('refuses what is not an instant', () => {
		for (const value of [
			'',
			'2019-01-02 13:14:15',
			'2019-01-02T13:14:15.678', // no zone
			'2024-02-30T00:00:00.000Z', // no such day
			'2024-01-09T24:00:00.000Z',
			'2024-01-09T03:60:00.000Z',
			'1704769200000',
			'Tue, 09 Jan 2024 03:00:00 GMT',
		]) {
			expect(parseBriTimestamp(value)).toBeUndefined();
		}
	});

	it('allows clock skew up to the tolerance both ways, edges included', () => {
		const at = (ms: number) => new Date(NOW + ms).toISOString();
		expect(timestampWithinWindow(at(0), NOW, TOLERANCE)).toBe(true);
		expect(timestampWithinWindow(at(-TOLERANCE), NOW, TOLERANCE)).toBe(true); // BRI's clock behind
		expect(timestampWithinWindow(at(TOLERANCE), NOW, TOLERANCE)).toBe(true); // BRI's clock ahead
		expect(timestampWithinWindow(at(-TOLERANCE - 1), NOW, TOLERANCE)).toBe(false);
		expect(timestampWithinWindow(at(TOLERANCE + 1), NOW, TOLERANCE)).toBe(false);
		expect(timestampWithinWindow(at(1), NOW, 0)).toBe(false);
		expect(timestampWithinWindow(at(0), NOW, 0)).toBe(true);
		expect(timestampWithinWindow('garbage', NOW, TOLERANCE)).toBe(false);
	});
});

describe('verifyCallbackSignature', () => {
	const vectors = (
		JSON.parse(
			readFileSync(path.resolve(__dirname, '../../../fixtures/signature-vectors.json'), 'utf8'),
		) as {
			cases: Array<{
				secret: string;
				path: string;
				token: string;
				timestamp: string;
				body: string;
				signature: string;
			}>;
		}
	).cases;

	it('checks signature-vectors case 4 (a callback, non-ASCII body) over the raw bytes', () => {
		const v = vectors[3];
		expect(v.path).toContain('/payment/callback');
		const raw = Buffer.from(v.body, 'utf8');
		const headers = { token: v.token, timestamp: v.timestamp, signature: v.signature };
		expect(verifyCallbackSignature(v.secret, v.path, headers, raw)).toBe(true);
		expect(verifyCallbackSignature('consumer-secret', v.path, headers, raw)).toBe(false);
		expect(verifyCallbackSignature(v.secret, '/v1/payment/callback', headers, raw)).toBe(false);
		expect(
			verifyCallbackSignature(v.secret, v.path, { ...headers, token: `${v.token}x` }, raw),
		).toBe(false);
		expect(
			verifyCallbackSignature(
				v.secret,
				v.path,
				{ ...headers, timestamp: '2024-01-09T03:00:00.001Z' },
				raw,
			),
		).toBe(false);
	});

	it('refuses the body changed by one byte, and bytes that are not UTF-8', () => {
		const v = vectors[3];
		const headers = { token: v.token, timestamp: v.timestamp, signature: v.signature };
		const raw = Buffer.from(v.body, 'utf8');
		for (let i = 0; i < raw.length; i += 7) {
			const changed = Buffer.from(raw);
			changed[i] ^= 0x01;
			expect(verifyCallbackSignature(v.secret, v.path, headers, changed)).toBe(false);
		}
		// é as Latin-1 (0xE9) instead of UTF-8 (0xC3 0xA9): not what was signed, and not UTF-8.
		const latin1 = Buffer.from(v.body, 'latin1');
		expect(verifyCallbackSignature(v.secret, v.path, headers, latin1)).toBe(false);
	});

	it('compares signatures with crypto.timingSafeEqual', () => {
		const v = vectors[3];
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		verifyCallbackSignature(
			v.secret,
			v.path,
			{ token: v.token, timestamp: v.timestamp, signature: v.signature },
			Buffer.from(v.body),
		);
		expect(spy).toHaveBeenCalled();
	});
});

describe('verifyCallbackRequest (section 25)', () => {
	it('accepts a callback BRI signed with the Consumer Secret', () => {
		const verdict = verifyCallbackRequest(signedCallback(), settings());
		expect(verdict).toEqual({ ok: true, body: SAMPLE, callback: readPaymentCallback(SAMPLE) });
		expect(verdict.ok && verdict.callback.warnings).toEqual([]);
	});

	it('accepts the Callback Secret Key as HMAC key when set so, and refuses the other one', () => {
		const request = signedCallback({ secret: PROVIDER.secretKey });
		expect(
			verifyCallbackRequest(request, settings({ signatureSecret: PROVIDER.secretKey })).ok,
		).toBe(true);
		expect(verifyCallbackRequest(request, settings()).ok).toBe(false);
	});

	it('signs the path it is told: as received, or the public path behind a proxy', () => {
		const request = signedCallback({ signedPath: '/bri/v1/payment/callback' });
		expect(verifyCallbackRequest(request, settings()).ok).toBe(false);
		expect(
			verifyCallbackRequest({ ...request, signedPath: '/bri/v1/payment/callback' }, settings()).ok,
		).toBe(true);
	});

	it('accepts a non-ASCII body signed as UTF-8', () => {
		const body = JSON.stringify({ ...SAMPLE, additionalInfo: 'é ü 100% 付款' });
		expect(verifyCallbackRequest(signedCallback({ body }), settings()).ok).toBe(true);
	});

	it('accepts the HMAC in hex (the header tables’ length 64) as well as Base64', () => {
		const hex = signedCallback({ encoding: 'hex' });
		expect(String(hex.headers['bri-signature'])).toMatch(/^[0-9a-f]{64}$/);
		expect(verifyCallbackRequest(hex, settings()).ok).toBe(true);
		const upper = withHeader(
			hex,
			'bri-signature',
			String(hex.headers['bri-signature']).toUpperCase(),
		);
		expect(verifyCallbackRequest(upper, settings()).ok).toBe(true);
	});

	it('accepts the token part written `Bearer<token>` (section 24’s worked example), in either encoding', () => {
		for (const encoding of ['base64', 'hex'] as const) {
			const request = signedCallback({ separator: '', encoding });
			expect(verifyCallbackRequest(request, settings()).ok).toBe(true);
		}
	});

	it('loosens nothing else: other encodings, other keys, other bytes stay refused', () => {
		const good = signedCallback();
		const base64 = String(good.headers['bri-signature']);
		const digest = Buffer.from(base64, 'base64');
		const variants = [
			base64.replace(/=$/, ''), // unpadded
			digest.toString('base64url'),
			digest.toString('hex').slice(0, 63),
			`${digest.toString('hex')}00`,
			digest.subarray(0, 31).toString('base64'),
			` ${base64}`,
		];
		for (const signature of variants) {
			expect(
				verifyCallbackRequest(withHeader(good, 'bri-signature', signature), settings()),
			).toMatchObject({
				ok: false,
				status: 401,
				reason: 'BRI-Signature does not match',
			});
		}
		for (const separator of [' ', ''] as const) {
			for (const encoding of ['base64', 'hex'] as const) {
				const other = signedCallback({ secret: 'not-the-secret', separator, encoding });
				expect(verifyCallbackRequest(other, settings()).ok).toBe(false);
				const twoSpaces = signedCallback({ token: undefined, encoding });
				const t = String(twoSpaces.headers.authorization).slice('Bearer '.length);
				const ts = String(twoSpaces.headers['bri-timestamp']);
				const body = (twoSpaces.rawBody as Buffer).toString('utf8');
				const payload = `path=${CALLBACK_PATH}&verb=POST&token=Bearer  ${t}&timestamp=${ts}&body=${body}`;
				const mac = CryptoJS.HmacSHA256(payload, CONSUMER_SECRET);
				const sig =
					encoding === 'hex' ? CryptoJS.enc.Hex.stringify(mac) : CryptoJS.enc.Base64.stringify(mac);
				expect(
					verifyCallbackRequest(withHeader(twoSpaces, 'bri-signature', sig), settings()).ok,
				).toBe(false);
			}
		}
	});

	it('signs /{version}/payment/callback under a Public Base Path, `/` being the domain root', () => {
		expect(publicBasePath('')).toBeNull();
		expect(publicBasePath('   ')).toBeNull();
		expect(publicBasePath(undefined)).toBeNull();
		expect(publicBasePath('/')).toBe('');
		expect(publicBasePath(' // ')).toBe('');
		expect(publicBasePath('/bri/')).toBe('/bri');
		expect(publicBasePath('bri')).toBe('/bri');
		const received = '/webhook/6f0c2a52/v1/payment/callback?x=1';
		expect(callbackSignedPath(null, 'v1', received)).toBe('/webhook/6f0c2a52/v1/payment/callback');
		expect(callbackSignedPath('', 'v1', received)).toBe('/v1/payment/callback');
		expect(callbackSignedPath('/bri', 'v2', received)).toBe('/bri/v2/payment/callback');

		const atRoot = signedCallback({ signedPath: '/v1/payment/callback' });
		expect(verifyCallbackRequest(atRoot, settings()).ok).toBe(false);
		const signedPath = callbackSignedPath(publicBasePath('/'), 'v1', CALLBACK_PATH);
		expect(verifyCallbackRequest({ ...atRoot, signedPath }, settings()).ok).toBe(true);
	});

	const unauthorizedCases: Array<[string, () => CallbackRequest]> = [
		['no Authorization header', () => withoutHeader(signedCallback(), 'authorization')],
		['no BRI-Timestamp header', () => withoutHeader(signedCallback(), 'bri-timestamp')],
		['no BRI-Signature header', () => withoutHeader(signedCallback(), 'bri-signature')],
		['an empty BRI-Signature', () => withHeader(signedCallback(), 'bri-signature', '')],
		[
			'a repeated BRI-Signature header',
			() => withHeader(signedCallback(), 'bri-signature', ['a', 'b']),
		],
		[
			'a Basic Authorization',
			() => withHeader(signedCallback(), 'authorization', 'Basic dXNlcjpwYXNz'),
		],
		['"Bearer" with no token', () => withHeader(signedCallback(), 'authorization', 'Bearer ')],
		[
			'a token not issued by us',
			() => signedCallback({ token: 'lfbo1985ujlnbviovQOUB12oifnfiqIO' }),
		],
		[
			'an expired token',
			() =>
				signedCallback({ token: issueCallbackToken(TOKEN_KEY, 180, NOW - 181_000).accessToken }),
		],
		[
			'a token signed with another secret key',
			() =>
				signedCallback({
					token: issueCallbackToken(
						callbackTokenKey('other', PROVIDER.providerId, AUDIENCE),
						180,
						NOW,
					).accessToken,
				}),
		],
		[
			'a stale timestamp',
			() => signedCallback({ timestamp: new Date(NOW - TOLERANCE - 1).toISOString() }),
		],
		[
			'a future timestamp',
			() => signedCallback({ timestamp: new Date(NOW + TOLERANCE + 1).toISOString() }),
		],
		['a timestamp without zone', () => signedCallback({ timestamp: '2024-01-09T03:00:00.000' })],
		['a wrong signature', () => withHeader(signedCallback(), 'bri-signature', 'AAAA')],
		[
			'a signature made with another secret',
			() => signedCallback({ secret: 'not-the-consumer-secret' }),
		],
		[
			'the body changed after signing (one byte)',
			() => {
				const request = signedCallback();
				const raw = Buffer.from(request.rawBody as Buffer);
				raw[raw.indexOf('20050')] = '3'.charCodeAt(0);
				return { ...request, rawBody: raw };
			},
		],
		['a GET', () => ({ ...signedCallback(), method: 'GET' })],
		[
			'malformed JSON without a valid token (authentication comes first)',
			() => ({ ...withoutHeader(signedCallback({ body: '{"brivaNo":' }), 'authorization') }),
		],
	];

	it.each(unauthorizedCases)('refuses %s with HTTP 401 / 0004', (_name, make) => {
		const verdict = verifyCallbackRequest(make(), settings());
		expect(verdict).toMatchObject({ ok: false, status: 401, body: UNAUTHORIZED });
		expect(UNAUTHORIZED).toEqual({ responseCode: '0004', responseMessage: 'Unauthorized' });
	});

	it('names the failed check in a reason that holds no secret', () => {
		const request = signedCallback();
		const token = String(request.headers.authorization).slice('Bearer '.length);
		const verdicts = [
			verifyCallbackRequest(withoutHeader(request, 'authorization'), settings()),
			verifyCallbackRequest(withHeader(request, 'bri-signature', 'AAAA'), settings()),
			verifyCallbackRequest(request, settings({ now: NOW + 3_600_000 })),
		];
		expect(verdicts.map((v) => (v.ok ? '' : v.reason))).toEqual([
			'missing Authorization header',
			'BRI-Signature does not match',
			'expired token',
		]);
		for (const v of verdicts) {
			const text = JSON.stringify(v);
			expect(text).not.toContain(token);
			expect(text).not.toContain(CONSUMER_SECRET);
			expect(text).not.toContain(String(request.headers['bri-signature']));
		}
	});

	it('answers malformed JSON (signed) with HTTP 400 / 0012 and a validationError', () => {
		for (const body of ['{"brivaNo":"1061', '', 'brivaNo=106100200000130']) {
			const verdict = verifyCallbackRequest(signedCallback({ body }), settings());
			expect(verdict).toMatchObject({
				ok: false,
				status: 400,
				reason: 'malformed JSON',
				body: {
					responseCode: '0012',
					responseMessage: 'Error Validation',
					errors: { validationError: { body: ['must be JSON'] } },
				},
			});
		}
	});

	it('accepts an authenticated payment whatever its fields say, with warnings instead of a 400', () => {
		const { transactionID: _t, ...rest } = SAMPLE;
		const body = JSON.stringify({
			...rest,
			invoice: [{ ...SAMPLE.invoice[0], amount: undefined }],
		});
		const verdict = verifyCallbackRequest(signedCallback({ body }), settings());
		expect(verdict.ok).toBe(true);
		if (!verdict.ok) return;
		expect(verdict.body).toEqual(JSON.parse(body));
		expect(verdict.callback.warnings[0]).toMatch(/^transactionID is missing/);
		expect(verdict.callback.invoiceWarnings[0][0]).toMatch(/^invoice\[0\]\.amount is missing/);
		// Any JSON at all, once signed: a payment that happened is never refused.
		for (const other of ['[]', '"paid"', '12', 'null']) {
			const v = verifyCallbackRequest(signedCallback({ body: other }), settings());
			expect(v).toMatchObject({ ok: true, body: JSON.parse(other) });
		}
	});

	it('answers an oversized body with HTTP 400 / 0012, whether measured here or by the caller', () => {
		const request = signedCallback();
		const size = (request.rawBody as Buffer).length;
		const tooSmall = settings({ maxBodyBytes: size - 1 });
		expect(verifyCallbackRequest(request, tooSmall)).toMatchObject({
			status: 400,
			body: {
				responseCode: '0012',
				errors: { validationError: { body: [`must be at most ${size - 1} bytes`] } },
			},
		});
		expect(verifyCallbackRequest(request, settings({ maxBodyBytes: size })).ok).toBe(true);
		expect(
			verifyCallbackRequest({ ...request, rawBody: undefined, bodyTooLarge: true }, settings()),
		).toMatchObject({
			status: 400,
		});
	});

	it('checkCallbackAuth needs no body', () => {
		const { rawBody: _r, ...headersOnly } = signedCallback();
		expect(checkCallbackAuth(headersOnly, settings()).ok).toBe(true);
		expect(
			checkCallbackAuth(withoutHeader(signedCallback(), 'bri-timestamp'), settings()),
		).toMatchObject({
			ok: false,
			status: 401,
			reason: 'missing BRI-Timestamp header',
		});
	});
});

function withoutHeader(request: CallbackRequest, name: string): CallbackRequest {
	const headers = { ...request.headers };
	delete headers[name];
	return { ...request, headers };
}

function withHeader(
	request: CallbackRequest,
	name: string,
	value: string | string[],
): CallbackRequest {
	return { ...request, headers: { ...request.headers, [name]: value } };
}

describe('rememberTransaction', () => {
	it('reports a transactionID seen before', () => {
		const first = rememberTransaction(undefined, 'T1', 3);
		expect(first).toEqual({ duplicate: false, memory: { ids: ['T1'] } });
		expect(rememberTransaction(first.memory, 'T1', 3).duplicate).toBe(true);
		expect(rememberTransaction(first.memory, 'T2', 3)).toEqual({
			duplicate: false,
			memory: { ids: ['T1', 'T2'] },
		});
	});

	it('keeps at most `capacity` IDs, forgetting the oldest first', () => {
		let memory: unknown;
		for (const id of ['T1', 'T2', 'T3', 'T4']) memory = rememberTransaction(memory, id, 3).memory;
		expect(memory).toEqual({ ids: ['T2', 'T3', 'T4'] });
		expect(rememberTransaction(memory, 'T1', 3).duplicate).toBe(false);
		expect(rememberTransaction(memory, 'T4', 3).duplicate).toBe(true);
		expect(rememberTransaction({ ids: ['a', 'b', 'c', 'd'] }, 'e', 2).memory).toEqual({
			ids: ['d', 'e'],
		});
	});

	it('is pure and survives damaged static data', () => {
		const memory = { ids: ['T1'] };
		rememberTransaction(memory, 'T2', 10);
		expect(memory).toEqual({ ids: ['T1'] });
		expect(rememberTransaction('garbage', 'T1', 10)).toEqual({
			duplicate: false,
			memory: { ids: ['T1'] },
		});
		expect(rememberTransaction({ ids: [1, 'T1', null] }, 'T1', 10).duplicate).toBe(true);
		expect(rememberTransaction(undefined, 'T1', 0).memory).toEqual({ ids: ['T1'] });
	});
});

describe('answer bodies', () => {
	it('success echoes the payload (section 25 normal response)', () => {
		expect(successBody(SAMPLE)).toEqual({
			responseCode: '0000',
			responseMessage: 'Success',
			data: SAMPLE,
		});
	});

	it('validation errors use BSB’s envelope', () => {
		expect(validationErrorBody({ brivaNo: ['is required'] }, NOW)).toEqual({
			responseCode: '0012',
			responseMessage: 'Error Validation',
			errors: {
				error: 'Error Validation',
				issueAt: '2024-01-09T03:00:00.000Z',
				validationError: { brivaNo: ['is required'] },
			},
		});
	});
});
