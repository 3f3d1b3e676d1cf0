// BPJS Membership node through n8n-core's engine against the CATAPA emulator over HTTP:
// all four operations, the pickers, token reuse, the Tenant header, validation before sending,
// 429 handling, On Error → Continue and Requests at Once.
import type { IDataObject, INodeListSearchResult, INodeParameters } from 'n8n-workflow';

import { BpjsMembership } from '../../../../nodes/Catapa/BpjsMembership/BpjsMembership.node';
import { CredentialStore, runNode, testCredentials } from '../../harness';
import type { RunNodeResult } from '../../harness';
import { runListSearch } from '../../listSearch';
import { useCatapa } from './catapaEmulator';

import { DEMO } from '../../../../emulator/catapa';
import type { CatapaEmulator, CatapaRequest } from '../../../../emulator';

const SPEC_EMPLOYEE = '0ab1c2d3-e4f5-6789-0123-456789abcdef';
const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const list = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: 'picked' });

describe('BPJS Membership node against the CATAPA emulator', () => {
	const fixture = useCatapa();
	let emu: CatapaEmulator;
	let store: CredentialStore;
	let catapaApi: { id: string; name: string };
	beforeEach(() => ({ emu, store, catapaApi } = fixture));

	const api = () => emu.requests.filter((r) => r.endpoint !== 'POST /oauth/token');
	const employee = (n: number) => emu.state.employees[n].id as string;
	const ids = () => ({
		hcProvider: emu.state.healthcareProviders[1].id as string,
		hcTemplate: emu.state.healthcareTemplates[1].id as string,
		mpProvider: emu.state.manpowerProviders[0].id as string,
		mpTemplate: emu.state.manpowerTemplates[1].id as string,
	});

	const run = fixture.run;
	async function ok(
		parameters: INodeParameters,
		items: IDataObject[] = [{}],
	): Promise<RunNodeResult> {
		const result = await run(parameters, items);
		if (result.error) throw result.error;
		return result;
	}

	/** Every API call carried the tenant and a bearer token; the token call carried the tenant too. */
	function expectTenantOnEveryCall() {
		expect(emu.requests.length).toBeGreaterThan(0);
		for (const request of emu.requests) {
			expect(request.headers.tenant).toBe(DEMO.tenant);
			expect(request.headers.authorization).toMatch(
				request.endpoint === 'POST /oauth/token' ? /^Basic / : /^Bearer [0-9a-f]{48}$/,
			);
		}
	}

	describe('the four operations', () => {
		it('healthcareMembership get: one item per employee, paired', async () => {
			const out = await ok(
				{
					resource: 'healthcareMembership',
					operation: 'get',
					employeeId: rl('={{$json.employeeId}}'),
				},
				[{ employeeId: SPEC_EMPLOYEE }, { employeeId: employee(3) }],
			);
			expect(out.items.map((i) => i.json.employeeId)).toEqual([SPEC_EMPLOYEE, employee(3)]);
			expect(out.items[0].json).toMatchObject({
				membershipNumber: '0001234567000',
				firstLevelHealthcareFacility: 'Puskesmas Menteng',
			});
			expect(out.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(api().map((r) => `${r.method} ${r.path}`)).toEqual([
				`GET /core/v1/employees/${SPEC_EMPLOYEE}/bpjs-healthcare-memberships`,
				`GET /core/v1/employees/${employee(3)}/bpjs-healthcare-memberships`,
			]);
			expectTenantOnEveryCall();
		});

		it('healthcareMembership update: sends the spec body, with optional fields and family memberships', async () => {
			const { hcProvider, hcTemplate } = ids();
			const out = await ok({
				resource: 'healthcareMembership',
				operation: 'update',
				employeeId: rl(employee(40)),
				bpjsHealthcareProviderId: list(hcProvider),
				bpjsHealthcareTemplateId: rl(hcTemplate),
				membershipNumber: '0009876543210',
				startDate: '2024-01-01',
				additionalFields: {
					effectiveDate: '2024-02-01',
					firstLevelHealthcareFacility: 'Klinik Pratama Sehat',
					dentalHealthcareFacility: 'Klinik Gigi Ceria',
					bpjsHealthcareTreatmentClassId: 'class-1',
					additionalFamilyMemberships:
						'[{"familyMemberId":"f-1","membershipNumber":"0001111111111"}]',
				},
			});
			const sent = api()[0];
			expect(sent).toMatchObject({
				method: 'PUT',
				path: `/core/v1/employees/${employee(40)}/bpjs-healthcare-memberships`,
				status: 200,
			});
			expect(JSON.parse(sent.body)).toEqual({
				bpjsHealthcareProviderId: hcProvider,
				bpjsHealthcareTemplateId: hcTemplate,
				bpjsHealthcareTreatmentClassId: 'class-1',
				dentalHealthcareFacility: 'Klinik Gigi Ceria',
				firstLevelHealthcareFacility: 'Klinik Pratama Sehat',
				membershipNumber: '0009876543210',
				startDate: '2024-01-01',
				effectiveDate: '2024-02-01',
				additionalFamilyMemberships: [{ familyMemberId: 'f-1', membershipNumber: '0001111111111' }],
			});
			expect(out.items).toEqual([
				{
					json: expect.objectContaining({
						employeeId: employee(40),
						membershipNumber: '0009876543210',
						effectiveDate: '2024-02-01',
					}),
					pairedItem: { item: 0 },
				},
			]);
			expect(out.items[0].json.warnings).toBeUndefined();
			expect(emu.state.healthcareMemberships.get(employee(40))).toMatchObject({
				bpjsHealthcareTemplateId: hcTemplate,
			});
		});

		it('manpowerMembership get', async () => {
			const out = await ok({
				resource: 'manpowerMembership',
				operation: 'get',
				employeeId: list(SPEC_EMPLOYEE),
			});
			expect(out.items[0].json).toMatchObject({
				membershipNumber: '21000000000',
				pensionEnd: expect.any(String),
			});
			expect(api()[0].path).toBe(`/core/v1/employees/${SPEC_EMPLOYEE}/bpjs-manpower-memberships`);
		});

		it('manpowerMembership update: membership number optional, effective date defaults to the start date', async () => {
			const { mpProvider, mpTemplate } = ids();
			const out = await ok({
				resource: 'manpowerMembership',
				operation: 'update',
				employeeId: rl(employee(60)),
				bpjsManpowerProviderId: rl(mpProvider),
				bpjsManpowerTemplateId: rl(mpTemplate),
				startDate: '2024-05-01',
				additionalFields: {},
			});
			expect(JSON.parse(api()[0].body)).toEqual({
				bpjsManpowerProviderId: mpProvider,
				bpjsManpowerTemplateId: mpTemplate,
				startDate: '2024-05-01',
			});
			expect(out.items[0].json).toMatchObject({
				startDate: '2024-05-01',
				effectiveDate: '2024-05-01',
				membershipNumber: null,
			});
		});
	});

	it('takes a Luxon date from an expression as its calendar date', async () => {
		const { mpProvider, mpTemplate } = ids();
		const out = await ok({
			resource: 'manpowerMembership',
			operation: 'update',
			employeeId: rl(employee(61)),
			bpjsManpowerProviderId: rl(mpProvider),
			bpjsManpowerTemplateId: rl(mpTemplate),
			startDate: "={{ DateTime.fromISO('2024-01-05') }}",
			additionalFields: {
				effectiveDate: "={{ DateTime.fromISO('2024-01-05').plus({ months: 1 }) }}",
			},
		});
		expect(JSON.parse(api()[0].body)).toMatchObject({
			startDate: '2024-01-05',
			effectiveDate: '2024-02-05',
		});
		expect(out.items[0].json).toMatchObject({
			startDate: '2024-01-05',
			effectiveDate: '2024-02-05',
		});
	});

	describe('soft format checks', () => {
		it('warn on the output item and still send: card number not 13 digits, KPJ not 11 digits', async () => {
			const { hcProvider, hcTemplate, mpProvider, mpTemplate } = ids();
			const healthcare = await ok(
				{
					resource: 'healthcareMembership',
					operation: 'update',
					employeeId: rl(employee(20)),
					bpjsHealthcareProviderId: rl(hcProvider),
					bpjsHealthcareTemplateId: rl(hcTemplate),
					// A spreadsheet number column dropped the leading zeros.
					membershipNumber: '={{ $json.card }}',
					startDate: '2024-01-01',
				},
				[{ card: 1234567890 }],
			);
			expect(healthcare.items[0].json.membershipNumber).toBe('1234567890');
			expect(healthcare.items[0].json.warnings).toEqual([
				expect.stringMatching(
					/^membershipNumber: a BPJS Kesehatan card number usually has 13 digits; "1234567890" has 10 digits/,
				),
			]);

			const manpower = await ok({
				resource: 'manpowerMembership',
				operation: 'update',
				employeeId: rl(employee(20)),
				bpjsManpowerProviderId: rl(mpProvider),
				bpjsManpowerTemplateId: rl(mpTemplate),
				startDate: '2024-01-01',
				additionalFields: { membershipNumber: '2100-000-001' },
			});
			expect(manpower.items[0].json.warnings).toEqual([
				expect.stringMatching(
					/KPJ number usually has 11 digits; "2100-000-001" has 10 digits and other characters/,
				),
			]);
			expect(api().filter((r) => r.method === 'PUT')).toHaveLength(2);
		});
	});

	describe('an HR sheet of many rows', () => {
		const sheet = (n: number) =>
			Array.from({ length: n }, (_, i) => ({
				employeeId: emu.state.employees[i].id,
				kpj: String(22000000000 + i),
				start: '2024-07-01',
			}));
		const manpowerFromSheet = (): INodeParameters => ({
			resource: 'manpowerMembership',
			operation: 'update',
			employeeId: rl('={{ $json.employeeId }}'),
			bpjsManpowerProviderId: rl(ids().mpProvider),
			bpjsManpowerTemplateId: rl(ids().mpTemplate),
			startDate: '={{ $json.start }}',
			additionalFields: { membershipNumber: '={{ $json.kpj }}' },
		});

		it('uses one token for 60 items, stores it with the credential, and sends the Tenant header on every call', async () => {
			const rows = sheet(60);
			const out = await ok(manpowerFromSheet(), rows);
			expect(out.items).toHaveLength(60);
			expect(out.items.map((i) => i.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
			expect(out.items.map((i) => i.json.membershipNumber)).toEqual(rows.map((r) => r.kpj));
			expect(emu.stats().tokenRequests).toBe(1);
			expect(
				emu.stats().byEndpoint['PUT /core/v1/employees/{employeeId}/bpjs-manpower-memberships'],
			).toBe(60);
			expectTenantOnEveryCall();
			// n8n keeps the token with the credential: a second run asks for none.
			expect(store.updates).toHaveLength(1);
			await ok(manpowerFromSheet(), sheet(5));
			expect(emu.stats().tokenRequests).toBe(1);
		});

		it('fetches a new token once when CATAPA says the stored one expired (401)', async () => {
			await ok(manpowerFromSheet(), sheet(2));
			emu.expireTokens();
			const out = await ok(manpowerFromSheet(), sheet(3));
			expect(out.items).toHaveLength(3);
			expect(emu.stats().tokenRequests).toBe(2);
			expect(api().filter((r) => r.status === 401)).toHaveLength(1);
		});

		it('rides out HTTP 429 after Retry-After without losing or duplicating an item', async () => {
			emu.configure({ force429: 3, retryAfterSec: 0 });
			const rows = sheet(10);
			const out = await ok(manpowerFromSheet(), rows);
			expect(emu.stats().rateLimited).toBe(3);
			expect(out.items.map((i) => i.json.membershipNumber)).toEqual(rows.map((r) => r.kpj));
			expect(out.items.map((i) => i.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
			const puts = api().filter((r) => r.method === 'PUT');
			expect(puts.filter((r) => r.status === 429)).toHaveLength(3);
			expect(puts.filter((r) => r.status === 200)).toHaveLength(10);
		});

		it('backs off on its own when a 429 has no Retry-After', async () => {
			emu.configure({ force429: 1, retryAfterSec: null });
			const started = Date.now();
			const out = await ok(manpowerFromSheet(), sheet(2));
			expect(out.items).toHaveLength(2);
			expect(Date.now() - started).toBeGreaterThanOrEqual(900); // first backoff step: 1 s
		});

		it('gives up after 5 tries with a readable error; with On Error → Continue only that item fails', async () => {
			emu.configure({ force429: 5, retryAfterSec: 0 });
			const failed = await run(manpowerFromSheet(), sheet(2));
			expect(failed.error?.message).toBe(
				`CATAPA's rate limit was still exceeded after 5 tries for employee "${employee(0)}": Too many requests, please try again later (HTTP 429, TOO_MANY_REQUESTS)`,
			);
			expect(api().filter((r) => r.status === 429)).toHaveLength(5);

			emu.reset();
			emu.configure({ force429: 5, retryAfterSec: 0 });
			const rows = sheet(3);
			const out = await run(manpowerFromSheet(), rows, true);
			expect(out.error).toBeUndefined();
			expect(out.items).toHaveLength(3);
			expect(out.items[0]).toEqual({
				json: {
					error: expect.stringContaining('rate limit'),
					employee: { employeeId: employee(0) },
				},
				pairedItem: { item: 0 },
			});
			expect(out.items.slice(1).map((i) => i.json.membershipNumber)).toEqual([
				rows[1].kpj,
				rows[2].kpj,
			]);
		});
		// Options → Requests at Once: N requests in flight, output in input order, one token for
		// the run, a 429 met mid-run retried after Retry-After, a failure that says what was sent.
		describe('with Requests at Once', () => {
			const atOnce = (concurrency: number): INodeParameters => ({
				...manpowerFromSheet(),
				options: { concurrency },
			});
			const kpjs = (rows: Array<{ kpj: string }>) => rows.map((r) => r.kpj);
			// The emulator logs each request's arrival time.
			const arrival = (r: CatapaRequest) => Date.parse((r as CatapaRequest & { at: string }).at);

			/** Samples the emulator's log while `work` runs: the most API requests unanswered at once. */
			async function mostInFlight<T>(work: Promise<T>): Promise<{ result: T; most: number }> {
				let most = 0;
				const timer = setInterval(() => {
					most = Math.max(most, api().filter((r) => r.status === 0).length);
				}, 5);
				try {
					return { result: await work, most };
				} finally {
					clearInterval(timer);
				}
			}

			it('has N requests in flight, keeps output order equal to input order, and fetches one token', async () => {
				emu.configure({ latencyMs: 100 });
				const rows = sheet(13);
				const { result, most } = await mostInFlight(run(atOnce(4), rows));
				expect(result.error).toBeUndefined();
				expect(most).toBe(4);
				expect(result.items.map((i) => i.json.membershipNumber)).toEqual(kpjs(rows));
				expect(result.items.map((i) => i.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
				// The first request goes alone, so the missing token is fetched once, not once per worker.
				expect(emu.stats().tokenRequests).toBe(1);
				expect(api()).toHaveLength(13);
			});

			it('retries a 429 met mid-run after Retry-After, holding the whole run, and the late item keeps its place', async () => {
				const latency = 150;
				emu.configure({ latencyMs: latency });
				const rows = sheet(6);
				const running = run(atOnce(3), rows);
				// Once the lone first request is answered, the next API call is answered 429 (Retry-After: 1).
				while (!api().some((r) => r.status === 200)) await new Promise((r) => setTimeout(r, 2));
				emu.configure({ force429: 1, retryAfterSec: 1 });
				const out = await running;
				expect(out.error).toBeUndefined();
				expect(emu.stats().rateLimited).toBe(1);
				const limited = api().find((r) => r.status === 429)!;
				const answered = api().filter((r) => r.status === 200);
				expect(answered).toHaveLength(6);
				// The limited item was sent again after items behind it had gone through ...
				const retried = answered.findIndex((r) => r.path === limited.path);
				const limitedItem = api().indexOf(limited);
				expect(answered.slice(0, retried).some((r) => api().indexOf(r) > limitedItem)).toBe(true);
				// No request of the run went out while CATAPA's Retry-After (1 s) was running.
				const limitedAnswer = arrival(limited) + latency;
				const sentAfter = api()
					.map(arrival)
					.filter((at) => at > limitedAnswer);
				expect(sentAfter.length).toBeGreaterThan(0);
				for (const at of sentAfter) expect(at - limitedAnswer).toBeGreaterThanOrEqual(900);
				// ... and still stands in its input place.
				expect(out.items.map((i) => i.json.membershipNumber)).toEqual(kpjs(rows));
				expect(out.items.map((i) => i.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
			});

			it('stops at a failed item and says what was and was not sent', async () => {
				const rows = sheet(6);
				rows[3].employeeId = 'no-such-employee';
				const out = await run(atOnce(2), rows);
				expect(out.error?.message).toBe(
					'Not found in CATAPA for employee "no-such-employee": Employee no-such-employee not found (HTTP 404, EMPLOYEE_NOT_FOUND)',
				);
				expect(out.error?.description).toMatch(
					/^Check the employee ID, and that the employee belongs to this tenant\.\nThe run stopped at this item after CATAPA had processed \d other items?(; 1 other item sent at the same time failed too)?; \d items? (was|were) not sent\.\nTo go on with the other items .* set Settings → On Error to "Continue \(using error output\)" \(or "Continue"\)\.$/,
				);
				expect(api().length).toBeLessThan(6);
			});
		});
	});

	describe('validation before sending', () => {
		const healthcareRows = (): INodeParameters => ({
			resource: 'healthcareMembership',
			operation: 'update',
			employeeId: rl('={{ $json.employeeId }}'),
			bpjsHealthcareProviderId: rl(ids().hcProvider),
			bpjsHealthcareTemplateId: rl(ids().hcTemplate),
			membershipNumber: '={{ $json.card }}',
			startDate: '={{ $json.start }}',
			additionalFields: { effectiveDate: '={{ $json.effective }}' },
		});
		const good = (n: number) => ({
			employeeId: employee(n),
			card: `00012345678${String(n).padStart(2, '0')}`,
			start: '2024-01-01',
			effective: '',
		});

		it('stops the run on a bad row before CATAPA sees any request, naming employee, field and what is allowed', async () => {
			const out = await run(healthcareRows(), [
				good(1),
				{ ...good(2), start: '01/02/2024' },
				good(3),
			]);
			expect(out.error?.message).toBe(
				`Invalid input for employee "${employee(2)}": Start Date (startDate) must be a date in yyyy-MM-dd form, e.g. 2024-01-31; got "01/02/2024"`,
			);
			expect(out.error?.description).toBe(
				'Nothing was sent to CATAPA for any item: every item is checked before any is sent.\nCorrect this item\'s input, or set Settings → On Error to "Continue (using error output)" (or "Continue") to send the other items and get an error item for this one.',
			);
			expect(emu.requests).toHaveLength(0);
		});

		it('sends an effective date before the start date, with a warning on the item', async () => {
			const out = await run(healthcareRows(), [{ ...good(1), effective: '2023-12-31' }]);
			expect(out.error).toBeUndefined();
			expect(out.items[0].json.effectiveDate).toBe('2023-12-31');
			expect(out.items[0].json.warnings).toEqual([
				expect.stringContaining(
					'Effective Date (effectiveDate) 2023-12-31 is before Start Date 2024-01-01',
				),
			]);
			expect(api()).toHaveLength(1);
		});

		it.each([
			[
				{ card: '' },
				'membershipNumber',
				'Invalid input for employee "EMPLOYEE": Membership Number (membershipNumber) is required',
			],
			// A lone item without an employee is not numbered.
			[{ employeeId: '' }, 'employeeId', 'Invalid input: Employee (employeeId) is required'],
			[
				{ start: '2024-02-30' },
				'startDate',
				'Invalid input for employee "EMPLOYEE": Start Date (startDate) must be a date in yyyy-MM-dd form, e.g. 2024-01-31; got "2024-02-30"',
			],
		])('refuses %p', async (change, field, message) => {
			const row = { ...good(1), ...change };
			const out = await run(healthcareRows(), [row], true);
			const employeeJson = row.employeeId ? { employee: { employeeId: row.employeeId } } : {};
			expect(out.items).toEqual([
				{
					json: { error: message.replace('EMPLOYEE', employee(1)), ...employeeJson },
					pairedItem: { item: 0 },
				},
			]);
			expect(out.items[0].json.error).toContain(`(${field})`);
			expect(emu.requests).toHaveLength(0);
		});

		it('with On Error → Continue: the bad row becomes an error item, nothing is sent for it, the others go through', async () => {
			const rows = [good(1), { ...good(2), start: '2024-13-01' }, good(3)];
			const out = await run(healthcareRows(), rows, true);
			expect(out.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out.items[1].json).toEqual({
				error: expect.stringMatching(
					/^Invalid input for employee "[^"]+": Start Date \(startDate\) must be a date in yyyy-MM-dd form/,
				),
				employee: { employeeId: employee(2) },
			});
			expect(out.items[0].json.employeeId).toBe(employee(1));
			expect(out.items[2].json.employeeId).toBe(employee(3));
			expect(api().map((r) => r.path)).toEqual([
				`/core/v1/employees/${employee(1)}/bpjs-healthcare-memberships`,
				`/core/v1/employees/${employee(3)}/bpjs-healthcare-memberships`,
			]);
			expect(api().some((r) => r.path.includes(employee(2)))).toBe(false);
		});
	});

	describe('CATAPA errors', () => {
		it('become a readable NodeApiError; with On Error → Continue an error item per failed input', async () => {
			const params: INodeParameters = {
				resource: 'manpowerMembership',
				operation: 'get',
				employeeId: rl('={{ $json.id }}'),
			};
			const failed = await run(params, [{ id: 'no-such-employee' }]);
			expect(failed.error?.message).toBe(
				'Not found in CATAPA for employee "no-such-employee": Employee no-such-employee not found (HTTP 404, EMPLOYEE_NOT_FOUND)',
			);
			expect(failed.error?.description).toBe(
				'Check the employee ID, and that the employee belongs to this tenant.',
			);

			const out = await run(
				params,
				[{ id: SPEC_EMPLOYEE }, { id: 'no-such-employee' }, { id: employee(90) }],
				true,
			);
			expect(out.items).toEqual([
				expect.objectContaining({ pairedItem: { item: 0 } }),
				{
					json: {
						error:
							'Not found in CATAPA for employee "no-such-employee": Employee no-such-employee not found (HTTP 404, EMPLOYEE_NOT_FOUND)',
						employee: { employeeId: 'no-such-employee' },
					},
					pairedItem: { item: 1 },
				},
				{
					json: {
						error: expect.stringMatching(/BPJS_MANPOWER_MEMBERSHIP_NOT_FOUND/),
						employee: { employeeId: employee(90) },
					},
					pairedItem: { item: 2 },
				},
			]);
		});

		it('go to the error output with "On Error: Continue (using error output)"', async () => {
			const out = await runNode({
				node: new BpjsMembership(),
				parameters: {
					resource: 'manpowerMembership',
					operation: 'get',
					employeeId: rl('={{ $json.id }}'),
				},
				credentials: { catapaApi },
				store,
				items: [{ id: SPEC_EMPLOYEE }, { id: 'no-such-employee' }, { id: '' }],
				onError: 'continueErrorOutput',
			});
			expect(out.error).toBeUndefined();
			expect(out.outputs[0]?.map((i) => i.json.membershipNumber)).toEqual(['21000000000']);
			expect(out.outputs[1]?.map((i) => [i.pairedItem, i.json.error])).toEqual([
				[
					{ item: 1 },
					'Not found in CATAPA for employee "no-such-employee": Employee no-such-employee not found (HTTP 404, EMPLOYEE_NOT_FOUND)',
				],
				[{ item: 2 }, 'Invalid input for item 3 of 3: Employee (employeeId) is required'],
			]);
		});

		it("report CATAPA's own validation message", async () => {
			const out = await run({
				resource: 'healthcareMembership',
				operation: 'update',
				employeeId: rl(SPEC_EMPLOYEE),
				bpjsHealthcareProviderId: rl('unknown-provider'),
				bpjsHealthcareTemplateId: rl(ids().hcTemplate),
				membershipNumber: '0001234567890',
				startDate: '2024-01-01',
			});
			expect(out.error?.message).toBe(
				`CATAPA rejected the request for employee "${SPEC_EMPLOYEE}": bpjsHealthcareProviderId unknown-provider does not exist (HTTP 400, BPJS_HEALTHCARE_PROVIDER_NOT_FOUND)`,
			);
		});

		it('never carry the client secret or the token, and a bad secret is explained', async () => {
			const bad = store.set(
				'catapaApi',
				{
					baseUrl: emu.url,
					tenant: DEMO.tenant,
					clientId: DEMO.clientId,
					clientSecret: 'wrong-secret-value',
					accessToken: '',
				},
				'bad',
			);
			const out = await runNode({
				node: new BpjsMembership(),
				parameters: {
					resource: 'manpowerMembership',
					operation: 'get',
					employeeId: rl(SPEC_EMPLOYEE),
				},
				credentials: { catapaApi: bad },
				store,
			});
			expect(out.error?.message).toBe(
				'CATAPA access token request failed (HTTP 401, invalid_client: Bad client credentials): check the Client ID, Client Secret and Tenant of the CATAPA API credential',
			);
			const serialized = JSON.stringify(out.error) + JSON.stringify(out.items);
			expect(serialized).not.toContain('wrong-secret-value');
			expect(serialized).not.toContain(
				Buffer.from(`${DEMO.clientId}:wrong-secret-value`).toString('base64'),
			);

			const good = await run(
				{ resource: 'manpowerMembership', operation: 'get', employeeId: rl('nobody') },
				[{}],
				true,
			);
			const token = String(store.get('catapaApi', catapaApi.id)?.accessToken);
			expect(token).toMatch(/^[0-9a-f]{48}$/);
			expect(JSON.stringify(good.items)).not.toContain(token);
			expect(JSON.stringify(good.items)).not.toContain(DEMO.clientSecret);
		});

		it('say where CATAPA could not be reached', async () => {
			const down = store.set(
				'catapaApi',
				{
					baseUrl: 'http://127.0.0.1:9',
					tenant: DEMO.tenant,
					clientId: DEMO.clientId,
					clientSecret: DEMO.clientSecret,
					accessToken: '',
				},
				'down',
			);
			const out = await runNode({
				node: new BpjsMembership(),
				parameters: {
					resource: 'manpowerMembership',
					operation: 'get',
					employeeId: rl(SPEC_EMPLOYEE),
				},
				credentials: { catapaApi: down },
				store,
			});
			expect(out.error?.message).toBe(
				'CATAPA access token request failed (ECONNREFUSED): http://127.0.0.1:9/oauth/token could not be reached',
			);
		});
	});

	describe('pickers (listSearch, run in a LoadOptionsContext as n8n runs them)', () => {
		/** One page of a picker, with the parameters of the form it sits in. */
		async function listSearchPage(
			method: string,
			filter?: string,
			paginationToken?: string,
		): Promise<INodeListSearchResult> {
			return await runListSearch({
				node: new BpjsMembership(),
				method,
				filter,
				paginationToken,
				parameters: { resource: 'healthcareMembership', operation: 'update' },
				credentials: { catapaApi },
				store,
			});
		}

		it('searchEmployees searches by name with query=name:<text>', async () => {
			const result = await runListSearch({
				node: new BpjsMembership(),
				method: 'searchEmployees',
				filter: 'Siti Rahayu',
				credentials: { catapaApi },
				store,
			});
			expect(result.results.length).toBeGreaterThan(0);
			for (const entry of result.results) expect(entry.name).toMatch(/^Siti Rahayu \(EMP\d{4}\)$/);
			const expected = emu.state.employees
				.filter((e: { name: string }) => e.name === 'Siti Rahayu')
				.map((e: { id: string }) => e.id);
			expect(expected.length).toBeGreaterThan(0);
			expect(result.results.map((r) => r.value)).toEqual(expected);
			expect(api()[0].query).toEqual({ page: '0', size: '50', query: 'name:Siti Rahayu' });
			expectTenantOnEveryCall();
		});

		it('searchEmployees pages through all 120 employees, 50 at a time', async () => {
			const seen: string[] = [];
			let token: string | undefined;
			let pages = 0;
			do {
				const page = await listSearchPage('searchEmployees', undefined, token);
				seen.push(...page.results.map((r) => String(r.value)));
				token = page.paginationToken as string | undefined;
				pages++;
			} while (token !== undefined && pages < 10);
			expect(pages).toBe(3);
			expect(new Set(seen).size).toBe(120);
			expect(api().map((r) => r.query.page)).toEqual(['0', '1', '2']);
			expect(emu.stats().tokenRequests).toBe(1);
		});

		it.each([
			['searchHealthcareProviders', 'healthcareProviders', 'bpjs-healthcare-providers'],
			['searchHealthcareTemplates', 'healthcareTemplates', 'bpjs-healthcare-templates'],
			['searchManpowerProviders', 'manpowerProviders', 'bpjs-manpower-providers'],
			['searchManpowerTemplates', 'manpowerTemplates', 'bpjs-manpower-templates'],
		])("%s lists CATAPA's entries, pages, and filters by name", async (method, stateList, path) => {
			const seeded = (emu.state as Record<string, unknown>)[stateList] as Array<{
				id: string;
				name: string;
				code: string;
			}>;
			const first = await listSearchPage(method);
			expect(first.results).toEqual(
				seeded.map((e) => ({ name: `${e.name} (${e.code})`, value: e.id })),
			);
			expect(first.paginationToken).toBeUndefined();
			expect(api()[0]).toMatchObject({ method: 'GET', path: `/core/v1/${path}` });

			// A tenant with more than one page of them.
			for (let i = 0; i < 60; i++)
				seeded.push({ id: `extra-${i}`, name: `Extra ${i}`, code: `X${i}` });
			const page0 = await listSearchPage(method);
			expect(page0.results).toHaveLength(50);
			expect(page0.paginationToken).toBe('1');
			const page1 = await listSearchPage(method, undefined, '1');
			expect(page1.results.length).toBe(seeded.length - 50);
			expect(page1.paginationToken).toBeUndefined();

			const filtered = await listSearchPage(method, 'extra 5');
			expect(filtered.results.map((r) => r.value)).toEqual([
				'extra-5',
				...Array.from({ length: 10 }, (_, i) => `extra-${50 + i}`),
			]);
			expectTenantOnEveryCall();
		});
	});

	describe('credential test', () => {
		it('passes with the demo client and fails with a wrong secret', async () => {
			expect(await testCredentials({ type: 'catapaApi', credentials: catapaApi, store })).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			const probe = emu.requests.filter((r) => r.endpoint === 'GET /core/v1/employees');
			expect(probe).toHaveLength(1);
			expect(probe[0].query).toEqual({ page: '0', size: '1' });
			expect(probe[0].headers.tenant).toBe(DEMO.tenant);

			const wrong = store.set(
				'catapaApi',
				{
					baseUrl: emu.url,
					tenant: DEMO.tenant,
					clientId: DEMO.clientId,
					clientSecret: 'nope',
					accessToken: '',
				},
				'wrong',
			);
			const result = await testCredentials({ type: 'catapaApi', credentials: wrong, store });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/Bad client credentials/);
			expect(result.message).not.toContain('nope');
		});
	});
});
