// examples/bpjs-memberships-from-hr-table.json through n8n-core's engine against the CATAPA
// emulator: the rows of its "HR table" Code node are pinned (the harness has no task runner for
// Code nodes; pinned data is how n8n itself feeds a node's output without running it).
import fs from 'node:fs';
import path from 'node:path';

import type { INodeExecutionData } from 'n8n-workflow';

import { BpjsMembership } from '../../../../nodes/Catapa/BpjsMembership/BpjsMembership.node';
import { ItemsSource } from '../../fixtures';
import { CredentialStore, runWorkflow } from '../../harness';
import type { WorkflowJson } from '../../harness';

import { startCatapaEmulator, DEMO } from '../../../../emulator/catapa';

const example = JSON.parse(
	fs.readFileSync(
		path.join(__dirname, '../../../../examples/bpjs-memberships-from-hr-table.json'),
		'utf8',
	),
) as WorkflowJson & {
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
};

/** The Code node's own rows: its jsCode is a plain `return [...]` of literals. */
function hrRows(): INodeExecutionData[] {
	const code = example.nodes.find((n) => n.name === 'HR table')?.parameters.jsCode as string;
	return new Function(code)() as INodeExecutionData[];
}

describe('example: update BPJS memberships from an HR table', () => {
	let emu: {
		url: string;
		state: Record<string, any>;
		requests: Array<Record<string, any>>;
		stats(): Record<string, any>;
		close(): Promise<void>;
	};

	beforeAll(async () => {
		emu = await startCatapaEmulator({ port: 0 });
	});
	afterAll(async () => await emu.close());

	it('updates both memberships for the good rows, warns on row 3, sends row 4 to the error outputs', async () => {
		const store = new CredentialStore();
		// As `npm start` imports it: no accessToken field, n8n fills the hidden default.
		store.set(
			'catapaApi',
			{
				baseUrl: emu.url,
				tenant: DEMO.tenant,
				clientId: DEMO.clientId,
				clientSecret: DEMO.clientSecret,
			},
			'catapaEmulator01',
			'CATAPA (emulator)',
		);
		const rows = hrRows();
		expect(rows).toHaveLength(4);

		const run = await runWorkflow({
			workflow: { ...example, pinData: { 'HR table': rows } },
			nodeTypes: {
				bpjsMembership: new BpjsMembership(),
				// Stand-ins for n8n-nodes-base types the harness does not ship; neither runs here.
				'n8n-nodes-base.code': new ItemsSource(),
				'n8n-nodes-base.stickyNote': new ItemsSource(),
			},
			credentials: store,
		});
		expect(run.error).toBeUndefined();

		const healthcare = run.runData['Update BPJS Kesehatan'][0].data?.main ?? [];
		const manpower = run.runData['Update BPJS Ketenagakerjaan'][0].data?.main ?? [];
		expect(healthcare[0]?.map((i) => i.json.employeeId)).toEqual(
			rows.slice(0, 3).map((r) => r.json.employeeId),
		);
		expect(healthcare[0]?.[2].json.warnings).toEqual([
			expect.stringMatching(/card number usually has 13 digits; "1234567002" has 10 digits/),
		]);
		expect(healthcare[1]?.map((i) => i.json.error)).toEqual([
			`Invalid input for employee "${rows[3].json.employeeId}": Start Date (startDate) must be a date in yyyy-MM-dd form, e.g. 2024-01-31; got "01/08/2024"`,
		]);
		expect(manpower[0]?.map((i) => i.json.membershipNumber)).toEqual([
			'21000000000',
			'21000000001',
			'21000000002',
		]);
		expect(manpower[1]).toHaveLength(1);

		// Three PUTs per membership kind, none for row 4, one token for both nodes.
		const puts = emu.requests.filter((r) => r.method === 'PUT');
		expect(puts).toHaveLength(6);
		expect(puts.some((r) => r.path.includes(rows[3].json.employeeId as string))).toBe(false);
		expect(emu.stats().tokenRequests).toBe(1);
		expect(emu.state.healthcareMemberships.get(rows[1].json.employeeId)).toMatchObject({
			membershipNumber: '0001234567001',
			startDate: '2024-07-01',
			firstLevelHealthcareFacility: 'Klinik Pratama Sehat',
		});
	});
});
