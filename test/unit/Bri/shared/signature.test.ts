// BRI-Signature recipe (docs/spec-readings.md#signature): hand-made vectors, an independent
// implementation (crypto-js) on random inputs, timestamp and path rules, constant-time check.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import CryptoJS from 'crypto-js';

import {
	briSignature,
	briTimestamp,
	signaturePayload,
	signedPath,
	verifyBriSignature,
	type SignatureInput,
} from '../../../../nodes/Bri/shared/signature';

interface Vector extends SignatureInput {
	secret: string;
	payload: string;
	signature: string;
}

const vectors = (
	JSON.parse(
		readFileSync(path.resolve(__dirname, '../../../fixtures/signature-vectors.json'), 'utf8'),
	) as { cases: Vector[] }
).cases;

/** crypto-js reads JS strings as UTF-8: an implementation that shares no code with node:crypto. */
function cryptoJsSignature(secret: string, input: SignatureInput): string {
	const payload =
		`path=${input.path}&verb=${input.verb.toUpperCase()}&token=Bearer ${input.token}` +
		`&timestamp=${input.timestamp}&body=${input.body}`;
	return CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA256(payload, secret));
}

// Seeded PRNG so a failure can be replayed.
function prng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const ALPHABETS = [
	'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
	' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\n\t',
	'éüñçßøåÆœ', // Latin-1 and beyond: two bytes in UTF-8
	'Rp 100.000 — “lunas” ✓ ₹ 円 中文 한국어', // three bytes
	'😀🏦💸🇮🇩', // four bytes (surrogate pairs)
];

function randomString(rand: () => number, max: number): string {
	const length = Math.floor(rand() * max);
	let out = '';
	for (let i = 0; i < length; i++) {
		const alphabet = Array.from(ALPHABETS[Math.floor(rand() * ALPHABETS.length)]);
		out += alphabet[Math.floor(rand() * alphabet.length)];
	}
	return out;
}

describe('briSignature against signature-vectors.json', () => {
	test('the vectors file has cases', () => {
		expect(vectors.length).toBeGreaterThanOrEqual(4);
	});

	test.each(vectors.map((v, i) => [i, v] as const))('case %i: payload and signature', (_i, v) => {
		const input: SignatureInput = {
			path: v.path,
			verb: v.verb,
			token: v.token,
			timestamp: v.timestamp,
			body: v.body,
		};
		expect(signaturePayload(input)).toBe(v.payload);
		expect(briSignature(v.secret, input)).toBe(v.signature);
		expect(cryptoJsSignature(v.secret, input)).toBe(v.signature);
		expect(verifyBriSignature(v.secret, input, v.signature)).toBe(true);
	});

	test('the token part without the space, only when asked (section 24’s worked example)', () => {
		const v = vectors[0];
		expect(signaturePayload(v, '')).toBe(v.payload.replace('&token=Bearer ', '&token=Bearer'));
		expect(signaturePayload(v, ' ')).toBe(v.payload);
	});

	test('the verb is upper-cased before signing', () => {
		const v = vectors[0];
		expect(briSignature(v.secret, { ...v, verb: v.verb.toLowerCase() })).toBe(v.signature);
	});
});

describe('briSignature against crypto-js on random inputs', () => {
	test('500 random inputs, UTF-8 included, agree', () => {
		const rand = prng(20240109);
		for (let i = 0; i < 500; i++) {
			const secret = randomString(rand, 40) || 's';
			const input: SignatureInput = {
				path: `/v1/bsb/${randomString(rand, 20)}`,
				verb: ['GET', 'POST', 'PUT', 'DELETE', 'patch'][Math.floor(rand() * 5)],
				token: randomString(rand, 40),
				timestamp: briTimestamp(new Date(Math.floor(rand() * 4102444800000))),
				body:
					rand() < 0.2
						? ''
						: JSON.stringify({ text: randomString(rand, 200), n: Math.floor(rand() * 1e9) }),
			};
			const ours = briSignature(secret, input);
			expect({ i, ours }).toEqual({ i, ours: cryptoJsSignature(secret, input) });
		}
	});

	test('a raw non-ASCII body is hashed as UTF-8, not Latin-1', () => {
		const input: SignatureInput = {
			path: '/v1/bsb/invoice',
			verb: 'POST',
			token: 't',
			timestamp: '2024-01-01T00:00:00.000Z',
			body: '{"remarks":"é ü 😀"}',
		};
		const latin1 = crypto
			.createHmac('sha256', 'k')
			.update(signaturePayload(input), 'latin1')
			.digest('base64');
		expect(briSignature('k', input)).toBe(cryptoJsSignature('k', input));
		expect(briSignature('k', input)).not.toBe(latin1);
	});
});

describe('briTimestamp', () => {
	const FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

	test('UTC with exactly three millisecond digits and Z', () => {
		expect(briTimestamp(new Date(Date.UTC(2019, 0, 2, 13, 14, 15, 678)))).toBe(
			'2019-01-02T13:14:15.678Z',
		);
		expect(briTimestamp(new Date(Date.UTC(2023, 11, 15, 15, 15, 41, 0)))).toBe(
			'2023-12-15T15:15:41.000Z',
		);
		expect(briTimestamp(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 5)))).toBe(
			'2024-02-29T23:59:59.005Z',
		);
	});

	test('defaults to now, in the same format', () => {
		const before = Date.now();
		const stamp = briTimestamp();
		expect(stamp).toMatch(FORMAT);
		expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before);
		expect(Date.parse(stamp)).toBeLessThanOrEqual(Date.now());
	});

	test('any instant keeps the format', () => {
		const rand = prng(7);
		for (let i = 0; i < 200; i++) {
			expect(briTimestamp(new Date(Math.floor(rand() * 4102444800000)))).toMatch(FORMAT);
		}
	});
});

describe('signedPath', () => {
	test.each([
		['https://sandbox.partner.api.bri.co.id/v1/bsb/invoice', '/v1/bsb/invoice'],
		[
			'https://partner.api.bri.co.id:8443/v1/bsb/invoice/getRefNum?x=1&y=2',
			'/v1/bsb/invoice/getRefNum',
		],
		['http://127.0.0.1:40123/v1/bsb/customers-group#section', '/v1/bsb/customers-group'],
		['HTTP://Example.COM/v1/bsb/Feetype?q', '/v1/bsb/Feetype'],
		['http://user:pw@host/v1/bsb/a', '/v1/bsb/a'],
		['/v1/bsb/payment?brivaNo=1', '/v1/bsb/payment'],
		['/v1/bsb/payment#f', '/v1/bsb/payment'],
		['https://host', '/'],
		['https://host?x=1', '/'],
		['https://host#top', '/'],
		['https://host/', '/'],
	])('%s → %s', (url, expected) => {
		expect(signedPath(url)).toBe(expected);
	});
});

describe('verifyBriSignature', () => {
	const v = vectors[0];
	const input: SignatureInput = {
		path: v.path,
		verb: v.verb,
		token: v.token,
		timestamp: v.timestamp,
		body: v.body,
	};

	test('accepts the right signature only', () => {
		expect(verifyBriSignature(v.secret, input, v.signature)).toBe(true);
		const flipped = (v.signature[0] === 'A' ? 'B' : 'A') + v.signature.slice(1);
		expect(verifyBriSignature(v.secret, input, flipped)).toBe(false);
		expect(verifyBriSignature('other-secret', input, v.signature)).toBe(false);
		expect(verifyBriSignature(v.secret, { ...input, body: `${input.body} ` }, v.signature)).toBe(
			false,
		);
		expect(
			verifyBriSignature(
				v.secret,
				{ ...input, timestamp: '2019-01-02T13:14:15.679Z' },
				v.signature,
			),
		).toBe(false);
	});

	test('rejects empty, oversized, truncated, padded and non-string values', () => {
		expect(verifyBriSignature(v.secret, input, '')).toBe(false);
		expect(verifyBriSignature(v.secret, input, 'A'.repeat(513))).toBe(false);
		expect(verifyBriSignature(v.secret, input, v.signature.repeat(20))).toBe(false);
		expect(verifyBriSignature(v.secret, input, v.signature.slice(0, -1))).toBe(false);
		expect(verifyBriSignature(v.secret, input, `${v.signature} `)).toBe(false);
		for (const bad of [undefined, null, 42, {}, ['x']]) {
			expect(verifyBriSignature(v.secret, input, bad as unknown as string)).toBe(false);
		}
	});

	test('compares with timingSafeEqual on equal-length buffers, whatever the input length', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		try {
			for (const received of [
				v.signature,
				'x'.repeat(v.signature.length),
				'short',
				'y'.repeat(300),
			]) {
				spy.mockClear();
				verifyBriSignature(v.secret, input, received);
				expect(spy).toHaveBeenCalledTimes(1);
				const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
				expect(a.length).toBe(b.length);
			}
			// Malformed values are turned away before any work.
			spy.mockClear();
			verifyBriSignature(v.secret, input, '');
			verifyBriSignature(v.secret, input, 'z'.repeat(1000));
			expect(spy).not.toHaveBeenCalled();
		} finally {
			spy.mockRestore();
		}
	});
});
