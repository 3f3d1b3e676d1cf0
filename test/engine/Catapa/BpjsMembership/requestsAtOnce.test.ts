// BPJS Membership's Options → Requests at Once, through n8n-core's engine against the CATAPA
// emulator over HTTP: N requests in flight, output in input order, one token for the run, a 429
// met mid-run retried after Retry-After, and a failure that says what was and was not sent.
import type { INodeParameters } from 'n8n-workflow';

import { BpjsMembership } from '../../../../nodes/Catapa/BpjsMembership/BpjsMembership.node';
import { CredentialStore, runNode } from '../../harness';
import type { RunNodeResult } from '../../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startCatapaEmulator, DEMO } = require('../../../../emulator/catapa');

type Logged = { at: string; method: string; path: string; status: number; endpoint: string };
type Emulator = {
	url: string;
	state: Record<'employees' | 'manpowerProviders' | 'manpowerTemplates', Array<{ id: string }>>;
	requests: Logged[];
	stats(): { tokenRequests: number; rateLimited: number };
	configure(options: Record<string, unknown>): void;
	reset(): void;
	close(): Promise<void>;
};

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

describe('BPJS Membership: Requests at Once', () => {
	let emu: Emulator;
	let store: CredentialStore;
	let catapaApi: { id: string; name: string };

	beforeAll(async () => {
		emu = await startCatapaEmulator({ port: 0 });
	});
	afterAll(async () => await emu.close());
	beforeEach(() => {
		emu.reset();
		store = new CredentialStore();
		catapaApi = store.set('catapaApi', {
			baseUrl: emu.url,
			tenant: DEMO.tenant,
			clientId: DEMO.clientId,
			clientSecret: DEMO.clientSecret,
			accessToken: '',
		});
	});

	const api = () => emu.requests.filter((r) => r.endpoint !== 'POST /oauth/token');
	const kpj = (i: number) => String(22000000000 + i);
	const employees = (n: number) => emu.state.employees.slice(0, n).map((e) => e.id);
	// An HR sheet: one manpower membership update per row.
	const updates = (concurrency: number): INodeParameters => ({
		resource: 'manpowerMembership',
		operation: 'update',
		employeeId: rl('={{ $json.employeeId }}'),
		bpjsManpowerProviderId: rl(emu.state.manpowerProviders[0].id),
		bpjsManpowerTemplateId: rl(emu.state.manpowerTemplates[1].id),
		startDate: '2024-07-01',
		additionalFields: { membershipNumber: '={{ $json.kpj }}' },
		options: { concurrency },
	});
	const run = (parameters: INodeParameters, ids: string[]): Promise<RunNodeResult> =>
		runNode({
			node: new BpjsMembership(),
			parameters,
			credentials: { catapaApi },
			store,
			items: ids.map((employeeId, i) => ({ employeeId, kpj: kpj(i) })),
		});

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
		const ids = employees(13);
		const { result, most } = await mostInFlight(run(updates(4), ids));
		expect(result.error).toBeUndefined();
		expect(most).toBe(4);
		expect(result.items.map((i) => i.json.membershipNumber)).toEqual(ids.map((_, i) => kpj(i)));
		expect(result.items.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		// The first request goes alone, so the missing token is fetched once, not once per worker.
		expect(emu.stats().tokenRequests).toBe(1);
		expect(api()).toHaveLength(13);
	});

	it('retries a 429 met mid-run after Retry-After, holding the whole run, and the late item keeps its place', async () => {
		const latency = 150;
		emu.configure({ latencyMs: latency });
		const ids = employees(6);
		const running = run(updates(3), ids);
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
		const limitedAnswer = Date.parse(limited.at) + latency;
		const sentAfter = api()
			.map((r) => Date.parse(r.at))
			.filter((at) => at > limitedAnswer);
		expect(sentAfter.length).toBeGreaterThan(0);
		for (const at of sentAfter) expect(at - limitedAnswer).toBeGreaterThanOrEqual(900);
		// ... and still stands in its input place.
		expect(out.items.map((i) => i.json.membershipNumber)).toEqual(ids.map((_, i) => kpj(i)));
		expect(out.items.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
	});

	it('stops at a failed item and says what was and was not sent', async () => {
		const ids = employees(6);
		ids[3] = 'no-such-employee';
		const out = await run(updates(2), ids);
		expect(out.error?.message).toBe(
			'Not found in CATAPA: Employee no-such-employee not found (HTTP 404, EMPLOYEE_NOT_FOUND)',
		);
		expect(out.error?.description).toMatch(
			/^Employee no-such-employee not found — Check the employee ID .*\nItem 3 failed\. \d other item\(s\) were processed by CATAPA before it stopped; \d item\(s\) were not sent\.\nTurn on "Continue On Fail"/s,
		);
		expect(api().length).toBeLessThan(6);
	});
});
