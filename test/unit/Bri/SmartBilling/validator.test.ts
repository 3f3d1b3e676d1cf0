// Every validation rule of the BSB node, on the pure validator: what passes becomes the exact
// request body, what fails names the field, the problem and what is allowed.
import { DateTime } from 'luxon';

import { findEndpoint } from '../../../../nodes/Bri/SmartBilling/endpoints';
import { fieldsInNode, formatIssueInline } from '../../../../nodes/Bri/SmartBilling/messages';
import { buildBody, toBsbDate } from '../../../../nodes/Bri/SmartBilling/validator';

const invoiceCreate = findEndpoint('invoice', 'create')!;
const customerCreate = findEndpoint('customer', 'create')!;

const validInvoice = {
	referenceNumInvoice: 'INV-2026-11-001',
	referenceNumCustomer: 'TENANT01',
	referenceNumFeetype: 'SEWA01',
	amount: '1500000',
	expDate: '2026-12-10',
};
const validCustomer = {
	referenceNumCustomer: 'TENANT01',
	referenceNumCustomergroup: 'TOWERA',
	name: 'Budi Santoso',
	phone: '081234567890',
	pic: 'Budi Santoso',
	email: 'budi@example.com',
	address: 'Jl. Sudirman 1, Jakarta',
	customerStatusNotif: 'SMS',
};

function issuesOf(endpoint = invoiceCreate, values: Record<string, unknown>) {
	return buildBody(endpoint, values).issues;
}

describe('buildBody', () => {
	it('builds the body in descriptor order with string values, as the spec samples send them', () => {
		const { body, issues } = buildBody(invoiceCreate, {
			...validInvoice,
			amount: 1500000,
			discount: 5,
		});
		expect(issues).toEqual([]);
		expect(JSON.stringify(body)).toBe(
			'{"referenceNumInvoice":"INV-2026-11-001","referenceNumCustomer":"TENANT01","referenceNumFeetype":"SEWA01","amount":"1500000","expDate":"2026-12-10","discount":"5"}',
		);
	});

	it('reports every missing required field with what is allowed', () => {
		const issues = issuesOf(invoiceCreate, {});
		expect(issues.map((i) => i.field)).toEqual([
			'referenceNumInvoice',
			'referenceNumCustomer',
			'referenceNumFeetype',
			'amount',
			'expDate',
		]);
		expect(issues.every((i) => i.problem === 'is missing' && i.allowed !== '')).toBe(true);
	});

	it('checks lengths', () => {
		expect(
			issuesOf(invoiceCreate, { ...validInvoice, referenceNumInvoice: 'INV1' })[0],
		).toMatchObject({
			field: 'referenceNumInvoice',
			problem: '"INV1" has 4 characters',
			allowed: '5–50 characters',
		});
		expect(
			issuesOf(invoiceCreate, { ...validInvoice, referenceNumInvoice: 'X'.repeat(51) })[0].allowed,
		).toBe('5–50 characters');
		expect(issuesOf(customerCreate, { ...validCustomer, name: 'N'.repeat(61) })[0].field).toBe(
			'name',
		);
	});

	it('checks reference characters on create', () => {
		const [issue] = issuesOf(customerCreate, {
			...validCustomer,
			referenceNumCustomer: 'TENANT 01',
		});
		expect(issue).toMatchObject({
			field: 'referenceNumCustomer',
			allowed: 'letters and numbers only',
		});
	});

	it.each([['15.000'], ['1e6'], ['abc'], [-5], [1.5], ['']])('refuses amount %p', (amount) => {
		const issues = issuesOf(invoiceCreate, { ...validInvoice, amount });
		expect(issues.map((i) => i.field)).toEqual(['amount']);
	});

	it('refuses an amount of 0 and one of 13 digits', () => {
		expect(issuesOf(invoiceCreate, { ...validInvoice, amount: '0' })[0].problem).toContain(
			'less than 1',
		);
		expect(
			issuesOf(invoiceCreate, { ...validInvoice, amount: '1234567890123' })[0].problem,
		).toContain('13 digits');
	});

	it.each([[-1], [100], ['50%'], [12.5]])('refuses discount %p (allowed 0–99)', (discount) => {
		const [issue] = issuesOf(invoiceCreate, { ...validInvoice, discount });
		expect(issue).toMatchObject({ field: 'discount', allowed: 'a whole number from 0 to 99' });
	});

	it('sends a discount of 0, as section 25’s sample does', () => {
		const { body, issues } = buildBody(invoiceCreate, { ...validInvoice, discount: 0 });
		expect(issues).toEqual([]);
		expect(body.discount).toBe('0');
	});

	describe('softer checks become warnings, not refusals', () => {
		it.each([['AB12'], ['C'.repeat(26)], ['C'.repeat(40)]])(
			'a customer reference %p outside 5–25 characters is sent, with a warning',
			(ref) => {
				for (const endpoint of [customerCreate, invoiceCreate]) {
					const values = endpoint === customerCreate ? validCustomer : validInvoice;
					const { body, issues, warnings } = buildBody(endpoint, {
						...values,
						referenceNumCustomer: ref,
					});
					expect(issues).toEqual([]);
					expect(body.referenceNumCustomer).toBe(ref);
					expect(warnings).toEqual([
						expect.stringMatching(
							new RegExp(
								`^Customer Reference Number "${ref}" has ${ref.length} characters: BSB may refuse it, as .*5–25`,
							),
						),
					]);
				}
			},
		);

		it('the hard limit stays section 1’s 40 characters', () => {
			expect(
				issuesOf(customerCreate, { ...validCustomer, referenceNumCustomer: 'C'.repeat(41) })[0],
			).toMatchObject({ field: 'referenceNumCustomer' });
		});

		it('no warning for 5–25 characters', () => {
			expect(buildBody(customerCreate, validCustomer).warnings).toEqual([]);
		});

		it('a registration number that is not digits only is sent, with a warning', () => {
			const { issues, warnings, body } = buildBody(customerCreate, {
				...validCustomer,
				registrationNo: 'REG-001',
			});
			expect(issues).toEqual([]);
			expect(body.registrationNo).toBe('REG-001');
			expect(warnings).toEqual([
				expect.stringContaining('Registration Number "REG-001" is not digits only'),
			]);
			expect(
				buildBody(customerCreate, { ...validCustomer, registrationNo: '0012345' }).warnings,
			).toEqual([]);
		});
	});

	it.each([['2026-02-30'], ['10-12-2026'], ['2026/12/10'], ['tomorrow']])(
		'refuses date %p',
		(expDate) => {
			const [issue] = issuesOf(invoiceCreate, { ...validInvoice, expDate });
			expect(issue).toMatchObject({
				field: 'expDate',
				allowed: 'a date as yyyy-MM-dd, e.g. 2026-12-31',
			});
		},
	);

	it('accepts dates from expressions: ISO date-times, luxon DateTime and Date', () => {
		expect(toBsbDate('2026-12-10T23:30:00+07:00')).toBe('2026-12-10');
		expect(toBsbDate(DateTime.fromISO('2026-12-10T01:00:00', { zone: 'Asia/Jakarta' }))).toBe(
			'2026-12-10',
		);
		expect(toBsbDate(new Date('2026-12-10T00:00:00Z'))).toBe('2026-12-10');
	});

	it.each([
		['08123', '5 digits'],
		['08123456789012', '14 digits'],
		['+6281234567890', 'characters other than digits'],
	])('refuses phone %p', (phone, problem) => {
		const [issue] = issuesOf(customerCreate, { ...validCustomer, phone });
		expect(issue.field).toBe('phone');
		expect(issue.problem).toContain(problem);
		expect(issue.allowed).toContain('10–13 digits');
	});

	it('strips spaces and dashes from phone numbers', () => {
		expect(
			buildBody(customerCreate, { ...validCustomer, phone: '0812-3456 7890' }).body.phone,
		).toBe('081234567890');
	});

	it('checks emails and notification email lists', () => {
		expect(issuesOf(customerCreate, { ...validCustomer, email: 'budi@' })[0].field).toBe('email');
		const { body, issues } = buildBody(customerCreate, {
			...validCustomer,
			emailNotif: 'a@x.co; b@y.co',
		});
		expect(issues).toEqual([]);
		expect(body.emailNotif).toBe('a@x.co;b@y.co');
		expect(
			issuesOf(customerCreate, { ...validCustomer, emailNotif: 'a@x.co;nope' })[0].problem,
		).toContain('"nope"');
	});

	it('maps the notification channel to the sample form SMS/WA, by value or by name', () => {
		expect(
			buildBody(customerCreate, { ...validCustomer, customerStatusNotif: 'WhatsApp' }).body
				.customerStatusNotif,
		).toBe('WA');
		expect(
			buildBody(customerCreate, { ...validCustomer, customerStatusNotif: 'wa' }).body
				.customerStatusNotif,
		).toBe('WA');
		expect(
			issuesOf(customerCreate, { ...validCustomer, customerStatusNotif: 'EMAIL' })[0].allowed,
		).toBe('SMS (SMS), WA (WhatsApp)');
	});

	it('sends label lists as lists, from a list or from comma-separated text', () => {
		expect(
			buildBody(customerCreate, { ...validCustomer, labelOwner: ['A1', ' B2 '] }).body.labelOwner,
		).toEqual(['A1', 'B2']);
		expect(
			buildBody(customerCreate, { ...validCustomer, labelPartner: 'P1, P2' }).body.labelPartner,
		).toEqual(['P1', 'P2']);
	});

	it('joins fee and tax rows into the spec’s ";" strings with matching counts', () => {
		const { body, issues } = buildBody(invoiceCreate, {
			...validInvoice,
			additionalFees: {
				fee: [
					{ type: 'Materai', amount: 10000, option: '2' },
					{ type: 'Admin', amount: 3000, option: '2' },
				],
			},
			taxes: {
				tax: [
					{ type: 'PPh', amount: 50000, option: '1', include: '0' },
					{ type: 'PPn', amount: 10000, option: '2', include: '1' },
				],
			},
		});
		expect(issues).toEqual([]);
		expect(body).toMatchObject({
			additionalFeeType: 'Materai;Admin',
			additionalFeeAmount: '10000;3000',
			additionalFeeOption: '2;2',
			taxType: 'PPh;PPn',
			taxAmount: '50000;10000',
			taxOption: '1;2',
			taxInclude: '0;1',
		});
		expect(body).not.toHaveProperty('additionalFeeInclude');
	});

	it('refuses more than 3 fee rows and bad rows', () => {
		const four = {
			fee: Array.from({ length: 4 }, (_, n) => ({ type: `F${n}`, amount: 1, option: '0' })),
		};
		expect(issuesOf(invoiceCreate, { ...validInvoice, additionalFees: four })[0]).toMatchObject({
			field: 'additionalFees',
			allowed: 'at most 3 rows',
		});
		const bad = issuesOf(invoiceCreate, {
			...validInvoice,
			taxes: { tax: [{ type: '', amount: 'x', option: '7', include: '3' }] },
		});
		expect(bad.map((i) => i.problem)).toEqual([
			'row 1: name "" is not allowed',
			'row 1: amount "x" is not allowed',
			'row 1: option "7" is not allowed',
			'row 1: include "3" is not allowed',
		]);
	});

	it('leaves out empty optional fields and empty fee collections', () => {
		const { body } = buildBody(invoiceCreate, {
			...validInvoice,
			remarks: '',
			additionalFees: {},
			taxes: { tax: [] },
		});
		expect(Object.keys(body)).toEqual([
			'referenceNumInvoice',
			'referenceNumCustomer',
			'referenceNumFeetype',
			'amount',
			'expDate',
		]);
	});

	it('checks BRIVA numbers (15–16 digits)', () => {
		const notify = findEndpoint('invoice', 'sendNotification')!;
		expect(buildBody(notify, { brivaNo: '106107185000002' }).issues).toEqual([]);
		expect(buildBody(notify, { brivaNo: '10610718500' }).issues[0]).toMatchObject({
			field: 'brivaNo',
			allowed: '15 or 16 digits',
		});
	});

	it('formats each issue with field name, problem and what is allowed; the form labels once', () => {
		const issues = issuesOf(customerCreate, { ...validCustomer, phone: '123', email: 'x' });
		expect(issues.map(formatIssueInline)).toEqual([
			'phone "123" has 3 digits (allowed: 10–13 digits, e.g. 081234567890)',
			'email "x" is not an email address (allowed: an email address, e.g. name@example.com)',
		]);
		expect(fieldsInNode(issues)).toBe('Fields in the node: Phone (phone) and Email (email).');
		expect(fieldsInNode(issues.slice(0, 1))).toBe('Field in the node: Phone (phone).');
	});
});
