// The BSB emulator's alternative readings of the spec (emulator/bsb/readings.js,
// docs/spec-readings.md), each over real HTTP on 127.0.0.1. Requests and callback signatures are
// checked with crypto-js, which shares no code with the emulator's node:crypto signing.
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import CryptoJS from 'crypto-js';

import { type Partner, type Received, startPartner } from './partner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startBsbEmulator, DEMO, READINGS } = require('../../../emulator/bsb');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exponentForm, parseReadings } = require('../../../emulator/bsb/readings');

type Json = Record<string, any>;
const EMULATOR_CLI = path.resolve(__dirname, '../../../emulator/index.js');
const BRIVA = '106107185000001'; // seeded: CUST001, invoices INV-2024-0001 and -0002
const TOKEN = 'lfbo1985ujlnbviovQOUB12oifnfiqIO';

function hmac(
	secret: string,
	p: string,
	verb: string,
	tokenPart: string,
	ts: string,
	body: string,
) {
	return CryptoJS.HmacSHA256(
		`path=${p}&verb=${verb}&token=${tokenPart}&timestamp=${ts}&body=${body}`,
		secret,
	);
}

async function bearer(url: string): Promise<string> {
	const res = await fetch(
		`${url}/oauth/client_credential/accesstoken?grant_type=client_credentials`,
		{
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_id: DEMO.consumerKey,
				client_secret: DEMO.consumerSecret,
			}),
		},
	);
	return ((await res.json()) as Json).access_token;
}

/** One signed BSB call, as a partner makes it. */
async function call(url: string, token: string, method: 'GET' | 'POST', p: string, body = '') {
	const timestamp = new Date().toISOString();
	const signature = CryptoJS.enc.Base64.stringify(
		hmac(DEMO.consumerSecret, `/v1/bsb${p}`, method, `Bearer ${token}`, timestamp, body),
	);
	const res = await fetch(`${url}/v1/bsb${p}`, {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			'BRI-Timestamp': timestamp,
			'BRI-Signature': signature,
			'Content-Type': 'application/json',
		},
		body: method === 'GET' ? undefined : body,
	});
	const text = await res.text();
	let json: Json | undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

describe('BSB emulator readings', () => {
	let emu: Json;
	let token = '';

	beforeAll(async () => {
		emu = await startBsbEmulator({ port: 0, quiet: true });
	});
	afterAll(async () => await emu.close());
	beforeEach(async () => {
		emu.reset({ seed: true, knobs: true });
		token = await bearer(emu.url);
	});

	describe('the knob', () => {
		it('takes a list or a comma-separated string, `all`, and refuses unknown names', () => {
			expect(parseReadings('getAllPostOnly, token0601At200')).toEqual([
				'getAllPostOnly',
				'token0601At200',
			]);
			expect(parseReadings(['callbackHexSignature'])).toEqual(['callbackHexSignature']);
			expect(parseReadings('all')).toEqual(Object.keys(READINGS));
			expect(parseReadings(undefined)).toEqual([]);
			expect(() => parseReadings('getAllPostOnly,bogus')).toThrow(/unknown reading: bogus/);
			expect(() => emu.configure({ readings: ['bogus'] })).toThrow(/unknown reading/);
			expect(emu.config.readings).toEqual([]);
		});

		it('is set at start, by configure(), and over /_emulator/readings; reset({knobs}) clears it', async () => {
			const other = await startBsbEmulator({ port: 0, readings: 'callbackProxyRoot' });
			expect(other.config.readings).toEqual(['callbackProxyRoot']);
			await other.close();

			emu.configure({ readings: 'token0601At200' });
			const listed = await (await fetch(`${emu.url}/_emulator/readings`)).json();
			expect(listed).toEqual({ on: ['token0601At200'], known: READINGS });
			const set = await fetch(`${emu.url}/_emulator/readings`, {
				method: 'POST',
				body: JSON.stringify({ readings: ['getAllPostOnly', 'callbackHexSignature'] }),
			});
			expect(await set.json()).toEqual({ on: ['getAllPostOnly', 'callbackHexSignature'] });
			expect(emu.config.readings).toEqual(['getAllPostOnly', 'callbackHexSignature']);
			const bad = await fetch(`${emu.url}/_emulator/readings`, {
				method: 'POST',
				body: JSON.stringify({ readings: ['nope'] }),
			});
			expect(bad.status).toBe(400);
			expect(emu.config.readings).toEqual(['getAllPostOnly', 'callbackHexSignature']);
			emu.reset({ knobs: true });
			expect(emu.config.readings).toEqual([]);
		});

		it('the CLI lists every reading in --help and refuses an unknown one', () => {
			const help = spawnSync(process.execPath, [EMULATOR_CLI, '--help'], { encoding: 'utf8' });
			expect(help.status).toBe(0);
			for (const name of Object.keys(READINGS)) expect(help.stdout).toContain(name);
			const bad = spawnSync(
				process.execPath,
				[EMULATOR_CLI, '--bsb-port', '0', '--catapa-port', '0', '--readings', 'bogus'],
				{ encoding: 'utf8', timeout: 10_000 },
			);
			expect(bad.status).toBe(1);
			expect(bad.stderr).toMatch(/unknown reading: bogus/);
		});
	});

	describe('sections 5, 7, 9: getAllPostOnly', () => {
		it('answers GET with a non-JSON 405 and a body-less POST with the list', async () => {
			for (const p of ['/customers', '/customers-group', '/feetype']) {
				expect((await call(emu.url, token, 'GET', p)).json?.responseCode).toBe('0000');
			}
			emu.configure({ readings: ['getAllPostOnly'] });
			for (const p of ['/customers', '/customers-group', '/feetype']) {
				const get = await call(emu.url, token, 'GET', p);
				expect(get.status).toBe(405);
				expect(get.contentType).toMatch(/^text\/html/);
				expect(get.json).toBeUndefined();
				const post = await call(emu.url, token, 'POST', p);
				expect(post.status).toBe(200);
				expect(post.json).toMatchObject({ responseCode: '0000', totalCount: expect.any(String) });
				expect(Number(post.json!.totalCount)).toBeGreaterThan(0);
			}
			// A bad token is still the gateway's 0601 first.
			expect((await call(emu.url, 'unknown', 'GET', '/customers')).status).toBe(401);
		});
	});

	describe('section 5: token0601At200', () => {
		const refused = { status: { code: '0601', desc: 'Invalid token' } };

		it('answers a refused token with HTTP 200 and the gateway envelope', async () => {
			expect(await call(emu.url, 'unknown', 'GET', '/feetype')).toMatchObject({ status: 401 });
			emu.configure({ readings: ['token0601At200'] });
			expect(await call(emu.url, 'unknown', 'GET', '/feetype')).toMatchObject({
				status: 200,
				json: refused,
			});
			emu.expireTokens();
			expect(await call(emu.url, token, 'GET', '/feetype')).toMatchObject({
				status: 200,
				json: refused,
			});
			// A new token works again: nothing else changes.
			const fresh = await bearer(emu.url);
			expect((await call(emu.url, fresh, 'GET', '/feetype')).json?.responseCode).toBe('0000');
			emu.configure({ token0601Rate: 1 });
			expect(await call(emu.url, fresh, 'GET', '/feetype')).toMatchObject({
				status: 200,
				json: refused,
			});
			expect(emu.stats().rejected['0601']).toBe(4);
		});

		it('expire-tokens {afterCalls} refuses every token midway through a run', async () => {
			emu.configure({ readings: ['token0601At200'] });
			const set = await fetch(`${emu.url}/_emulator/expire-tokens`, {
				method: 'POST',
				body: JSON.stringify({ afterCalls: 2 }),
			});
			expect(await set.json()).toEqual({ expiresAfterCalls: 2 });
			const answers = [];
			for (let i = 0; i < 4; i++) answers.push(await call(emu.url, token, 'GET', '/feetype'));
			expect(answers.map((a) => a.json?.responseCode ?? a.json?.status?.code)).toEqual([
				'0000',
				'0000',
				'0601',
				'0601',
			]);
			expect(answers.every((a) => a.status === 200)).toBe(true);
			expect(() => emu.expireTokensLater({ afterCalls: -1 })).toThrow(/afterCalls/);
		});
	});

	describe('section 12: paymentExponentAmounts', () => {
		it('exponentForm prints 6 significant digits and a two-digit signed exponent, as the sample', () => {
			expect(exponentForm('500006000')).toBe('5.00006e+08');
			expect(exponentForm('1234567')).toBe('1.23457e+06'); // rounded, as a float print would
			expect(exponentForm('20050')).toBe('2.005e+04');
			expect(exponentForm(1000000)).toBe('1e+06');
			expect(exponentForm('7')).toBe('7e+00');
			expect(exponentForm('0')).toBe('0');
			expect(exponentForm('')).toBe('');
			expect(exponentForm('10000;3000')).toBe('10000;3000');
		});

		it('writes Payment Get by Invoice’s paymentAmount in exponent form', async () => {
			await emu.pay({ brivaNo: BRIVA, invoices: ['INV-2024-0001'], amount: 812345 });
			const body = JSON.stringify({ referenceNumInvoice: 'INV-2024-0001' });
			const plain = await call(emu.url, token, 'POST', '/payment/getRefNum', body);
			expect(plain.json!.data[0].paymentAmount).toBe('812345');
			emu.configure({ readings: ['paymentExponentAmounts'] });
			const exp = await call(emu.url, token, 'POST', '/payment/getRefNum', body);
			expect(exp.json!.data[0].paymentAmount).toBe('8.12345e+05');
			expect(exp.json!.data[0]).toEqual({ ...plain.json!.data[0], paymentAmount: '8.12345e+05' });
		});
	});

	describe('section 25: callbacks', () => {
		let partner: Partner;
		let partnerUrl = '';
		let got: Received[] = [];

		beforeAll(async () => {
			partner = await startPartner((request, res) =>
				res.end(
					request.path.endsWith('/access-token')
						? JSON.stringify({ responseCode: '00', accessToken: TOKEN, expiredIn: '180' })
						: JSON.stringify({ responseCode: '0000', responseMessage: 'Success' }),
				),
			);
			partnerUrl = partner.url;
			got = partner.got;
		});
		afterAll(async () => await partner.close());

		/** Pays INV-2024-0001 in full (a large amount, so rounding shows) and returns the callback. */
		async function payWith(readings: string[], amount?: number) {
			got.length = 0;
			emu.configure({ readings, callback: { baseUrl: `${partnerUrl}/webhook/abc` } });
			const rec = await emu.pay({ brivaNo: BRIVA, invoices: ['INV-2024-0001'], amount });
			expect(rec.responseCode).toBe('0000');
			const cb = got[1];
			expect(cb.path).toBe('/webhook/abc/v1/payment/callback');
			expect(cb.body).toBe(rec.request.body);
			return { rec, cb, body: JSON.parse(cb.body), ts: String(cb.headers['bri-timestamp']) };
		}

		const base64 = (w: CryptoJS.lib.WordArray) => CryptoJS.enc.Base64.stringify(w);
		const hex = (w: CryptoJS.lib.WordArray) => CryptoJS.enc.Hex.stringify(w);

		it('by default: the sample’s names, plain amounts, an invoice list, Base64 over `Bearer <token>` and the posted path', async () => {
			const { cb, body, ts } = await payWith([]);
			expect(body.invoice[0]).toHaveProperty('referenceNumInvoice', 'INV-2024-0001');
			expect(body.totalPaymentAmount).toMatch(/^\d+$/);
			expect(cb.headers['bri-signature']).toBe(
				base64(hmac(DEMO.consumerSecret, cb.path, 'POST', `Bearer ${TOKEN}`, ts, cb.body)),
			);
		});

		it('callbackTableNames: the table’s names for the invoice fields', async () => {
			const { body } = await payWith(['callbackTableNames']);
			const [invoice] = body.invoice;
			expect(invoice).toMatchObject({
				referenceNumberInvoice: 'INV-2024-0001',
				referenceNumberCustomers: 'CUST001',
				referenceNumberFeetype: expect.any(String),
				expDatePayment: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
				note: expect.any(String),
			});
			for (const sample of [
				'referenceNumInvoice',
				'referenceNumCustomer',
				'referenceNumFeetype',
				'expDate',
				'remarks',
			])
				expect(invoice).not.toHaveProperty(sample);
		});

		it('callbackExponentAmounts: amounts in exponent form, 6 significant digits', async () => {
			const plain = await payWith([], 812345);
			expect(plain.body.totalPaymentAmount).toBe('812345');
			emu.reset({ seed: true, knobs: true });
			const { body } = await payWith(['callbackExponentAmounts'], 812345);
			expect(body.totalPaymentAmount).toBe('8.12345e+05');
			expect(body.invoice[0].paymentAmount).toBe('8.12345e+05');
			expect(body.invoice[0].amount).toMatch(/^\d(\.\d+)?e\+\d\d$/);
			expect(body.invoice[0].discount).toBe(plain.body.invoice[0].discount);
		});

		it('callbackInvoiceString: invoice as a JSON string', async () => {
			const { body } = await payWith(['callbackInvoiceString']);
			expect(typeof body.invoice).toBe('string');
			expect(JSON.parse(body.invoice)[0]).toMatchObject({ referenceNumInvoice: 'INV-2024-0001' });
		});

		it('callbackHexSignature: BRI-Signature as 64 hex digits', async () => {
			const { rec, cb, ts } = await payWith(['callbackHexSignature']);
			expect(cb.headers['bri-signature']).toMatch(/^[0-9a-f]{64}$/);
			expect(cb.headers['bri-signature']).toBe(
				hex(hmac(DEMO.consumerSecret, cb.path, 'POST', `Bearer ${TOKEN}`, ts, cb.body)),
			);
			expect(rec.request.signatureEncoding).toBe('hex');
		});

		it('callbackTokenNoSpace: the token part signed as `Bearer<token>`; the header keeps its space', async () => {
			const { rec, cb, ts } = await payWith(['callbackTokenNoSpace']);
			expect(cb.headers.authorization).toBe(`Bearer ${TOKEN}`);
			expect(cb.headers['bri-signature']).toBe(
				base64(hmac(DEMO.consumerSecret, cb.path, 'POST', `Bearer${TOKEN}`, ts, cb.body)),
			);
			expect(rec.request.tokenPart).toBe('Bearer<token>');
		});

		it('callbackProxyRoot: signed over /v1/payment/callback, posted to the webhook URL', async () => {
			const { rec, cb, ts } = await payWith(['callbackProxyRoot']);
			expect(rec.request.signedPath).toBe('/v1/payment/callback');
			expect(cb.headers['bri-signature']).toBe(
				base64(
					hmac(DEMO.consumerSecret, '/v1/payment/callback', 'POST', `Bearer ${TOKEN}`, ts, cb.body),
				),
			);
			// signedPathPrefix '' is the same root, set by hand.
			got.length = 0;
			emu.configure({ readings: [], callback: { signedPathPrefix: '' } });
			const again = await emu.pay({ brivaNo: BRIVA, invoices: ['INV-2024-0002'], amount: 1 });
			expect(again.request.signedPath).toBe('/v1/payment/callback');
		});

		it('all at once, and a resend sends the same reshaped bytes', async () => {
			const { rec, cb, body, ts } = await payWith(['all'].flatMap(parseReadings), 812345);
			expect(typeof body.invoice).toBe('string');
			expect(JSON.parse(body.invoice)[0]).toHaveProperty('referenceNumberInvoice');
			expect(body.totalPaymentAmount).toBe('8.12345e+05');
			expect(cb.headers['bri-signature']).toBe(
				hex(
					hmac(DEMO.consumerSecret, '/v1/payment/callback', 'POST', `Bearer${TOKEN}`, ts, cb.body),
				),
			);
			got.length = 0;
			await emu.resend(rec.index);
			expect(got[1].body).toBe(cb.body);
		});
	});
});
