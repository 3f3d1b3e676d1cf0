// The CATAPA emulator over HTTP: token, Tenant checks, listings, memberships, errors, 429.
import { startCatapaEmulator, DEMO } from '../../../emulator/catapa';
import type { CatapaEmulator } from '../../../emulator';

const EMPLOYEE = '0ab1c2d3-e4f5-6789-0123-456789abcdef';

describe('CATAPA emulator', () => {
	let emu: CatapaEmulator;
	let token = '';

	async function call(
		method: string,
		path: string,
		options: { body?: unknown; headers?: Record<string, string> } = {},
	) {
		const response = await fetch(emu.url + path, {
			method,
			headers: {
				Authorization: `Bearer ${token}`,
				Tenant: DEMO.tenant,
				...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
				...options.headers,
			},
			body:
				options.body === undefined
					? undefined
					: typeof options.body === 'string'
						? options.body
						: JSON.stringify(options.body),
		});
		return {
			status: response.status,
			headers: response.headers,
			body: (await response.json()) as any,
		};
	}

	async function getToken(
		id: string = DEMO.clientId,
		secret: string = DEMO.clientSecret,
		tenant: string | null = DEMO.tenant,
		form = 'grant_type=client_credentials',
	) {
		const response = await fetch(`${emu.url}/oauth/token`, {
			method: 'POST',
			headers: {
				Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
				'Content-Type': 'application/x-www-form-urlencoded',
				...(tenant === null ? {} : { Tenant: tenant }),
			},
			body: form,
		});
		return { status: response.status, body: (await response.json()) as any };
	}

	beforeAll(async () => {
		emu = await startCatapaEmulator({ port: 0 });
	});
	afterAll(async () => await emu.close());
	beforeEach(async () => {
		emu.reset();
		token = (await getToken()).body.access_token;
	});

	describe('token endpoint', () => {
		it('issues a bearer token for the demo client', async () => {
			const { status, body } = await getToken();
			expect(status).toBe(200);
			expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
			expect(body.access_token).toMatch(/^[0-9a-f]{48}$/);
		});
		it('refuses a wrong secret, a wrong tenant, no tenant and another grant type', async () => {
			expect(await getToken(DEMO.clientId, 'nope')).toMatchObject({
				status: 401,
				body: { error: 'invalid_client' },
			});
			expect(await getToken(DEMO.clientId, DEMO.clientSecret, 'other-tenant')).toMatchObject({
				status: 401,
			});
			expect(await getToken(DEMO.clientId, DEMO.clientSecret, null)).toMatchObject({
				status: 400,
				body: { error: 'invalid_request' },
			});
			expect(
				await getToken(DEMO.clientId, DEMO.clientSecret, DEMO.tenant, 'grant_type=password'),
			).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
		});
		it('honours tokenLifetimeSec and expireTokens()', async () => {
			emu.configure({ tokenLifetimeSec: 60 });
			expect((await getToken()).body.expires_in).toBe(60);
			emu.expireTokens();
			expect(await call('GET', '/core/v1/employees')).toMatchObject({
				status: 401,
				body: { code: 'UNAUTHORIZED', message: 'Access token expired' },
			});
		});
	});

	describe('authorization on API calls', () => {
		it("needs a known token and the matching Tenant header, and answers in CATAPA's error shape", async () => {
			const noToken = await call('GET', '/core/v1/employees', {
				headers: { Authorization: 'Bearer nope' },
			});
			expect(noToken.status).toBe(401);
			expect(Object.keys(noToken.body).sort()).toEqual(['code', 'message', 'status', 'timestamp']);
			expect(noToken.body.status).toBe(401);
			expect(await call('GET', '/core/v1/employees', { headers: { Tenant: '' } })).toMatchObject({
				status: 400,
				body: { code: 'TENANT_REQUIRED' },
			});
			expect(
				await call('GET', '/core/v1/employees', { headers: { Tenant: 'other' } }),
			).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
			expect(await call('GET', '/core/v1/nothing')).toMatchObject({
				status: 404,
				body: { code: 'NOT_FOUND' },
			});
		});
	});

	describe('listings', () => {
		it('pages employees with page/size and reports the totals', async () => {
			const first = await call('GET', '/core/v1/employees?page=0&size=50');
			expect(first.body).toMatchObject({
				number: 0,
				size: 50,
				numberOfElements: 50,
				totalElements: 120,
				totalPages: 3,
			});
			const last = await call('GET', '/core/v1/employees?page=2&size=50');
			expect(last.body.numberOfElements).toBe(20);
			expect(first.body.content[0].id).toBe(EMPLOYEE);
		});
		it('refuses size over 50', async () => {
			expect(await call('GET', '/core/v1/employees?size=51')).toMatchObject({
				status: 400,
				body: { code: 'BAD_REQUEST' },
			});
		});
		it('searches with query=name:<text>, case-insensitively', async () => {
			const { body } = await call(
				'GET',
				`/core/v1/employees?query=${encodeURIComponent('name:siti rahayu')}`,
			);
			expect(body.totalElements).toBeGreaterThan(0);
			for (const employee of body.content) expect(employee.name).toBe('Siti Rahayu');
			expect(await call('GET', '/core/v1/employees?query=salary:1')).toMatchObject({ status: 400 });
		});
		it.each([
			'bpjs-healthcare-providers',
			'bpjs-healthcare-templates',
			'bpjs-manpower-providers',
			'bpjs-manpower-templates',
		])('lists %s', async (list) => {
			const { status, body } = await call('GET', `/core/v1/${list}?page=0&size=50`);
			expect(status).toBe(200);
			expect(body.content.length).toBeGreaterThan(1);
			expect(body.content[0]).toEqual(
				expect.objectContaining({
					id: expect.any(String),
					name: expect.any(String),
					code: expect.any(String),
				}),
			);
		});
	});

	describe('memberships', () => {
		it("gets the seeded healthcare and manpower memberships with the spec's response fields", async () => {
			const healthcare = await call(
				'GET',
				`/core/v1/employees/${EMPLOYEE}/bpjs-healthcare-memberships`,
			);
			expect(Object.keys(healthcare.body).sort()).toEqual([
				'dentalHealthcareFacility',
				'effectiveDate',
				'employeeId',
				'endDate',
				'firstLevelHealthcareFacility',
				'id',
				'membershipNumber',
				'startDate',
			]);
			const manpower = await call(
				'GET',
				`/core/v1/employees/${EMPLOYEE}/bpjs-manpower-memberships`,
			);
			expect(Object.keys(manpower.body).sort()).toEqual([
				'effectiveDate',
				'endDate',
				'id',
				'membershipNumber',
				'pensionEnd',
				'startDate',
			]);
		});
		it('answers 404 for an unknown employee and for an employee without membership', async () => {
			expect(
				await call('GET', '/core/v1/employees/nobody/bpjs-healthcare-memberships'),
			).toMatchObject({ status: 404, body: { code: 'EMPLOYEE_NOT_FOUND' } });
			const without = emu.state.employees[100].id;
			expect(
				await call('GET', `/core/v1/employees/${without}/bpjs-manpower-memberships`),
			).toMatchObject({ status: 404, body: { code: 'BPJS_MANPOWER_MEMBERSHIP_NOT_FOUND' } });
		});
		it('updates a healthcare membership; effectiveDate defaults to startDate', async () => {
			const employee = emu.state.employees[50].id;
			const body = {
				bpjsHealthcareProviderId: emu.state.healthcareProviders[1].id,
				bpjsHealthcareTemplateId: emu.state.healthcareTemplates[1].id,
				membershipNumber: '0009876543210',
				startDate: '2024-03-01',
				additionalFamilyMemberships: [{ familyMemberId: 'f1' }],
			};
			const put = await call('PUT', `/core/v1/employees/${employee}/bpjs-healthcare-memberships`, {
				body,
			});
			expect(put).toMatchObject({
				status: 200,
				body: {
					employeeId: employee,
					membershipNumber: '0009876543210',
					startDate: '2024-03-01',
					effectiveDate: '2024-03-01',
				},
			});
			expect(emu.state.healthcareMemberships.get(employee)).toMatchObject({
				bpjsHealthcareTemplateId: body.bpjsHealthcareTemplateId,
				additionalFamilyMemberships: [{ familyMemberId: 'f1' }],
			});
			expect(
				(await call('GET', `/core/v1/employees/${employee}/bpjs-healthcare-memberships`)).body,
			).toEqual(put.body);
		});
		it('updates a manpower membership without a membership number', async () => {
			const body = {
				bpjsManpowerProviderId: emu.state.manpowerProviders[0].id,
				bpjsManpowerTemplateId: emu.state.manpowerTemplates[1].id,
				startDate: '2024-01-01',
				effectiveDate: '2024-02-01',
			};
			const put = await call('PUT', `/core/v1/employees/${EMPLOYEE}/bpjs-manpower-memberships`, {
				body,
			});
			expect(put).toMatchObject({
				status: 200,
				body: { membershipNumber: '21000000000', effectiveDate: '2024-02-01' },
			});
		});
		it.each([
			[{}, 'bpjsHealthcareProviderId must not be blank'],
			[{ startDate: '2024-02-30' }, 'startDate must be a date in yyyy-MM-dd format'],
			[{ effectiveDate: '2023-13-01' }, 'effectiveDate must be a date in yyyy-MM-dd format'],
			[{ bpjsHealthcareProviderId: 'unknown' }, 'bpjsHealthcareProviderId unknown does not exist'],
			[
				{ additionalFamilyMemberships: 'x' },
				'additionalFamilyMemberships must be an array of objects',
			],
		])('refuses a bad healthcare update %p', async (change, message) => {
			const valid = {
				bpjsHealthcareProviderId: emu.state.healthcareProviders[0].id,
				bpjsHealthcareTemplateId: emu.state.healthcareTemplates[0].id,
				membershipNumber: '0001234567890',
				startDate: '2024-01-01',
			};
			const body = Object.keys(change).length === 0 ? {} : { ...valid, ...change };
			const answer = await call(
				'PUT',
				`/core/v1/employees/${EMPLOYEE}/bpjs-healthcare-memberships`,
				{ body },
			);
			expect(answer.status).toBe(400);
			expect(answer.body.message).toBe(message);
		});
		it('refuses a body that is not JSON', async () => {
			expect(
				await call('PUT', `/core/v1/employees/${EMPLOYEE}/bpjs-manpower-memberships`, {
					body: '{',
				}),
			).toMatchObject({ status: 400, body: { message: 'Request body is not valid JSON' } });
		});
	});

	describe('rate limit', () => {
		it('answers 429 with Retry-After over the per-minute limit', async () => {
			emu.configure({ rateLimitPerMinute: 3 });
			const statuses = [];
			for (let i = 0; i < 4; i++)
				statuses.push((await call('GET', '/core/v1/bpjs-manpower-templates')).status);
			expect(statuses).toEqual([200, 200, 200, 429]);
			const limited = await call('GET', '/core/v1/bpjs-manpower-templates');
			expect(limited.body.code).toBe('TOO_MANY_REQUESTS');
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(emu.stats().rateLimited).toBe(2);
		});
		it('forces N 429s on demand, with or without Retry-After', async () => {
			emu.configure({ force429: 2, retryAfterSec: null });
			const first = await call('GET', '/core/v1/employees?size=1');
			expect(first.status).toBe(429);
			expect(first.headers.get('retry-after')).toBeNull();
			expect((await call('GET', '/core/v1/employees?size=1')).status).toBe(429);
			expect((await call('GET', '/core/v1/employees?size=1')).status).toBe(200);
		});
	});

	it('logs requests with headers and counts them per endpoint', async () => {
		await call('GET', `/core/v1/employees/${EMPLOYEE}/bpjs-healthcare-memberships`);
		const entry = emu.requests[emu.requests.length - 1];
		expect(entry).toMatchObject({
			method: 'GET',
			status: 200,
			endpoint: 'GET /core/v1/employees/{employeeId}/bpjs-healthcare-memberships',
		});
		expect(entry.headers.tenant).toBe(DEMO.tenant);
		expect(emu.stats()).toMatchObject({
			tokenRequests: 1,
			requests: 1,
			byEndpoint: {
				'POST /oauth/token': 1,
				'GET /core/v1/employees/{employeeId}/bpjs-healthcare-memberships': 1,
			},
		});
	});

	it('answers the same controls over HTTP under /_emulator, without logging them', async () => {
		const post = async (path: string, body?: unknown) =>
			(
				await fetch(`${emu.url}/_emulator/${path}`, {
					method: 'POST',
					body: body === undefined ? undefined : JSON.stringify(body),
				})
			).json();
		const get = async (path: string) =>
			(await fetch(`${emu.url}/_emulator/${path}`)).json() as Promise<any>;
		expect(await post('config', { force429: 1, retryAfterSec: 0 })).toMatchObject({
			force429: 1,
			retryAfterSec: 0,
			rateLimitPerMinute: 400,
		});
		expect((await call('GET', '/core/v1/bpjs-manpower-templates')).status).toBe(429);
		expect(await get('stats')).toMatchObject({ tokenRequests: 1, requests: 1, rateLimited: 1 });
		expect(await get('requests?limit=1')).toEqual([
			expect.objectContaining({ status: 429, endpoint: 'GET /core/v1/bpjs-manpower-templates' }),
		]);
		const state = await get('state');
		expect(state.employees).toHaveLength(120);
		expect(state.healthcareMemberships[EMPLOYEE]).toMatchObject({ employeeId: EMPLOYEE });
		expect(await post('expire-tokens')).toEqual({ ok: true });
		expect((await call('GET', '/core/v1/employees')).status).toBe(401);
		expect(await post('reset')).toEqual({ ok: true });
		expect(emu.requests).toHaveLength(0);
		expect((await fetch(`${emu.url}/_emulator/nope`)).status).toBe(404);
	});

	it('adds latency when asked', async () => {
		emu.configure({ latencyMs: 150 });
		const started = Date.now();
		await call('GET', '/core/v1/bpjs-healthcare-providers');
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('starts empty without seed data', async () => {
		const bare = await startCatapaEmulator({ port: 0, seed: false });
		try {
			expect(bare.state.employees).toEqual([]);
		} finally {
			await bare.close();
		}
	});
});
