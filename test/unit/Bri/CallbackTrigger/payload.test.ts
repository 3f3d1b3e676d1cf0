// Section 25: every reading of the payment payload an authenticated callback may carry is
// accepted, and each oddity becomes a warning on the items (docs/spec-readings.md#25-callback-payment).
import {
	INVOICE_TABLE_NAMES,
	callbackItems,
	parseAmount,
	readPaymentCallback,
	transactionKey,
} from '../../../../nodes/Bri/CallbackTrigger/callback';
import { SAMPLE } from './sample';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const items = (value: unknown, mode: 'perInvoice' | 'perPayment' = 'perInvoice', parse = false) =>
	callbackItems(readPaymentCallback(copy(value)), mode, parse);

/** The sample with section 25's field-table names for the invoice fields. */
function withTableNames(payload: typeof SAMPLE) {
	return {
		...payload,
		invoice: payload.invoice.map((invoice) => {
			const out: Record<string, unknown> = {};
			const reverse = Object.fromEntries(
				Object.entries(INVOICE_TABLE_NAMES).map(([table, sample]) => [sample, table]),
			);
			for (const [key, value] of Object.entries(invoice)) out[reverse[key] ?? key] = value;
			return out;
		}),
	};
}

describe('readPaymentCallback: the readings of section 25', () => {
	it('the sample: no warnings', () => {
		const read = readPaymentCallback(copy(SAMPLE));
		expect(read.warnings).toEqual([]);
		expect(read.invoiceWarnings).toEqual([[], []]);
		expect(read.invoices).toEqual(SAMPLE.invoice);
	});

	it('the field table’s names are read and output under the sample’s names, order kept, no warning', () => {
		const table = withTableNames(SAMPLE);
		expect(table.invoice[0]).toHaveProperty('referenceNumberInvoice', 'BRIBILL/23');
		expect(table.invoice[0]).toHaveProperty('referenceNumberCustomers', 'IMASIT128');
		expect(table.invoice[0]).toHaveProperty('referenceNumberFeetype', 'IPL001');
		expect(table.invoice[0]).toHaveProperty('expDatePayment', '2024-01-19');
		expect(table.invoice[0]).toHaveProperty('note', '');
		const read = readPaymentCallback(copy(table));
		expect(read.invoices).toEqual(SAMPLE.invoice);
		expect(Object.keys(read.invoices![0] as object)).toEqual(Object.keys(SAMPLE.invoice[0]));
		expect(read.invoiceWarnings).toEqual([[], []]);
		expect(items(table)).toEqual(items(SAMPLE));
	});

	it('both names with the same value: one field; with different values: both kept, and a warning', () => {
		const same = copy(SAMPLE) as Record<string, any>;
		same.invoice[0].referenceNumberInvoice = 'BRIBILL/23';
		expect(readPaymentCallback(same).invoices![0]).toEqual(SAMPLE.invoice[0]);
		expect(readPaymentCallback(same).invoiceWarnings[0]).toEqual([]);

		const differ = copy(SAMPLE) as Record<string, any>;
		differ.invoice[1].referenceNumberInvoice = 'BRIBILL/99';
		const read = readPaymentCallback(differ);
		expect(read.invoices![1]).toMatchObject({
			referenceNumInvoice: 'BRIBILL/57',
			referenceNumberInvoice: 'BRIBILL/99',
		});
		expect(read.invoiceWarnings[1]).toEqual([
			'invoice[1].referenceNumInvoice "BRIBILL/57" and invoice[1].referenceNumberInvoice "BRIBILL/99" differ; the item carries both as sent. Check which one is right before booking.',
		]);
	});

	it('`invoice` as a JSON string (the table types it string) reads as the list, no warning', () => {
		const asString = { ...SAMPLE, invoice: JSON.stringify(SAMPLE.invoice) };
		const read = readPaymentCallback(copy(asString));
		expect(read.invoices).toEqual(SAMPLE.invoice);
		expect(read.warnings).toEqual([]);
		expect(items(asString)).toEqual(items(SAMPLE));
		expect(items(asString, 'perPayment')).toEqual(items(SAMPLE, 'perPayment'));
		// The table's names inside the string too.
		const both = { ...SAMPLE, invoice: JSON.stringify(withTableNames(SAMPLE).invoice) };
		expect(items(both)).toEqual(items(SAMPLE));
		// A single invoice, bare or as a string, is a list of one.
		expect(readPaymentCallback({ ...SAMPLE, invoice: SAMPLE.invoice[0] }).invoices).toEqual([
			SAMPLE.invoice[0],
		]);
		expect(
			readPaymentCallback({ ...SAMPLE, invoice: JSON.stringify(SAMPLE.invoice[0]) }).invoices,
		).toEqual([SAMPLE.invoice[0]]);
	});

	it('amounts in exponent form are written out, and flagged as possibly rounded', () => {
		const exp = copy(SAMPLE) as Record<string, any>;
		exp.totalPaymentAmount = '5.00006e+08';
		exp.invoice[0].amount = '2.005e+04';
		exp.invoice[0].paymentAmount = '1.005E4';
		const read = readPaymentCallback(exp);
		expect(read.payment.totalPaymentAmount).toBe('500006000');
		expect(read.invoices![0]).toMatchObject({ amount: '20050', paymentAmount: '10050' });
		expect(read.warnings).toEqual([
			'totalPaymentAmount "5.00006e+08" is in exponent form and was read as 500006000; BRI may have rounded it: check the exact figure in BRI Smart Billing (Payment → Get by BRIVA Number gives the totalAmount) before booking.',
		]);
		expect(read.invoiceWarnings[0]).toHaveLength(2);
		expect(read.invoiceWarnings[0][0]).toMatch(
			/^invoice\[0\]\.amount "2\.005e\+04" is in exponent form and was read as 20050; BRI may have rounded it/,
		);
		expect(read.invoiceWarnings[1]).toEqual([]);
		// Parse Amounts gives numbers; the payment's warning is on every invoice item, each
		// invoice's own warnings on its item only.
		const [first, second] = callbackItems(read, 'perInvoice', true);
		expect(first).toMatchObject({ totalPaymentAmount: 500006000, amount: 20050 });
		expect(first.warnings).toEqual([...read.warnings, ...read.invoiceWarnings[0]]);
		expect(second.warnings).toEqual(read.warnings);
	});

	it('missing optional fields: no warning', () => {
		const bare = {
			brivaNo: '106100200000130',
			transactionDate: '2024-01-09',
			totalPaymentAmount: '20050',
			transactionID: '0000101240100001',
			paymentType: 'BRIVA',
			invoice: [
				{
					referenceNumInvoice: 'BRIBILL/23',
					referenceNumCustomer: 'IMASIT128',
					referenceNumFeetype: 'IPL001',
					amount: '20050',
				},
			],
		};
		const read = readPaymentCallback(copy(bare));
		expect(read.warnings).toEqual([]);
		expect(read.invoiceWarnings).toEqual([[]]);
		expect(items(bare)).toEqual([
			{
				brivaNo: '106100200000130',
				transactionID: '0000101240100001',
				transactionDate: '2024-01-09',
				paymentType: 'BRIVA',
				totalPaymentAmount: '20050',
				...bare.invoice[0],
			},
		]);
	});

	it('JSON numbers where the spec says string: accepted as they are', () => {
		const numbers = { ...copy(SAMPLE), totalPaymentAmount: 20050 };
		expect(readPaymentCallback(numbers).warnings).toEqual([]);
		expect(items(numbers)[0].totalPaymentAmount).toBe(20050);
	});
});

describe('readPaymentCallback: warnings a user can act on', () => {
	const CHECK = 'Check this payment in BRI Smart Billing before booking it.';
	const FIND =
		'Find the paid invoices with Payment → Get by BRIVA Number or Invoice → Get by Customer before booking.';

	it('a missing, empty or non-text mandatory field', () => {
		const { transactionID: _t, ...rest } = copy(SAMPLE);
		const odd = {
			...rest,
			brivaNo: '',
			paymentType: { type: 'BRIVA' },
			transactionDate: null,
			invoice: [{ ...SAMPLE.invoice[0], referenceNumCustomer: undefined, amount: ' ' }],
		};
		const read = readPaymentCallback(JSON.parse(JSON.stringify(odd)));
		expect(read.warnings).toEqual([
			`brivaNo is empty, though section 25 makes it mandatory. ${CHECK}`,
			`transactionDate is missing, though section 25 makes it mandatory. ${CHECK}`,
			`transactionID is missing, though section 25 makes it mandatory. ${CHECK}`,
			`paymentType is an object where section 25 has text; it is passed on as sent. ${CHECK}`,
			'Without a transactionID, a repeat of this callback cannot be recognised.',
		]);
		expect(read.invoiceWarnings[0]).toEqual([
			`invoice[0].referenceNumCustomer is missing, though section 25 makes it mandatory. ${CHECK}`,
			`invoice[0].amount is empty, though section 25 makes it mandatory. ${CHECK}`,
		]);
		// Nothing is dropped: the odd values are passed on as sent.
		expect(items(odd)[0]).toMatchObject({ brivaNo: '', paymentType: { type: 'BRIVA' } });
	});

	it('an amount that is no number', () => {
		const odd = copy(SAMPLE) as Record<string, any>;
		odd.totalPaymentAmount = 'Rp 20.050';
		odd.invoice[1].discount = 'none';
		const read = readPaymentCallback(odd);
		expect(read.warnings).toEqual([
			`totalPaymentAmount "Rp 20.050" is not a number; it is passed on as sent. ${CHECK}`,
		]);
		expect(read.invoiceWarnings[1]).toEqual([
			`invoice[1].discount "none" is not a number; it is passed on as sent. ${CHECK}`,
		]);
		expect(items(odd, 'perInvoice', true)[0].totalPaymentAmount).toBe('Rp 20.050');
	});

	it('no invoice list: missing, empty, unreadable text, or another type', () => {
		const { invoice: _i, ...noInvoice } = copy(SAMPLE);
		expect(readPaymentCallback(noInvoice).warnings).toEqual([
			`invoice is missing: the callback does not say which invoices were paid. ${FIND}`,
		]);
		expect(readPaymentCallback({ ...noInvoice, invoice: [] }).warnings).toEqual([
			`invoice is an empty list. ${FIND}`,
		]);
		expect(readPaymentCallback({ ...noInvoice, invoice: 'BRIBILL/23' }).warnings).toEqual([
			`invoice is text, not a list of invoices; it is passed on as sent. ${FIND}`,
		]);
		expect(readPaymentCallback({ ...noInvoice, invoice: 7 }).warnings).toEqual([
			`invoice is a number, not a list of invoices; it is passed on as sent. ${FIND}`,
		]);
		// The workflow still gets the payment: one item, per invoice or per payment.
		const [item] = items({ ...noInvoice, invoice: 'BRIBILL/23' });
		expect(item).toEqual({
			brivaNo: SAMPLE.brivaNo,
			transactionID: SAMPLE.transactionID,
			transactionDate: SAMPLE.transactionDate,
			paymentType: 'BRIVA',
			totalPaymentAmount: SAMPLE.totalPaymentAmount,
			additionalInfo: '',
			invoice: 'BRIBILL/23',
			warnings: [`invoice is text, not a list of invoices; it is passed on as sent. ${FIND}`],
		});
		expect(items(noInvoice)).toHaveLength(1);
		expect(items(noInvoice)[0]).not.toHaveProperty('invoice');
		expect(items({ ...noInvoice, invoice: [] }, 'perPayment')[0]).toMatchObject({ invoice: [] });
	});

	it('an invoice entry that is no object is passed on as its own item', () => {
		const odd = { ...copy(SAMPLE), invoice: [SAMPLE.invoice[0], 'BRIBILL/57'] };
		const read = readPaymentCallback(odd);
		expect(read.invoiceWarnings[1]).toEqual([
			`invoice[1] is text, not an invoice; it is passed on as sent. ${FIND}`,
		]);
		const [, second] = items(odd);
		expect(second).toMatchObject({ brivaNo: SAMPLE.brivaNo, invoice: 'BRIBILL/57' });
		expect(second.warnings).toEqual(read.invoiceWarnings[1]);
	});

	it('a body that is JSON but no object', () => {
		for (const body of [[SAMPLE], 'paid', 12, null, true]) {
			const read = readPaymentCallback(body);
			expect(read.warnings).toHaveLength(1);
			expect(read.warnings[0]).toMatch(
				/^The callback body is .+, not a JSON object; it is passed on as sent under body\. Check this payment/,
			);
			for (const mode of ['perInvoice', 'perPayment'] as const) {
				expect(callbackItems(read, mode, false)).toEqual([{ body, warnings: read.warnings }]);
			}
		}
	});

	it('a repeat is recognised by a usable transactionID only', () => {
		const key = (transactionID: unknown) =>
			transactionKey(readPaymentCallback({ ...copy(SAMPLE), transactionID }));
		expect(key('0000101240100001')).toBe('0000101240100001');
		expect(key(101240100001)).toBe('101240100001');
		for (const none of [undefined, null, '', '  ', { id: 1 }, ['x']])
			expect(key(none)).toBeUndefined();
		expect(transactionKey(readPaymentCallback([SAMPLE]))).toBeUndefined();
	});

	it('long values are cut short in warnings', () => {
		const odd = { ...copy(SAMPLE), totalPaymentAmount: 'x'.repeat(500) };
		const [warning] = readPaymentCallback(odd).warnings;
		expect(warning.length).toBeLessThan(200);
		expect(warning).toContain('…');
	});
});

describe('callbackItems', () => {
	it('one item per invoice with the payment fields, additionalInfo included (default)', () => {
		const withInfo = { ...copy(SAMPLE), additionalInfo: 'ORDER-77' };
		const result = items(withInfo);
		expect(result).toHaveLength(2);
		for (const [index, item] of result.entries()) {
			expect(item).toEqual({
				brivaNo: '106100200000130',
				transactionID: '0000101240100001',
				transactionDate: '2024-01-09',
				paymentType: 'BRIVA',
				totalPaymentAmount: '20050',
				additionalInfo: 'ORDER-77',
				...SAMPLE.invoice[index],
			});
		}
		expect(result[0]).not.toHaveProperty('invoice');
		expect(result[0]).not.toHaveProperty('warnings');
	});

	it('one item per payment: the payload under the sample’s names', () => {
		expect(items(SAMPLE, 'perPayment')).toEqual([SAMPLE]);
		expect(items(withTableNames(SAMPLE), 'perPayment')).toEqual([SAMPLE]);
	});

	it('parses scalar amounts to numbers when asked, and leaves lists and the input alone', () => {
		const input = copy(SAMPLE);
		const read = readPaymentCallback(input);
		const before = JSON.stringify(input);
		const [first, second] = callbackItems(read, 'perInvoice', true);
		expect(first).toMatchObject({
			totalPaymentAmount: 20050,
			amount: 20050,
			discount: 0,
			dueAmount: 10000,
			paymentAmount: 10050,
			fineAmount: 0,
		});
		expect(second).toMatchObject({
			additionalFeeAmount: '10000;3000',
			brivaNo: '106100200000130',
			taxType: '0',
		});
		const [payment] = callbackItems(read, 'perPayment', true);
		expect(payment.totalPaymentAmount).toBe(20050);
		expect((payment.invoice as Array<Record<string, unknown>>)[0].amount).toBe(20050);
		expect(JSON.stringify(input)).toBe(before);
	});

	it('parseAmount converts numeric strings only, exponent form included', () => {
		expect(parseAmount('20050')).toBe(20050);
		expect(parseAmount(' 100.50 ')).toBe(100.5);
		expect(parseAmount('-5')).toBe(-5);
		expect(parseAmount('5.00006e+08')).toBe(500006000);
		expect(parseAmount('1e3')).toBe(1000);
		expect(parseAmount('')).toBe('');
		expect(parseAmount('1.000,00')).toBe('1.000,00');
		expect(parseAmount('10000;3000')).toBe('10000;3000');
		expect(parseAmount('e3')).toBe('e3');
		expect(parseAmount('Infinity')).toBe('Infinity');
		expect(parseAmount(7)).toBe(7);
		expect(parseAmount(undefined)).toBeUndefined();
	});
});
