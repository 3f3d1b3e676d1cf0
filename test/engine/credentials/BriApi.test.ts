// The BRI API credential run by n8n-core's engine against the BSB emulator over HTTP:
// token caching through preAuthentication, refresh on 401, what the gateway accepts and
// rejects, what errors say, and the credential test as n8n's "Test" button runs it.
import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const GET_ALL_PATH = '/v1/bsb/customers-group';
const TOKEN_PATH = '/oauth/client_credential/accesstoken';

/** A port nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/**
 * A reverse proxy on 127.0.0.1 in front of the emulator: the token endpoint goes through, every
 * other request gets `answer`. `seen` lists what reached it ("METHOD path").
 */
async function startProxy(
	target: string,
	answer: (req: IncomingMessage, res: ServerResponse) => void,
) {
	const seen: string[] = [];
	const server = createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		if (!String(req.url).startsWith(TOKEN_PATH)) return answer(req, res);
		const upstream = request(
			`${target}${req.url}`,
			{ method: req.method, headers: req.headers },
			(up) => {
				res.writeHead(up.statusCode ?? 502, up.headers);
				up.pipe(res);
			},
		);
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

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

describe("the credential test (the nodes' testedBy function) as n8n runs it", () => {
	/** The emulator's log entries since `mark`: method, path, status, responseCode, body. */
	const since = (mark: number) =>
		emu.requests.slice(mark).map(({ method, path, status, responseCode, body }) => ({
			method,
			path,
			status,
			responseCode,
			body,
		}));

	test('succeeds with the right pair: a fresh token, then one signed GET Get All', async () => {
		const { store, briApi } = briCredential();
		let mark = emu.requests.length;
		await expect(testCredentials({ type: 'briApi', credentials: briApi, store })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(since(mark)).toEqual([
			expect.objectContaining({ method: 'POST', path: TOKEN_PATH, status: 200 }),
			{ method: 'GET', path: GET_ALL_PATH, status: 200, responseCode: '0000', body: '' },
		]);
		// The test's token is its own: nothing is written back to the credential.
		expect(store.updates).toHaveLength(0);

		// A stored token is not reused: the test proves the Consumer Key and Secret every time.
		expect((await probe(store, briApi, getAll)).error).toBeUndefined();
		const stored = store.get('briApi', briApi.id)?.accessToken;
		const updates = store.updates.length;
		const before = emu.stats();
		mark = emu.requests.length;
		expect((await testCredentials({ type: 'briApi', credentials: briApi, store })).status).toBe(
			'OK',
		);
		expect(emu.stats().tokenRequests - before.tokenRequests).toBe(1);
		expect(since(mark).map((entry) => entry.method)).toEqual(['POST', 'GET']);
		expect(store.get('briApi', briApi.id)?.accessToken).toBe(stored);
		expect(store.updates).toHaveLength(updates);
	});

	test('tests the form’s values as the editor sends them, not only the stored ones', async () => {
		const { store, briApi } = briCredential({ consumerSecret: WRONG_SECRET });
		const data = { ...store.get('briApi', briApi.id), consumerSecret: DEMO.consumerSecret };
		expect(await testCredentials({ type: 'briApi', credentials: briApi, store, data })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	test('fails with a wrong pair, and says what to check without the secret', async () => {
		const wrongPairs: ICredentialDataDecryptedObject[] = [
			{ consumerSecret: WRONG_SECRET },
			{ consumerKey: 'not-a-key' },
		];
		for (const overrides of wrongPairs) {
			const { store, briApi } = briCredential(overrides);
			const mark = emu.requests.length;
			const result = await testCredentials({ type: 'briApi', credentials: briApi, store });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/BRI access token request failed \(HTTP 401, 0603/);
			expect(result.message).toMatch(/Consumer Key and Consumer Secret/);
			expect(result.message).not.toContain(WRONG_SECRET);
			expect(result.message).not.toContain(encodeURIComponent(WRONG_SECRET));
			// The token was refused, so no BSB request was sent.
			expect(since(mark).map((entry) => entry.path)).toEqual([TOKEN_PATH]);
			expect(store.updates).toHaveLength(0);
		}
	});

	test('fails clearly when the host cannot be reached, or the Custom URL is not one', async () => {
		const closed = await closedPort();
		const { store, briApi } = briCredential({ customUrl: `http://127.0.0.1:${closed}` });
		expect(await testCredentials({ type: 'briApi', credentials: briApi, store })).toEqual({
			status: 'Error',
			message:
				'BRI access token request failed (ECONNREFUSED): the BRI API host could not be reached',
		});

		const bad = briCredential({ customUrl: 'bri-proxy.example.com' });
		expect(
			await testCredentials({ type: 'briApi', credentials: bad.briApi, store: bad.store }),
		).toEqual({
			status: 'Error',
			message: 'BRI API credential: Custom URL must start with http:// or https://',
		});
	});

	test('a non-JSON 4xx from a proxy: the status and a short excerpt, after GET and POST, no token', async () => {
		// A proxy that routes the token endpoint to the emulator and answers every BSB path with its
		// own HTML 404 page, echoing the Authorization header as some error pages do.
		const proxy = await startProxy(emu.url, (req, res) => {
			res.writeHead(404, { 'Content-Type': 'text/html' });
			res.end(
				`<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>${req.method} ${req.url} with ${req.headers.authorization}</p></body></html>`,
			);
		});
		try {
			const { store, briApi } = briCredential({ customUrl: proxy.url });
			const result = await testCredentials({ type: 'briApi', credentials: briApi, store });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(
				/^BRI refused the request: HTTP 404 \(404 Not Found Not Found GET \/v1\/bsb\/customers-group with Bearer \*\*\*\), Customer Group Get All\. Check the Environment or Custom URL/,
			);
			expect(proxy.seen).toEqual([
				`POST ${TOKEN_PATH}?grant_type=client_credentials`,
				`GET ${GET_ALL_PATH}`,
				`POST ${GET_ALL_PATH}`,
			]);
			expect(result.message).not.toContain(DEMO.consumerSecret);
			expect(result.message).not.toMatch(/Bearer [^*]/);
		} finally {
			await proxy.close();
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

	test('the credential test goes through it too: refused when enforced, passes when allowed', async () => {
		const { store, briApi } = briCredential();
		const before = emu.stats();
		const blocked = await testCredentials({
			type: 'briApi',
			credentials: briApi,
			store,
			ssrf: 'enforced',
		});
		expect(blocked.status).toBe('Error');
		expect(blocked.message).toMatch(
			/^BRI access token request refused by n8n: The request was blocked because it resolves to a restricted IP address/,
		);
		expect(emu.stats().tokenRequests - before.tokenRequests).toBe(0);

		const allowed = await testCredentials({
			type: 'briApi',
			credentials: briApi,
			store,
			ssrf: 'allow-loopback',
		});
		expect(allowed).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});
