import {
	CATAPA_MAX_ATTEMPTS,
	CATAPA_MAX_WAIT_MS,
	catapaErrorDetails,
	retryDelayMs,
} from '../../../../nodes/Catapa/BpjsMembership/errors';

describe('catapaErrorDetails', () => {
	it('turns {code, message, status, timestamp} into a readable message', () => {
		const details = catapaErrorDetails(404, {
			code: 'EMPLOYEE_NOT_FOUND',
			message: 'Employee x not found',
			status: 404,
			timestamp: '2024-01-01T00:00:00Z',
		});
		expect(details.message).toBe(
			'Not found in CATAPA: Employee x not found (HTTP 404, EMPLOYEE_NOT_FOUND)',
		);
		// CATAPA's message is in the message; the description says what to do, once.
		expect(details.description).toBe(
			'Check the employee ID, and that the employee belongs to this tenant.',
		);
		expect(details).toMatchObject({
			httpCode: '404',
			code: 'EMPLOYEE_NOT_FOUND',
			timestamp: '2024-01-01T00:00:00Z',
		});
	});
	it('handles 400, 401, 403, 429 and 5xx, JSON text and bodies without fields', () => {
		expect(
			catapaErrorDetails(400, '{"code":"BAD_REQUEST","message":"startDate must not be blank"}')
				.message,
		).toBe('CATAPA rejected the request: startDate must not be blank (HTTP 400, BAD_REQUEST)');
		expect(catapaErrorDetails(401, {}).description).toMatch(/Client ID, Client Secret and Tenant/);
		expect(catapaErrorDetails(403, {}).message).toBe(
			'The CATAPA client is not allowed to do this (HTTP 403)',
		);
		expect(catapaErrorDetails(429, {}).message).toContain(`after ${CATAPA_MAX_ATTEMPTS} tries`);
		expect(catapaErrorDetails(503, 'Service Unavailable').message).toBe(
			'CATAPA failed to handle the request (HTTP 503)',
		);
		expect(catapaErrorDetails(418, null).description).toBe('');
	});
	it('names the item after the headline', () => {
		expect(catapaErrorDetails(404, { code: 'X', message: 'gone' }, 'employee "e-1"').message).toBe(
			'Not found in CATAPA for employee "e-1": gone (HTTP 404, X)',
		);
	});
});

describe('retryDelayMs', () => {
	it('follows Retry-After in seconds', () => {
		expect(retryDelayMs('2', 1)).toBe(2000);
		expect(retryDelayMs(['0'], 3)).toBe(0);
		expect(retryDelayMs(1.5, 1)).toBe(1500);
	});
	it('follows Retry-After as an HTTP date', () => {
		const now = Date.parse('2024-01-01T00:00:00Z');
		expect(retryDelayMs('Mon, 01 Jan 2024 00:00:05 GMT', 1, now)).toBe(5000);
		expect(retryDelayMs('Sun, 31 Dec 2023 23:59:00 GMT', 1, now)).toBe(0);
	});
	it('backs off exponentially without Retry-After, and never waits over a minute', () => {
		expect([1, 2, 3, 4].map((attempt) => retryDelayMs(undefined, attempt))).toEqual([
			1000, 2000, 4000, 8000,
		]);
		expect(retryDelayMs('garbage', 2)).toBe(2000);
		expect(retryDelayMs(undefined, 30)).toBe(CATAPA_MAX_WAIT_MS);
		expect(retryDelayMs('3600', 1)).toBe(CATAPA_MAX_WAIT_MS);
	});
});
