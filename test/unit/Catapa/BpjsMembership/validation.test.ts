import { DateTime } from 'luxon';

import {
	CatapaInputError,
	employeeId,
	healthcareCardWarning,
	kpjWarning,
	optionalDate,
	prepareHealthcareUpdate,
	prepareManpowerUpdate,
	requiredDate,
} from '../../../../nodes/Catapa/BpjsMembership/validation';

function inputError(fn: () => unknown): CatapaInputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(CatapaInputError);
		return error as CatapaInputError;
	}
	throw new Error('expected a CatapaInputError');
}

const healthcare = {
	bpjsHealthcareProviderId: 'prov',
	bpjsHealthcareTemplateId: 'tmpl',
	membershipNumber: '0001234567890',
	startDate: '2024-01-01',
};
const manpower = {
	bpjsManpowerProviderId: 'prov',
	bpjsManpowerTemplateId: 'tmpl',
	startDate: '2024-01-01',
};

describe('dates', () => {
	it('accepts real yyyy-MM-dd dates and Luxon DateTimes', () => {
		expect(requiredDate('startDate', ' 2024-02-29 ')).toBe('2024-02-29');
		expect(
			optionalDate(
				'effectiveDate',
				DateTime.fromISO('2024-03-05T23:30:00', { zone: 'Asia/Jakarta' }),
			),
		).toBe('2024-03-05');
		expect(optionalDate('effectiveDate', '')).toBeUndefined();
	});
	it('takes an ISO date-time (a DateTime n8n turned into text) as the date it is written with', () => {
		expect(optionalDate('effectiveDate', '2024-02-05T00:00:00.000+07:00')).toBe('2024-02-05');
		expect(optionalDate('effectiveDate', '2024-02-05T23:30:00Z')).toBe('2024-02-05');
		expect(optionalDate('effectiveDate', '2024-02-05T08:15')).toBe('2024-02-05');
	});
	it.each([
		'2023-02-29',
		'2024-13-01',
		'01/02/2024',
		'2024-1-5',
		'2024-02-30T00:00:00Z',
		'2024-01-01 00:00',
		'2024-01-01Tnoon',
		45321,
	])('refuses %p', (value) => {
		const error = inputError(() => requiredDate('startDate', value));
		expect(error.field).toBe('startDate');
		expect(error.message).toMatch(
			/^Start Date \(startDate\) must be a date in yyyy-MM-dd form, e.g. 2024-01-31; got /,
		);
	});
	it('says a missing date is required', () => {
		expect(inputError(() => requiredDate('startDate', undefined)).message).toBe(
			'Start Date (startDate) is required (yyyy-MM-dd, e.g. 2024-01-31)',
		);
	});
});

describe('employeeId', () => {
	it('accepts IDs and refuses blanks and path characters', () => {
		expect(employeeId(' 0ab1c2d3-e4f5-6789-0123-456789abcdef ')).toBe(
			'0ab1c2d3-e4f5-6789-0123-456789abcdef',
		);
		expect(inputError(() => employeeId('')).message).toBe('Employee (employeeId) is required');
		expect(inputError(() => employeeId('a/b')).field).toBe('employeeId');
	});
});

describe('soft checks', () => {
	it('warns about card numbers that are not 13 digits', () => {
		expect(healthcareCardWarning('0001234567890')).toBeUndefined();
		expect(healthcareCardWarning('1234567890')).toMatch(
			/usually has 13 digits; "1234567890" has 10 digits \(a number column in a spreadsheet may have dropped leading zeros\)/,
		);
		expect(healthcareCardWarning('0001-2345-6789-0')).toMatch(/13 digits and other characters/);
	});
	it('warns about KPJ numbers that are not 11 digits', () => {
		expect(kpjWarning('21000000000')).toBeUndefined();
		expect(kpjWarning(undefined)).toBeUndefined();
		expect(kpjWarning('2100000000012')).toMatch(
			/KPJ number usually has 11 digits; "2100000000012" has 13 digits\. Sent as given\./,
		);
	});
});

describe('prepareHealthcareUpdate', () => {
	it('builds the spec body, dropping empty optional fields', () => {
		expect(
			prepareHealthcareUpdate({ ...healthcare, dentalHealthcareFacility: '', effectiveDate: '' }),
		).toEqual({
			body: healthcare,
			warnings: [],
		});
	});
	it('passes optional fields and the family array', () => {
		const { body } = prepareHealthcareUpdate({
			...healthcare,
			effectiveDate: '2024-02-01',
			bpjsHealthcareTreatmentClassId: 'class-1',
			firstLevelHealthcareFacility: 'Puskesmas',
			additionalFamilyMemberships: '[{"familyMemberId":"f1","membershipNumber":"0009876543210"}]',
		});
		expect(body).toMatchObject({
			effectiveDate: '2024-02-01',
			bpjsHealthcareTreatmentClassId: 'class-1',
			firstLevelHealthcareFacility: 'Puskesmas',
			additionalFamilyMemberships: [{ familyMemberId: 'f1', membershipNumber: '0009876543210' }],
		});
	});
	it('turns numbers from a sheet into text and warns when zeros went missing', () => {
		const { body, warnings } = prepareHealthcareUpdate({
			...healthcare,
			membershipNumber: 1234567890,
		});
		expect(body.membershipNumber).toBe('1234567890');
		expect(warnings).toHaveLength(1);
	});
	it('sends an effective date before the start date, with a warning', () => {
		const { body, warnings } = prepareHealthcareUpdate({
			...healthcare,
			effectiveDate: '2023-12-31',
		});
		expect(body.effectiveDate).toBe('2023-12-31');
		expect(warnings).toEqual([
			expect.stringMatching(
				/^Effective Date \(effectiveDate\) 2023-12-31 is before Start Date 2024-01-01: sent as it is/,
			),
		]);
		const manpower = prepareManpowerUpdate({
			bpjsManpowerProviderId: 'p',
			bpjsManpowerTemplateId: 't',
			startDate: '2024-01-01',
			effectiveDate: '2024-01-02',
		});
		expect(manpower.warnings).toEqual([]);
	});
	it.each([
		[
			'bpjsHealthcareProviderId',
			{ ...healthcare, bpjsHealthcareProviderId: '' },
			/BPJS Healthcare Provider \(bpjsHealthcareProviderId\) is required/,
		],
		[
			'bpjsHealthcareTemplateId',
			{ ...healthcare, bpjsHealthcareTemplateId: undefined },
			/is required/,
		],
		[
			'membershipNumber',
			{ ...healthcare, membershipNumber: ' ' },
			/Membership Number \(membershipNumber\) is required/,
		],
		['startDate', { ...healthcare, startDate: '31-01-2024' }, /yyyy-MM-dd/],
		['effectiveDate', { ...healthcare, effectiveDate: '2023-13-31' }, /yyyy-MM-dd/],
		[
			'additionalFamilyMemberships',
			{ ...healthcare, additionalFamilyMemberships: '{oops' },
			/not JSON/,
		],
		[
			'additionalFamilyMemberships',
			{ ...healthcare, additionalFamilyMemberships: '{"a":1}' },
			/must be a JSON array of objects/,
		],
		['membershipNumber', { ...healthcare, membershipNumber: { x: 1 } }, /must be text/],
	])('refuses bad %s', (field, input, message) => {
		const error = inputError(() => prepareHealthcareUpdate(input as Record<string, unknown>));
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});
});

describe('prepareManpowerUpdate', () => {
	it('leaves out the optional membership number', () => {
		expect(prepareManpowerUpdate(manpower)).toEqual({ body: manpower, warnings: [] });
	});
	it('warns on a KPJ number of the wrong length, but still sends it', () => {
		const { body, warnings } = prepareManpowerUpdate({
			...manpower,
			membershipNumber: '123',
			effectiveDate: '2024-01-01',
		});
		expect(body).toEqual({ ...manpower, membershipNumber: '123', effectiveDate: '2024-01-01' });
		expect(warnings[0]).toMatch(
			/^membershipNumber: a BPJS Ketenagakerjaan KPJ number usually has 11 digits/,
		);
	});
	it('refuses a missing provider', () => {
		expect(
			inputError(() => prepareManpowerUpdate({ ...manpower, bpjsManpowerProviderId: '' })).field,
		).toBe('bpjsManpowerProviderId');
	});
});
