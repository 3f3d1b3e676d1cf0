// The BSB emulator over real HTTP on 127.0.0.1: token flow, the 23 endpoints' sample shapes,
// the gateway's token/signature checks, BSB error codes, fault knobs and the payment callback
// flow. Requests are signed with crypto-js, an implementation independent of the emulator's.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import CryptoJS from 'crypto-js';

import { type Partner as PartnerServer, type Received, startPartner } from './partner';

import { startBsbEmulator, DEMO, ROUTES } from '../../../emulator/bsb';
import { briSign, signaturePayload } from '../../../emulator/bsb/util';
import type { BsbEmulator } from '../../../emulator';

type Json = Record<string, any>;

// The vendor's signature vectors, copied into the repository (test/fixtures/).
const VECTORS = (
	JSON.parse(readFileSync(join(__dirname, '../../fixtures/signature-vectors.json'), 'utf8')) as {
		cases: Array<
			Record<'secret' | 'path' | 'verb' | 'token' | 'timestamp' | 'body' | 'signature', string>
		>;
	}
).cases;

/** BRI-Signature with crypto-js (HmacSHA256 hashes the string as UTF-8). */
function cjsSign(
	secret: string,
	path: string,
	verb: string,
	token: string,
	timestamp: string,
	body: string,
): string {
	const payload = `path=${path}&verb=${verb}&token=Bearer ${token}&timestamp=${timestamp}&body=${body}`;
	return CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA256(payload, secret));
}

async function getToken(
	url: string,
	id: string = DEMO.consumerKey,
	secret: string = DEMO.consumerSecret,
	grant = 'client_credentials',
) {
	const res = await fetch(`${url}/oauth/client_credential/accesstoken?grant_type=${grant}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: id, client_secret: secret }).toString(),
	});
	return { status: res.status, json: (await res.json()) as Json };
}

type CallOptions = {
	token?: string;
	timestamp?: string;
	tamper?: (raw: string) => string;
	omit?: 'BRI-Timestamp' | 'BRI-Signature';
	signedPath?: string;
};

/** A partner: signs each BSB call with crypto-js and sends it. */
class Partner {
	token = '';
	constructor(private readonly url: string) {}
	async login() {
		const { status, json } = await getToken(this.url);
		expect(status).toBe(200);
		this.token = json.access_token;
		return this;
	}
	async call(method: 'GET' | 'POST', path: string, body?: Json | string, o: CallOptions = {}) {
		const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
		const token = o.token ?? this.token;
		const timestamp = o.timestamp ?? new Date().toISOString();
		const headers: Record<string, string> = {
			Authorization: `Bearer ${token}`,
			'BRI-Timestamp': timestamp,
			'BRI-Signature': cjsSign(
				DEMO.consumerSecret,
				o.signedPath ?? `/v1/bsb${path}`,
				method,
				token,
				timestamp,
				raw,
			),
			'Content-Type': 'application/json',
		};
		if (o.omit) delete headers[o.omit];
		const sent = o.tamper ? o.tamper(raw) : raw;
		const started = Date.now();
		const res = await fetch(`${this.url}/v1/bsb${path}`, {
			method,
			headers,
			body: method === 'GET' ? undefined : sent,
		});
		const text = await res.text();
		let json: Json = {};
		try {
			json = JSON.parse(text);
		} catch {
			/* HTML answers */
		}
		return {
			status: res.status,
			json,
			text,
			ms: Date.now() - started,
			contentType: res.headers.get('content-type') ?? '',
		};
	}
}

const control = async (url: string, method: 'GET' | 'POST', path: string, body?: Json) => {
	const res = await fetch(`${url}/_emulator/${path}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, json: (await res.json()) as any };
};

const GROUP = { referenceNumCustomergroup: 'GROUP01', groupName: 'Group Test' };
const FEE = { referenceNumFeetype: 'IPL001', feeType: 'Iuran Pengelolaan', note: '' };
const CUSTOMER = {
	referenceNumCustomer: 'CUST01',
	referenceNumCustomergroup: 'GROUP01',
	name: 'John Doe',
	phone: '080000012345',
	pic: 'John Doe',
	email: 'placeholder@mail.com',
	address: 'jl bekasi',
	registrationNo: '1234',
	registrationDate: '2023-11-28',
	contractExpiredDate: '2024-01-10',
	customerStatusNotif: 'SMS',
	labelOwner: ['LT1PWON_3'],
	labelPartner: ['LT1PWON_1'],
	emailNotif: 'placeholder@gmail.com;placeholder2@gmail.com',
};
const FUTURE = '2099-12-31';
// Section 4's sample request, on our references and a future due date.
const INVOICE = {
	referenceNumInvoice: 'lengkap-0',
	referenceNumCustomer: 'CUST01',
	referenceNumFeetype: 'IPL001',
	referenceNumCustomergroup: 'GROUP01',
	amount: '10000',
	discount: '1',
	remarks: 'test lengkap',
	expDate: FUTURE,
	additionalFeeType: 'materai',
	additionalFeeAmount: '10000',
	additionalFeeOption: '1',
	taxType: 'PPH',
	taxAmount: '5000',
	taxOption: '1',
	taxInclude: '1',
	fineAmount: '1000',
	finePeriod: '1',
	fineOption: '1',
	notifOption: '0',
	labelOwner: 'LT1PWON_3',
};
const allStrings = (o: Json) => Object.values(o).every((v) => typeof v === 'string');

describe('BSB emulator', () => {
	let emu: BsbEmulator;
	let p: Partner;

	beforeAll(async () => {
		emu = await startBsbEmulator({
			port: 0,
			host: '127.0.0.1',
			consumerKey: DEMO.consumerKey,
			consumerSecret: DEMO.consumerSecret,
			quiet: true,
		});
	});
	afterAll(async () => await emu.close());
	beforeEach(async () => {
		emu.reset({ knobs: true });
		p = await new Partner(emu.url).login();
	});

	/** Group, fee type, customer; returns the customer's BRIVA number. */
	async function basics() {
		expect((await p.call('POST', '/customers-group', GROUP)).json.responseCode).toBe('0000');
		expect((await p.call('POST', '/feetype', FEE)).json.responseCode).toBe('0000');
		const c = await p.call('POST', '/customers', CUSTOMER);
		expect(c.json.responseCode).toBe('0000');
		return c.json.data.detail[0].brivaNo as string;
	}

	describe('signature recipe', () => {
		it.each(VECTORS)('matches the vector for $verb $path', (v) => {
			expect(signaturePayload(v)).toBe(
				`path=${v.path}&verb=${v.verb}&token=Bearer ${v.token}&timestamp=${v.timestamp}&body=${v.body}`,
			);
			expect(briSign(v.secret, v)).toBe(v.signature);
			expect(cjsSign(v.secret, v.path, v.verb, v.token, v.timestamp, v.body)).toBe(v.signature);
		});
	});

	describe('token endpoint', () => {
		it('issues all-string tokens for the right pair; older tokens stay valid', async () => {
			const a = await getToken(emu.url);
			expect(a.status).toBe(200);
			expect(a.json).toMatchObject({
				token_type: 'BearerToken',
				expires_in: '179999',
				client_id: DEMO.consumerKey,
				status: 'approved',
			});
			expect(allStrings(a.json)).toBe(true);
			expect(a.json.issued_at).toMatch(/^\d{13}$/);
			const b = await getToken(emu.url);
			expect(b.json.access_token).not.toBe(a.json.access_token);
			for (const token of [a.json.access_token, b.json.access_token]) {
				expect((await p.call('GET', '/feetype', undefined, { token })).status).toBe(200);
			}
			expect(emu.stats().tokenRequests).toBe(3); // beforeEach + 2
		});

		it('refuses a wrong pair or grant type with 0603, a missing parameter with 0109', async () => {
			expect(await getToken(emu.url, DEMO.consumerKey, 'wrong')).toEqual({
				status: 401,
				json: { status: { code: '0603', desc: 'Client forbidden access' } },
			});
			expect((await getToken(emu.url, 'wrong', DEMO.consumerSecret)).json.status.code).toBe('0603');
			expect(
				(await getToken(emu.url, DEMO.consumerKey, DEMO.consumerSecret, 'password')).json.status
					.code,
			).toBe('0603');
			const res = await fetch(
				`${emu.url}/oauth/client_credential/accesstoken?grant_type=client_credentials`,
				{ method: 'POST', body: 'client_id=x' },
			);
			expect(res.status).toBe(400);
			expect(((await res.json()) as Json).status.code).toBe('0109');
			// The request log never holds the secret.
			expect(JSON.stringify(emu.requests)).not.toContain(DEMO.consumerSecret);
		});

		it('tokens expire after tokenLifetimeSec', async () => {
			emu.configure({ tokenLifetimeSec: 0.2 });
			const short = await new Partner(emu.url).login();
			expect((await short.call('GET', '/feetype')).status).toBe(200);
			await new Promise((r) => setTimeout(r, 300));
			expect((await short.call('GET', '/feetype')).json).toEqual({
				status: { code: '0601', desc: 'Invalid token' },
			});
		});
	});

	describe('the 23 endpoints answer the sample shapes', () => {
		it('customer groups, fee types, customers, invoices, payments', async () => {
			// 2 Customers Group Add
			let r = await p.call('POST', '/customers-group', GROUP);
			expect(r.status).toBe(200);
			expect(r.json).toEqual({ responseCode: '0000', responseMessage: 'Success', data: GROUP });
			await p.call('POST', '/customers-group', {
				referenceNumCustomergroup: 'GROUP02',
				groupName: 'Second-group 2',
			});
			// 7 Customers Group Get All: GET with an empty body, and a body-less POST
			for (const method of ['GET', 'POST'] as const) {
				r = await p.call(method, '/customers-group');
				expect(r.json).toMatchObject({ responseCode: '0000', totalCount: '2' });
				expect(r.json.data[0]).toEqual(GROUP);
			}
			// 8 get, 14 update
			r = await p.call('POST', '/customers-group/getRefNum', {
				referenceNumCustomergroup: 'GROUP01',
			});
			expect(r.json.data).toEqual(GROUP);
			r = await p.call('POST', '/customers-group/update', {
				referenceNumCustomergroup: 'GROUP02',
				groupName: 'Renamed Group',
			});
			expect(r.json.data).toEqual({
				referenceNumCustomergroup: 'GROUP02',
				groupName: 'Renamed Group',
			});

			// 3 Feetype Add, 9 Get All, 10 get, 15 update
			r = await p.call('POST', '/feetype', FEE);
			expect(r.json.data).toEqual(FEE);
			await p.call('POST', '/feetype', { referenceNumFeetype: 'TMPFEE', feeType: 'Temporary' });
			r = await p.call('GET', '/feetype');
			expect(r.json).toMatchObject({
				responseCode: '0000',
				totalCount: '2',
				data: [FEE, { referenceNumFeetype: 'TMPFEE', feeType: 'Temporary', note: '' }],
			});
			r = await p.call('POST', '/feetype/getRefNum', { referenceNumFeetype: 'IPL001' });
			expect(r.json.data).toEqual(FEE);
			r = await p.call('POST', '/feetype/update', {
				referenceNumFeetype: 'TMPFEE',
				feeType: 'test sit',
				note: 'note fee type',
			});
			expect(r.json.data).toEqual({
				referenceNumFeetype: 'TMPFEE',
				feeType: 'test sit',
				note: 'note fee type',
			});

			// 1 Customers Add: a BRIVA number in detail[]
			r = await p.call('POST', '/customers', CUSTOMER);
			expect(r.json.responseCode).toBe('0000');
			const { referenceNumCustomergroup: _g, ...echoed } = CUSTOMER;
			expect(r.json.data).toMatchObject({
				...echoed,
				username: CUSTOMER.email,
				notifDescription: '',
			});
			expect(r.json.data.detail).toEqual([
				{
					referenceNumCustomergroup: 'GROUP01',
					brivaNo: expect.stringMatching(/^10610718\d{7}$/),
					groupName: 'Group Test',
				},
			]);
			const brivaNo: string = r.json.data.detail[0].brivaNo;
			// 5 Get All, 6 get
			r = await p.call('GET', '/customers');
			expect(r.json).toMatchObject({ responseCode: '0000', totalCount: '1' });
			expect(r.json.data[0]).toMatchObject({
				referenceNumCustomer: 'CUST01',
				detail: [expect.objectContaining({ brivaNo })],
			});
			r = await p.call('POST', '/customers/getRefNum', { referenceNumCustomer: 'CUST01' });
			expect(r.json.data).toMatchObject({
				referenceNumCustomer: 'CUST01',
				name: 'John Doe',
				registrationNo: '1234',
				labelOwner: ['LT1PWON_3'],
			});
			// 13 update (camelCase fields); joining GROUP02 adds a second BRIVA number
			r = await p.call('POST', '/customers/update', {
				...CUSTOMER,
				referenceNumCustomergroup: 'GROUP02',
				phone: '08123456796',
				registrationNo: '1235',
				customerStatusNotif: 'WA',
			});
			expect(r.json.data).toMatchObject({
				phone: '08123456796',
				registrationNo: '1235',
				customerStatusNotif: 'WA',
				updatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
			});
			expect(r.json.data.detail).toHaveLength(2);
			expect(r.json.data.brivaNo).toBe(r.json.data.detail[1].brivaNo);

			// 4 Invoice Add: computed totals echoed
			r = await p.call('POST', '/invoice', INVOICE);
			expect(r.json.responseCode).toBe('0000');
			expect(r.json.data).toMatchObject({
				referenceNumInvoice: 'lengkap-0',
				referenceNumCustomer: 'CUST01',
				referenceNumFeetype: 'IPL001',
				referenceNumCustomergroup: 'GROUP01',
				feetype: 'Iuran Pengelolaan',
				additionalFeeTotal: '10000',
				taxTotal: '0',
				fineTotal: '0',
				amount: '10000',
				discount: '1',
				remarks: 'test lengkap',
			});
			expect(allStrings(r.json.data)).toBe(true);
			await p.call('POST', '/invoice', {
				referenceNumInvoice: 'SIT/IRM/0205236',
				referenceNumCustomer: 'CUST01',
				referenceNumFeetype: 'IPL001',
				amount: '80820',
				expDate: FUTURE,
			});
			// 11 get: paidstatus, createDate and the BRIVA number
			r = await p.call('POST', '/invoice/getRefNum', { referenceNumInvoice: 'lengkap-0' });
			expect(r.json.data).toMatchObject({
				referenceNumInvoice: 'lengkap-0',
				customerName: 'John Doe',
				paidstatus: '0',
				brivaNo,
				createDate: expect.any(String),
			});
			// 16 update: remarks, taxes counted when excluded
			r = await p.call('POST', '/invoice/update', {
				referenceNumInvoice: 'SIT/IRM/0205236',
				referenceNumFeetype: 'TMPFEE',
				amount: '80820',
				discount: '1',
				remarks: 'SIT CASE 3',
				expDate: FUTURE,
				additionalFeeType: 'Materai',
				additionalFeeAmount: '6000',
				additionalFeeOption: '0',
				taxType: 'a;a',
				taxAmount: '40800;40800',
				taxOption: '0;0',
				taxInclude: '0;1',
			});
			expect(r.json.data).toMatchObject({
				referenceNumInvoice: 'SIT/IRM/0205236',
				feetype: 'test sit',
				remarks: 'SIT CASE 3',
				additionalFeeTotal: '6000',
				taxTotal: '40800',
			});
			// 21 by customer
			r = await p.call('POST', '/invoice/custRef', {
				referenceNumCustomer: 'CUST01',
				referenceNumCustomergroup: 'GROUP01',
			});
			expect(r.json.data).toMatchObject({
				customerName: 'John Doe',
				referenceNumCustomer: 'CUST01',
				companyName: expect.any(String),
			});
			expect(r.json.data.detail).toEqual([
				expect.objectContaining({
					group: 'Group Test',
					referenceNumCustomergroup: 'GROUP01',
					brivaNo,
					totalCountInvoice: '2',
					totalPaidAmount: '0',
					detailInvoice: expect.any(Array),
				}),
			]);
			// 9900 + 10000 (invoice 1) + 80012 + 6000 + 40800 (invoice 2)
			expect(r.json.data.detail[0].totalInvoiceAmount).toBe(
				String(9900 + 10000 + 80012 + 6000 + 40800),
			);
			// 22 notification (the table's brivaNo body)
			r = await p.call('POST', '/invoice/notification', { brivaNo });
			expect(r.json.data).toMatchObject({
				brivaNo,
				customerName: 'John Doe',
				groupName: 'Group Test',
				totalPaidAmount: '0',
				detailNotif: expect.stringContaining('WA'),
			});

			// A payment, then 12 and 23
			const paid = await emu.pay({
				brivaNo,
				invoices: ['lengkap-0'],
				transactionID: 'BRIVA888818004052023',
			});
			expect(paid.skipped).toBeTruthy(); // no callback.baseUrl
			r = await p.call('POST', '/payment/getRefNum', { referenceNumInvoice: 'lengkap-0' });
			expect(r.json.data).toEqual([
				{
					referenceNumberInvoice: 'lengkap-0',
					customersName: 'John Doe',
					group: 'Group Test',
					feetype: 'Iuran Pengelolaan',
					paymentType: 'BRIVA',
					paymentDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
					paymentAmount: '19900',
					transactionNo: 'BRIVA888818004052023',
					brivaNo,
				},
			]);
			const today = paid.body && JSON.parse(paid.body).transactionDate.slice(0, 10);
			r = await p.call('POST', '/payment/briva', {
				brivaNo,
				startDate: '2020-01-01',
				endDate: today,
			});
			expect(r.json).toMatchObject({ responseCode: '0000', totalCount: '1' });
			expect(r.json.data[0]).toEqual({
				brivaNo,
				customerName: 'John Doe',
				groupName: 'Group Test',
				companyName: expect.any(String),
				detailTransaction: {
					transactionID: 'BRIVA888818004052023',
					date: today,
					totalAmount: '19900',
					paymentType: 'BRIVA',
				},
			});
			r = await p.call('POST', '/payment/briva', {
				brivaNo,
				startDate: '2020-01-01',
				endDate: '2020-12-31',
			});
			expect(r.json).toMatchObject({ totalCount: '0', data: [] });
			r = await p.call('POST', '/invoice/getRefNum', { referenceNumInvoice: 'lengkap-0' });
			expect(r.json.data.paidstatus).toBe('1');

			// 20, 17, 18, 19 deletes
			r = await p.call('POST', '/invoice/delete', { referenceNumInvoice: 'SIT/IRM/0205236' });
			expect(r.json).toEqual({
				responseCode: '0000',
				responseMessage: 'Success',
				data: { referenceNumInvoice: 'SIT/IRM/0205236' },
			});
			r = await p.call('POST', '/customers/delete', {
				referenceNumCustomer: 'CUST01',
				referenceNumCustomergroup: 'GROUP02',
			});
			expect(r.json.data).toEqual({
				referenceNumCustomer: 'CUST01',
				labelOwner: ['LT1PWON_3'],
				labelPartner: ['LT1PWON_1'],
			});
			r = await p.call('POST', '/customers-group/delete', { referenceNumCustomergroup: 'GROUP02' });
			expect(r.json.data).toEqual({ referenceNumCustomergroup: 'GROUP02' });
			r = await p.call('POST', '/feetype/delete', { referenceNumFeetype: 'TMPFEE' });
			expect(r.json.data).toEqual({ referenceNumFeetype: 'TMPFEE' });

			// Every route of the table answered 0000 at least once.
			const ok = new Set(
				emu.requests.filter((q) => q.responseCode === '0000').map((q) => `${q.method} ${q.path}`),
			);
			const routes = Object.keys(ROUTES).map((k) => k.replace(' ', ' /v1/bsb'));
			expect(routes).toHaveLength(23);
			expect(routes.filter((k) => !ok.has(k))).toEqual([]);
		});
	});

	describe('gateway checks', () => {
		it('0601 for an unknown, missing or expired token', async () => {
			const invalid = { status: { code: '0601', desc: 'Invalid token' } };
			let r = await p.call('GET', '/feetype', undefined, { token: 'not-a-token' });
			expect([r.status, r.json]).toEqual([401, invalid]);
			const res = await fetch(`${emu.url}/v1/bsb/feetype`);
			expect(res.status).toBe(401);
			expect(emu.expireTokens()).toBeGreaterThan(0);
			r = await p.call('GET', '/feetype');
			expect([r.status, r.json]).toEqual([401, invalid]);
			expect(emu.stats().rejected['0601']).toBe(3);
		});

		it('0602 when the body changes by one byte after signing, a wrong path or a malformed timestamp; 0109 without headers', async () => {
			const invalid = { status: { code: '0602', desc: 'Invalid signature' } };
			const body = JSON.stringify(GROUP);
			let r = await p.call('POST', '/customers-group', body, {
				tamper: (raw) => raw.replace('Test', 'Tesu'),
			});
			expect([r.status, r.json]).toEqual([401, invalid]);
			r = await p.call('POST', '/customers-group', body, { tamper: (raw) => `${raw} ` });
			expect(r.json).toEqual(invalid);
			expect(emu.state.customerGroups.size).toBe(0);
			r = await p.call('POST', '/customers-group', body, { signedPath: '/customers-group' });
			expect(r.json).toEqual(invalid);
			r = await p.call('POST', '/customers-group', body, { timestamp: '2024-01-09T03:00:00Z' });
			expect(r.json).toEqual(invalid);
			r = await p.call('POST', '/customers-group', body, { omit: 'BRI-Signature' });
			expect([r.status, r.json.status.code]).toEqual([400, '0109']);
			// What is signed is accepted, byte for byte, including non-ASCII.
			r = await p.call('POST', '/customers-group', {
				referenceNumCustomergroup: 'GROUP03',
				groupName: 'Grup Ütara é',
			});
			expect(r.json.responseCode).toBe('0000');
			expect(emu.stats().rejected['0602']).toBe(4);
		});

		it('timestampToleranceSec rejects stale timestamps', async () => {
			emu.configure({ timestampToleranceSec: 60 });
			const r = await p.call('GET', '/feetype', undefined, {
				timestamp: new Date(Date.now() - 120_000).toISOString(),
			});
			expect(r.json.status.code).toBe('0602');
			expect((await p.call('GET', '/feetype')).status).toBe(200);
		});
	});

	describe('BSB answers', () => {
		it('0005 already exists, 0006 not found, 0011 invoice delete not found', async () => {
			await basics();
			let r = await p.call('POST', '/customers-group', GROUP);
			expect([r.status, r.json.responseCode, r.json.responseMessage]).toEqual([
				400,
				'0005',
				'Data already exist',
			]);
			r = await p.call('POST', '/customers/getRefNum', { referenceNumCustomer: 'NOPE1' });
			expect(r.status).toBe(400);
			expect(r.json).toEqual({
				responseCode: '0006',
				responseMessage: 'Customer not found',
				errors: {
					error: 'record not found',
					issueAt: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
					validationError: {},
				},
			});
			r = await p.call('POST', '/invoice', { ...INVOICE, referenceNumFeetype: 'NOFEE' });
			expect([r.json.responseCode, r.json.responseMessage]).toEqual(['0006', 'Fee type not found']);
			r = await p.call('POST', '/invoice', { ...INVOICE, referenceNumCustomergroup: 'OTHER1' });
			expect(r.json.responseCode).toBe('0006');
			r = await p.call('POST', '/invoice/delete', { referenceNumInvoice: 'INV123' });
			expect([r.status, r.json.responseCode, r.json.responseMessage]).toEqual([
				400,
				'0011',
				'Data Invoice is not found',
			]);
		});

		it('0012 lists every failing field with its messages', async () => {
			await basics();
			let r = await p.call('POST', '/customers', {
				referenceNumCustomer: 'CUST02',
				referenceNumCustomergroup: 'GROUP01',
				phone: '12ab',
				email: 'nope',
				pic: 'x',
				address: 'y',
				customerStatusNotif: 'FAX',
			});
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({
				responseCode: '0012',
				responseMessage: 'Error Validation',
				errors: { error: 'Error Validation' },
			});
			expect(r.json.errors.validationError).toEqual({
				name: ['The name field is required'],
				phone: ['The phone field must be numeric', 'The phone field must be minimum 10 char'],
				email: ['The email field must be a valid email address'],
				customerStatusNotif: [expect.stringContaining('SMS')],
			});
			r = await p.call('POST', '/invoice', {
				...INVOICE,
				referenceNumInvoice: 'abc',
				amount: '0',
				discount: '100',
				expDate: '2024-02-30',
				taxType: 'a;b;c;d',
				taxAmount: '1;2;3;4',
				additionalFeeType: 'Materai',
				additionalFeeAmount: '',
			});
			const v = r.json.errors.validationError;
			expect(Object.keys(v).sort()).toEqual(
				[
					'additionalFeeAmount',
					'amount',
					'discount',
					'expDate',
					'referenceNumInvoice',
					'taxAmount',
					'taxInclude',
					'taxOption',
					'taxType',
				].sort(),
			);
			expect(v.amount).toEqual(['The amount field value can not be less than 1']);
			expect(v.expDate).toEqual(['The expDate field must be a valid date format yyyy-mm-dd']);
			r = await p.call('POST', '/payment/briva', { brivaNo: '123', startDate: '2023-12-11' });
			expect(r.json.errors.validationError).toEqual({
				brivaNo: ['The brivaNo field must be 15 to 16 digits'],
				endDate: ['The endDate field is required'],
			});
			expect(emu.state.invoices.size).toBe(0);
		});

		it('0013 for malformed JSON and wrong JSON types', async () => {
			let r = await p.call('POST', '/customers-group', '{"referenceNumCustomergroup":');
			expect([r.status, r.json.responseCode]).toEqual([400, '0013']);
			r = await p.call('POST', '/customers-group', '["GROUP01"]');
			expect(r.json.responseCode).toBe('0013');
			r = await p.call('POST', '/customers-group', {
				referenceNumCustomergroup: 12345,
				groupName: 'Group Test',
			});
			expect(r.json).toMatchObject({
				responseCode: '0013',
				errors: {
					validationError: {
						referenceNumCustomergroup: ['The referenceNumCustomergroup field must be a string'],
					},
				},
			});
		});
	});

	describe('knobs', () => {
		it('latencyMs delays every BSB answer', async () => {
			emu.configure({ latencyMs: 150 });
			const r = await p.call('GET', '/feetype');
			expect(r.status).toBe(200);
			expect(r.ms).toBeGreaterThanOrEqual(145);
		});

		it('errorRate5xx 1 answers 503 HTML before any state change', async () => {
			emu.configure({ errorRate5xx: 1 });
			const r = await p.call('POST', '/customers-group', GROUP);
			expect(r.status).toBe(503);
			expect(r.contentType).toContain('text/html');
			expect(emu.state.customerGroups.size).toBe(0);
			expect(emu.stats().injected['503']).toBe(1);
		});

		it('errorAfterCommitRate 1 answers 502 after the create; the retry sees 0005', async () => {
			emu.configure({ errorAfterCommitRate: 1 });
			let r = await p.call('POST', '/customers-group', GROUP);
			expect(r.status).toBe(502);
			expect(emu.state.customerGroups.has('GROUP01')).toBe(true);
			emu.configure({ errorAfterCommitRate: 0 });
			r = await p.call('POST', '/customers-group', GROUP);
			expect(r.json.responseCode).toBe('0005');
		});

		it('token0601Rate 1 answers 0601 with a valid token', async () => {
			emu.configure({ token0601Rate: 1 });
			const r = await p.call('GET', '/feetype');
			expect([r.status, r.json.status.code]).toEqual([401, '0601']);
			expect(emu.stats().injected['0601']).toBe(1);
		});

		it('timeoutRate 1 holds the call, then drops it after timeoutHoldMs', async () => {
			emu.configure({ timeoutRate: 1, timeoutHoldMs: 200 });
			const started = Date.now();
			await expect(p.call('GET', '/feetype')).rejects.toThrow();
			expect(Date.now() - started).toBeGreaterThanOrEqual(190);
			expect(emu.stats().injected.timeout).toBe(1);
		});

		it('randomSeed makes fault patterns reproducible', async () => {
			const pattern = async () => {
				emu.configure({ errorRate5xx: 0.5, randomSeed: 42 });
				const out = [];
				for (let i = 0; i < 12; i++) out.push((await p.call('GET', '/feetype')).status);
				return out;
			};
			const a = await pattern();
			expect(await pattern()).toEqual(a);
			expect(a).toEqual(expect.arrayContaining([200, 503]));
		});

		it('rejects unknown knobs and out-of-range rates', () => {
			expect(() => emu.configure({ errorRate: 1 })).toThrow(/unknown knob/);
			expect(() => emu.configure({ timeoutRate: 2 })).toThrow(/fraction/);
		});
	});

	describe('control endpoints', () => {
		it('stats, requests, state, config, expire-tokens, reset and seed over HTTP', async () => {
			await p.call('GET', '/feetype');
			let r = await control(emu.url, 'GET', 'stats');
			expect(r.json).toMatchObject({
				tokenRequests: 1,
				requests: 1,
				byEndpoint: { 'GET /v1/bsb/feetype': 1 },
				rejected: { '0601': 0, '0602': 0 },
			});
			r = await control(emu.url, 'GET', 'requests');
			const last = r.json[r.json.length - 1];
			expect(last).toMatchObject({
				method: 'GET',
				path: '/v1/bsb/feetype',
				body: '',
				status: 200,
				responseCode: '0000',
			});
			expect(JSON.stringify(r.json)).not.toContain(p.token);
			r = await control(emu.url, 'POST', 'config', {
				latencyMs: 5,
				callback: { secretKey: 'hidden-value' },
			});
			expect(r.json).toMatchObject({ latencyMs: 5, callback: { secretKey: '***' } });
			expect((await control(emu.url, 'POST', 'config', { nope: 1 })).status).toBe(400);
			r = await control(emu.url, 'POST', 'reset', { seed: true });
			expect(r.json.seeded.customers).toEqual([
				{ referenceNumCustomer: 'CUST001', brivaNo: '106107185000001' },
				{ referenceNumCustomer: 'CUST002', brivaNo: '106107185000002' },
				{ referenceNumCustomer: 'CUST003', brivaNo: '106107185000003' },
			]);
			r = await control(emu.url, 'GET', 'state');
			expect(Object.keys(r.json.invoices)).toEqual([
				'INV-2024-0001',
				'INV-2024-0002',
				'INV-2024-0003',
				'INV-2024-0004',
				'INV-2024-0005',
			]);
			expect(Object.keys(r.json.payments)).toEqual(['0000101240100001']);
			expect((await control(emu.url, 'POST', 'seed')).status).toBe(200); // idempotent
			r = await control(emu.url, 'POST', 'expire-tokens');
			expect(r.json.expired).toBeGreaterThan(0);
			expect((await p.call('GET', '/feetype')).status).toBe(401);
			r = await control(emu.url, 'POST', 'pay', { brivaNo: '999999999999999' });
			expect(r.status).toBe(404);
			expect(r.json.error).toMatch(/^pay: unknown BRIVA number 999999999999999: /);
		});
	});

	describe('payment callbacks', () => {
		let partner: PartnerServer;
		let partnerUrl = '';
		let got: Received[] = [];
		const TOKEN = 'lfbo1985ujlnbviovQOUB12oifnfiqIO';
		let answerToken = true;

		beforeAll(async () => {
			partner = await startPartner(({ path, body }, res) => {
				if (path.endsWith('/access-token')) {
					const { providerId, secretKey } = JSON.parse(body);
					if (
						answerToken &&
						providerId === DEMO.providerId &&
						secretKey === DEMO.callbackSecretKey
					) {
						res.end(
							JSON.stringify({
								responseCode: '00',
								responseMessage: 'success',
								accessToken: TOKEN,
								expiredIn: '180',
							}),
						);
					} else {
						res.statusCode = 400;
						res.end(
							JSON.stringify({
								responseCode: '01',
								responseMessage: 'Invalid providerId or secretKey',
							}),
						);
					}
					return;
				}
				res.end(
					JSON.stringify({
						responseCode: '0000',
						responseMessage: 'Success',
						data: JSON.parse(body),
					}),
				);
			});
			partnerUrl = partner.url;
			got = partner.got;
		});
		afterAll(async () => await partner.close());
		beforeEach(() => {
			got.length = 0;
			answerToken = true;
		});

		it('pays a BRIVA number, gets a token, posts a signed callback and records the answer', async () => {
			const brivaNo = await basics();
			await p.call('POST', '/invoice', INVOICE);
			await p.call('POST', '/invoice', {
				...INVOICE,
				referenceNumInvoice: 'BRIBILL/57',
				amount: '10000',
				discount: '',
				additionalFeeType: '',
				additionalFeeAmount: '',
				additionalFeeOption: '',
				taxType: '',
				taxAmount: '',
				taxOption: '',
				taxInclude: '',
			});
			emu.configure({ callback: { baseUrl: `${partnerUrl}/webhook/abc` } });

			const rec = await emu.pay({ brivaNo });
			expect(rec).toMatchObject({
				tokenStatus: 200,
				callbackStatus: 200,
				responseCode: '0000',
				error: null,
			});
			expect(emu.callbacks).toHaveLength(1);
			expect(got.map((g) => g.path)).toEqual([
				'/webhook/abc/v1/access-token',
				'/webhook/abc/v1/payment/callback',
			]);
			expect(JSON.parse(got[0].body)).toEqual({
				providerId: DEMO.providerId,
				secretKey: DEMO.callbackSecretKey,
			});

			const cb = got[1];
			expect(cb.headers.authorization).toBe(`Bearer ${TOKEN}`);
			expect(cb.headers['content-type']).toBe('application/json');
			const ts = String(cb.headers['bri-timestamp']);
			expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
			expect(cb.headers['bri-signature']).toBe(
				cjsSign(
					DEMO.consumerSecret,
					'/webhook/abc/v1/payment/callback',
					'POST',
					TOKEN,
					ts,
					cb.body,
				),
			);
			expect(cb.body).toBe(rec.request.body);
			expect(JSON.stringify(rec)).not.toContain(TOKEN);

			const body = JSON.parse(cb.body);
			expect(body).toMatchObject({
				brivaNo,
				totalPaymentAmount: String(19900 + 10000),
				paymentType: 'BRIVA',
				additionalInfo: '',
			});
			expect(body.transactionDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
			expect(body.transactionID.length).toBeLessThanOrEqual(20);
			expect(body.invoice).toEqual([
				expect.objectContaining({
					referenceNumInvoice: 'lengkap-0',
					referenceNumCustomergroup: 'GROUP01',
					feetype: 'Iuran Pengelolaan',
					dueAmount: '0',
					paymentAmount: '19900',
				}),
				expect.objectContaining({
					referenceNumInvoice: 'BRIBILL/57',
					discount: '0',
					dueAmount: '0',
					paymentAmount: '10000',
				}),
			]);
			for (const ref of ['lengkap-0', 'BRIBILL/57']) {
				expect(
					(await p.call('POST', '/invoice/getRefNum', { referenceNumInvoice: ref })).json.data
						.paidstatus,
				).toBe('1');
			}

			// The same callback again, for duplicate handling: same bytes, fresh signature.
			const again = await emu.resend(rec.index);
			expect(again).toMatchObject({
				resendOf: rec.index,
				transactionID: rec.transactionID,
				responseCode: '0000',
			});
			expect(got[3].body).toBe(cb.body);
			const viaHttp = await control(emu.url, 'POST', 'callbacks/resend', { index: 0 });
			expect(viaHttp.json.responseCode).toBe('0000');
			expect((await control(emu.url, 'GET', 'callbacks')).json).toHaveLength(3);
			expect(emu.state.payments.size).toBe(1);
		});

		it('signs with the callback secret key and a public path prefix when configured', async () => {
			const brivaNo = await basics();
			await p.call('POST', '/invoice', INVOICE);
			emu.configure({
				callback: {
					baseUrl: `${partnerUrl}/internal`,
					hmacKey: 'callbackSecretKey',
					signedPathPrefix: '/public/webhook/abc/',
				},
			});
			const rec = await emu.pay({ brivaNo, amount: 5000 });
			expect(rec.responseCode).toBe('0000');
			expect(rec.request.signedPath).toBe('/public/webhook/abc/v1/payment/callback');
			const cb = got[1];
			expect(cb.headers['bri-signature']).toBe(
				cjsSign(
					DEMO.callbackSecretKey,
					'/public/webhook/abc/v1/payment/callback',
					'POST',
					TOKEN,
					String(cb.headers['bri-timestamp']),
					cb.body,
				),
			);
			// A partial payment: the invoice stays unpaid with the rest due.
			expect(JSON.parse(cb.body).invoice[0]).toMatchObject({
				paymentAmount: '5000',
				dueAmount: '14900',
			});
			expect(
				(await p.call('POST', '/invoice/getRefNum', { referenceNumInvoice: 'lengkap-0' })).json.data
					.paidstatus,
			).toBe('0');
		});

		it('asks for the token at tokenBaseUrl and posts the callback at baseUrl, for one payment only', async () => {
			const brivaNo = await basics();
			await p.call('POST', '/invoice', INVOICE);
			emu.configure({ callback: { baseUrl: `${partnerUrl}/webhook/abc` } });
			const rec = await emu.pay(
				{ brivaNo, amount: 100 },
				{
					callback: {
						tokenBaseUrl: `${partnerUrl}/one/webhook/abc`,
						baseUrl: `${partnerUrl}/two/webhook/abc`,
					},
				},
			);
			expect(rec.responseCode).toBe('0000');
			expect(got.map((g) => g.path)).toEqual([
				'/one/webhook/abc/v1/access-token',
				'/two/webhook/abc/v1/payment/callback',
			]);
			// Signed with the path it is posted to.
			expect(rec.request.signedPath).toBe('/two/webhook/abc/v1/payment/callback');
			// The configured settings are untouched; a resend may go elsewhere again.
			expect(emu.configure({}).callback).toMatchObject({
				baseUrl: `${partnerUrl}/webhook/abc`,
				tokenBaseUrl: null,
			});
			await emu.resend(rec, { callback: { baseUrl: `${partnerUrl}/three` } });
			expect(got.slice(2).map((g) => g.path)).toEqual([
				'/three/v1/access-token',
				'/three/v1/payment/callback',
			]);
			await expect(
				emu.pay({ brivaNo, amount: 100 }, { callback: { tokenBaseUrl: 'ftp://x' } }),
			).rejects.toThrow('callback.tokenBaseUrl must be an http(s) URL or null');
		});

		it('records a refused access token and sends no callback', async () => {
			const brivaNo = await basics();
			await p.call('POST', '/invoice', INVOICE);
			answerToken = false;
			emu.configure({ callback: { baseUrl: partnerUrl } });
			const rec = await emu.pay({ brivaNo });
			expect(rec).toMatchObject({
				tokenStatus: 400,
				callbackStatus: null,
				responseCode: null,
				tokenBody: { responseCode: '01' },
			});
			expect(rec.error).toMatch(/access-token refused/);
			expect(got).toHaveLength(1);
		});
	});
});
