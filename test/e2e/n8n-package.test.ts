// A real n8n 2.40.7 with this package installed as a community package: it lists our node and
// credential types, its own credential test passes against the BSB emulator, and the example
// workflow runs BRI Smart Billing against the emulator, from the REST API and from the CLI.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT, nodeOutput, startN8n, waitForBuild } from './harness';
import type { N8n } from './harness';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const example = JSON.parse(
	fs.readFileSync(path.join(REPO_ROOT, 'examples', 'smart-billing-quick-look.json'), 'utf8'),
);

/** The `description.name` of each built node or credential class that package.json lists. */
function declaredNames(files: string[], kind: 'node' | 'credential'): string[] {
	return files.map((file) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(path.join(REPO_ROOT, file));
		const Class = Object.values(mod)[0] as new () => {
			description?: { name: string };
			name?: string;
		};
		const instance = new Class();
		return kind === 'node' ? (instance.description?.name ?? '') : (instance.name ?? '');
	});
}

describe('n8n with n8n-nodes-bri-bpjs', () => {
	let n8n: N8n;

	beforeAll(async () => {
		n8n = await startN8n();
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('lists every node type of the package', async () => {
		const served = (await n8n.nodeTypes()).map((t) => t.name);
		const expected = declaredNames(pkg.n8n.nodes, 'node').map((name) => `${pkg.name}.${name}`);
		expect(expected.length).toBe(pkg.n8n.nodes.length);
		for (const type of expected) expect(served).toContain(type);
		const smartBilling = (await n8n.nodeTypes()).find(
			(t) => t.name === `${pkg.name}.briSmartBilling`,
		);
		expect(smartBilling?.displayName).toBe('BRI Smart Billing');
	});

	it('serves each node with its codex file (categories and aliases), as built into dist/', async () => {
		const types = await n8n.nodeTypes();
		for (const file of pkg.n8n.nodes as string[]) {
			const codex = JSON.parse(
				fs.readFileSync(path.join(REPO_ROOT, file.replace(/\.js$/, '.json')), 'utf8'),
			);
			const served = types.find((t) => t.name === codex.node) as
				{ codex?: { categories?: string[]; alias?: string[] } } | undefined;
			expect(served?.codex?.categories).toEqual(codex.categories);
			expect(served?.codex?.alias).toEqual(codex.alias);
		}
	});

	it('lists every credential type of the package', async () => {
		const served = (await n8n.credentialTypes()).map((t) => t.name);
		for (const name of declaredNames(pkg.n8n.credentials, 'credential'))
			expect(served).toContain(name);
		expect(served).toEqual(expect.arrayContaining(['briApi']));
	});

	it("passes n8n's own credential test for the BRI API credential against the emulator", async () => {
		const stats = () =>
			n8n.emulators!.bsb.stats() as { requests: number; byEndpoint: Record<string, number> };
		const before = stats().requests;
		const result = await n8n.testCredential(n8n.credentials.briApi!);
		expect(result).toEqual({ status: 'OK', message: expect.any(String) });
		// The test made a signed BSB call that the emulator accepted.
		expect(stats().requests).toBeGreaterThan(before);
		expect(n8n.emulators!.bsb.requests.at(-1)).toMatchObject({
			method: 'GET',
			path: '/v1/bsb/customers-group',
			status: 200,
			responseCode: '0000',
		});
	});

	// docs/spec-readings.md#7-customers-group-get-all: the gateway may answer Get All to POST only.
	it('passes the credential test when Get All is POST only (GET 405, then a body-less POST)', async () => {
		const bsb = n8n.emulators!.bsb;
		bsb.setReadings(['getAllPostOnly']);
		try {
			const mark = bsb.requests.length;
			const result = await n8n.testCredential(n8n.credentials.briApi!);
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			const getAll = bsb.requests
				.slice(mark)
				.filter((entry) => entry.path === '/v1/bsb/customers-group')
				.map(({ method, status, body }) => ({ method, status, body }));
			expect(getAll).toEqual([
				{ method: 'GET', status: 405, body: '' },
				{ method: 'POST', status: 200, body: '' },
			]);
		} finally {
			bsb.setReadings([]);
		}
	});

	it('fails the credential test with a wrong consumer secret, without echoing it', async () => {
		const wrong = await n8n.rest.post('/credentials', {
			name: 'BRI API (wrong secret)',
			type: 'briApi',
			data: {
				environment: 'custom',
				customUrl: n8n.emulators!.bsb.url,
				consumerKey: 'demo-consumer-key',
				consumerSecret: 'not-the-secret-xyz',
			},
		});
		const bsb = n8n.emulators!.bsb;
		for (const readings of [[], ['getAllPostOnly']]) {
			bsb.setReadings(readings);
			try {
				const result = await n8n.testCredential(wrong.id);
				expect(result.status).toBe('Error');
				expect(result.message).toMatch(/HTTP 401, 0603.*Consumer Key and Consumer Secret/);
				expect(JSON.stringify(result)).not.toContain('not-the-secret-xyz');
			} finally {
				bsb.setReadings([]);
			}
		}
	});

	it('passes the CATAPA credential test when that credential type is built', async () => {
		if (!n8n.credentials.catapaApi) {
			expect(fs.existsSync(path.join(REPO_ROOT, 'dist/credentials/CatapaApi.credentials.js'))).toBe(
				false,
			);
			return;
		}
		const result = await n8n.testCredential(n8n.credentials.catapaApi);
		expect(result).toEqual({ status: 'OK', message: expect.any(String) });
	});

	describe('the quick-look example workflow', () => {
		let workflowId: string;

		beforeAll(async () => {
			// The BRI Smart Billing node is built from nodes/; fail clearly if the build lacks it.
			expect(await waitForBuild('dist/nodes/Bri/SmartBilling/BriSmartBilling.node.js')).toBe(true);
			workflowId = await n8n.importWorkflow(example);
		});

		it('runs BRI Smart Billing (Customer Group → Get Many) against the emulator from the editor’s Execute button path', async () => {
			const execution = await n8n.runWorkflow(workflowId);
			expect(execution.data.resultData.error).toBeUndefined();
			expect(execution.status).toBe('success');
			const groups = nodeOutput(execution, 'Get customer groups');
			const seeded = [
				...(
					n8n.emulators!.bsb.state as { customerGroups: Map<string, { groupName: string }> }
				).customerGroups.keys(),
			];
			expect(seeded.length).toBeGreaterThan(0);
			expect(groups.map((g) => g.referenceNumCustomergroup).sort()).toEqual([...seeded].sort());
			// Secrets never reach the output.
			expect(JSON.stringify(execution.data)).not.toContain('demo-consumer-secret');
		});

		it('is recorded in the executions list', async () => {
			const executions = await n8n.listExecutions(workflowId);
			expect(executions.length).toBeGreaterThanOrEqual(1);
			expect(executions[0]).toMatchObject({ workflowId, status: 'success', mode: 'manual' });
		});

		it('runs from the CLI too (n8n execute --id)', async () => {
			const result = await n8n.executeCli(workflowId);
			expect(result.code).toBe(0);
			const json = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
			const items = json.data.resultData.runData['Get customer groups'][0].data.main[0];
			expect(items.length).toBeGreaterThan(0);
			const cliRuns = (await n8n.listExecutions(workflowId)).filter((e) => e.mode === 'cli');
			expect(cliRuns).toHaveLength(1);
			expect(cliRuns[0].status).toBe('success');
		});
	});
});
