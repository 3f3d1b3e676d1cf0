// The BRI API credential run by n8n-core's engine against the BSB emulator over HTTP:
// token caching through preAuthentication, refresh on 401, what the gateway accepts and
// rejects, what errors say, and the credential test as n8n's "Test" button runs it.
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { BriApi } from '../../../credentials/BriApi.credentials';
import { BriProbe } from '../fixtures';
import { CredentialStore, emulatorBriCredential, runNode, testCredentials } from '../harness';
import { startBsbEmulator, DEMO } from '../../../emulator/bsb';
import type { BsbEmulator } from '../../../emulator';

const WRONG_SECRET = 'wrong-secret-7f3a9c';

let emu: BsbEmulator;

beforeAll(async () => {
	emu = await startBsbEmulator({
		port: 0,
		consumerKey: DEMO.consumerKey,
		consumerSecret: DEMO.consumerSecret,
	});
});

afterAll(async () => {
	await emu?.close();
});

function briCredential(overrides: ICredentialDataDecryptedObject = {}) {
	return emulatorBriCredential(emu.url, DEMO, overrides);
}

async function probe(
	store: CredentialStore,
	briApi: { id: string; name: string },
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	return await runNode({
		node: new BriProbe(),
		parameters: parameters as never,
		credentials: { briApi },
		store,
		items,
		continueOnFail,
	});
}

/** Every string reachable from a value: own properties (enumerable or not), causes, buffers. */
function deepText(value: unknown, seen = new Set<unknown>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value !== 'object') return typeof value === 'function' ? '' : String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	if (Buffer.isBuffer(value)) return value.toString('utf8');
	const parts: string[] = [];
	for (const key of Object.getOwnPropertyNames(value)) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		parts.push(key, deepText(child, seen));
	}
	return parts.join('\n');
}

const getAll = { method: 'GET', path: '/v1/bsb/customers-group' };

describe('token caching through preAuthentication', () => {
	test('100 items: one token; next execution: none; after expiry: one refresh, then success', async () => {
		const { store, briApi } = briCredential();
		const items = Array.from({ length: 100 }, (_, i) => ({ i }));

		let before = emu.stats();
		const first = await probe(store, briApi, getAll, items);
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(100);
		expect(first.items.every((item) => item.json.responseCode === '0000')).toBe(true);
		expect(emu.stats().tokenRequests - before.tokenRequests).toBe(1);
		expect(emu.stats().requests - before.requests).toBe(100);
		// The token was written back to the credential, once, as n8n writes it to its database.
		expect(store.updates).toHaveLength(1);
		const token = store.get('briApi', briApi.id)?.accessToken;
		expect(typeof token === 'string' && token.length > 10).toBe(true);

		before = emu.stats();
		const second = await probe(store, briApi, getAll, items);
		expect(second.error).toBeUndefined();
		expect(second.items.every((item) => item.json.responseCode === '0000')).toBe(true);
		expect(emu.stats().tokenRequests - before.tokenRequests).toBe(0);
		expect(store.updates).toHaveLength(1);

		expect(emu.expireTokens()).toBeGreaterThanOrEqual(1);
		before = emu.stats();
		const third = await probe(store, briApi, getAll, items);
		expect(third.error).toBeUndefined();
		expect(third.items).toHaveLength(100);
		expect(third.items.every((item) => item.json.responseCode === '0000')).toBe(true);
		const after = emu.stats();
		expect(after.tokenRequests - before.tokenRequests).toBe(1);
		// The first call met the expired token (401 0601) and was retried once with the new one.
		expect(after.rejected['0601'] - before.rejected['0601']).toBe(1);
		expect(after.requests - before.requests).toBe(101);
		expect(store.updates).toHaveLength(2);
		expect(store.get('briApi', briApi.id)?.accessToken).not.toBe(token);
	});
});

describe('what the credential signs', () => {
	test('is accepted, and the emulator receives the very string the node passed', async () => {
		const { store, briApi } = briCredential();
		const bodies = [
			'{"referenceNumCustomergroup":"GRP01","groupName":"Group One"}',
			// Not compact JSON: whitespace and a trailing newline must reach BRI as signed.
			'  {"referenceNumCustomergroup": "GRP02",\n "groupName": "Group Two"}\n',
		];
		const mark = emu.requests.length;
		const run = await probe(
			store,
			briApi,
			{ method: 'POST', path: '/v1/bsb/customers-group', body: '={{ $json.body }}' },
			bodies.map((body) => ({ body })),
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.responseCode)).toEqual(['0000', '0000']);
		const calls = emu.requests
			.slice(mark)
			.filter((entry) => entry.path === '/v1/bsb/customers-group');
		expect(calls.map((entry) => entry.body)).toEqual(bodies);
		expect(calls.map((entry) => entry.responseCode)).toEqual(['0000', '0000']);
	});

	test('an object body is serialized once and that string is what is signed and received', async () => {
		const { store, briApi } = briCredential();
		const object = { referenceNumCustomergroup: 'GRP03', groupName: 'Group Three' };
		const mark = emu.requests.length;
		const run = await probe(store, briApi, {
			method: 'POST',
			path: '/v1/bsb/customers-group',
			body: JSON.stringify(object, null, 2),
			bodyAsObject: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.responseCode).toBe('0000');
		const call = emu.requests
			.slice(mark)
			.find((entry) => entry.method === 'POST' && entry.path === '/v1/bsb/customers-group');
		expect(call?.body).toBe(JSON.stringify(object));
	});

	test('a body changed by one byte after signing is rejected with 0602', async () => {
		const { store, briApi } = briCredential();
		expect((await probe(store, briApi, getAll)).error).toBeUndefined();
		const data = store.get('briApi', briApi.id) as ICredentialDataDecryptedObject;
		const credential = new BriApi();
		const url = `${emu.url}/v1/bsb/customers-group`;

		async function send(body: string, signedBody: string) {
			const signed = await credential.authenticate(data, { method: 'POST', url, body: signedBody });
			const response = await fetch(url, {
				method: 'POST',
				headers: signed.headers as Record<string, string>,
				body,
			});
			return { status: response.status, json: (await response.json()) as IDataObject };
		}

		const original = '{"referenceNumCustomergroup":"GRP04","groupName":"Group Four"}';
		// Control: the same bytes as signed, sent the same way, pass.
		const control = await send(original, original);
		expect(control.status).toBe(200);
		expect(control.json.responseCode).toBe('0000');

		const next = '{"referenceNumCustomergroup":"GRP05","groupName":"Group Five"}';
		const tampered = next.replace('GRP05', 'GRP06');
		expect(Buffer.from(tampered).length).toBe(Buffer.from(next).length);
		expect(
			[...Buffer.from(tampered)].filter((byte, i) => byte !== Buffer.from(next)[i]),
		).toHaveLength(1);
		const rejected = await send(tampered, next);
		expect(rejected.status).toBe(401);
		expect(rejected.json).toEqual({ status: { code: '0602', desc: expect.any(String) } });
		expect(emu.requests[emu.requests.length - 1]).toMatchObject({
			body: tampered,
			status: 401,
			responseCode: '0602',
		});
	});
});

describe('a wrong consumer secret', () => {
	function expectClean(text: string, secrets: string[]) {
		for (const secret of secrets) expect(text).not.toContain(secret);
	}

	test('fails with a clear error that names the problem and holds neither secret nor token', async () => {
		const { store, briApi } = briCredential({ consumerSecret: WRONG_SECRET });
		const run = await probe(store, briApi, getAll);
		expect(run.items).toEqual([]);
		const error = run.error as unknown as IDataObject;
		expect(error).toBeDefined();
		const shown = `${String(error.message)} ${String(error.description ?? '')}`;
		expect(shown).toMatch(/BRI access token request failed \(HTTP 401, 0603/);
		expect(shown).toMatch(/Consumer Key and Consumer Secret/);
		expectClean(deepText(run.run.execution), [WRONG_SECRET, encodeURIComponent(WRONG_SECRET)]);
		expect(store.updates).toHaveLength(0);

		// With "continue on fail" the node keeps the live error object, cause chain included.
		const kept = await probe(store, briApi, getAll, [{}], true);
		expect(kept.error).toBeUndefined();
		const item = kept.items[0] as INodeExecutionData;
		expect(item.error).toBeDefined();
		expectClean(deepText(item), [WRONG_SECRET, encodeURIComponent(WRONG_SECRET)]);
	});

	test('a secret changed after a token was cached: 0602, one refresh attempt, a clean error', async () => {
		const { store, briApi } = briCredential();
		expect((await probe(store, briApi, getAll)).error).toBeUndefined();
		const token = String(store.get('briApi', briApi.id)?.accessToken);
		store.set(
			'briApi',
			{ ...store.get('briApi', briApi.id), consumerSecret: WRONG_SECRET },
			briApi.id,
			briApi.name,
		);

		const before = emu.stats();
		const run = await probe(store, briApi, getAll, [{}], true);
		const after = emu.stats();
		expect(after.rejected['0602'] - before.rejected['0602']).toBe(1);
		expect(after.tokenRequests - before.tokenRequests).toBe(1);
		const item = run.items[0] as INodeExecutionData;
		expect(String(item.json.error)).toMatch(/0603|Consumer Key and Consumer Secret/);
		const text = deepText(item) + deepText(run.run.execution);
		expectClean(text, [WRONG_SECRET, token, DEMO.consumerSecret]);
	});
});

describe('the credential test (ICredentialTestRequest) as n8n runs it', () => {
	test('succeeds with the right pair, fetching a fresh token even when one is stored', async () => {
		const { store, briApi } = briCredential();
		let before = emu.stats();
		await expect(testCredentials({ type: 'briApi', credentials: briApi, store })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(emu.stats().tokenRequests - before.tokenRequests).toBe(1);
		expect(store.updates).toHaveLength(1);

		before = emu.stats();
		const again = await testCredentials({ type: 'briApi', credentials: briApi, store });
		expect(again.status).toBe('OK');
		expect(emu.stats().tokenRequests - before.tokenRequests).toBe(1);
		const last = emu.requests[emu.requests.length - 1];
		expect(last).toMatchObject({
			method: 'GET',
			path: '/v1/bsb/customers-group',
			status: 200,
			responseCode: '0000',
		});
	});

	test('fails with a wrong pair, and says what to check without the secret', async () => {
		const wrongPairs: ICredentialDataDecryptedObject[] = [
			{ consumerSecret: WRONG_SECRET },
			{ consumerKey: 'not-a-key' },
		];
		for (const overrides of wrongPairs) {
			const { store, briApi } = briCredential(overrides);
			const result = await testCredentials({ type: 'briApi', credentials: briApi, store });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/Consumer Key and Consumer Secret/);
			expect(result.message).not.toContain(WRONG_SECRET);
			expect(store.updates).toHaveLength(0);
		}
	});
});

describe('SSRF protection (n8n setting)', () => {
	afterAll(() => {
		// Back to n8n's default for whatever runs next in this file.
		return runNode({ node: new BriProbe(), items: [], ssrf: 'n8n-default' }).then(() => undefined);
	});

	test('enforced with n8n default ranges, loopback is refused before any request; allowed, it works', async () => {
		const { store, briApi } = briCredential();
		const before = emu.stats();
		const blocked = await runNode({
			node: new BriProbe(),
			parameters: getAll,
			credentials: { briApi },
			store,
			ssrf: 'enforced',
		});
		expect(blocked.error?.message).toMatch(
			/refused by n8n: The request was blocked because it resolves to a restricted IP address/,
		);
		expect(blocked.error?.message).toMatch(/127\.0\.0\.1 is not allowed/);
		expect(emu.stats().tokenRequests - before.tokenRequests).toBe(0);

		const allowed = await runNode({
			node: new BriProbe(),
			parameters: getAll,
			credentials: { briApi },
			store,
			ssrf: 'allow-loopback',
		});
		expect(allowed.error).toBeUndefined();
		expect(allowed.items[0].json.responseCode).toBe('0000');
	});
});
