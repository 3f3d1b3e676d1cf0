// Workflows and requests that more than one real-n8n suite uses (test/e2e, test/compat).
import type { N8n, WorkflowJson } from './harness';

export const SMART_BILLING = 'n8n-nodes-bri-bpjs.briSmartBilling';

/**
 * Manual trigger → Code node making `rows` invoice rows (`bad` indexes get an invalid amount) →
 * BRI Smart Billing (invoice create, 5 requests at once, bad rows to the error output).
 * Invoice numbers are `<prefix>-000`, `<prefix>-001`, …
 */
export function bulkInvoiceWorkflow(prefix: string, rows: number, bad: number[]): WorkflowJson {
	const code = `const bad = new Set(${JSON.stringify(bad)});
return Array.from({ length: ${rows} }, (_, i) => ({ json: {
  ref: '${prefix}-' + String(i).padStart(3, '0'),
  customer: 'CUST00' + (1 + (i % 3)),
  amount: bad.has(i) ? 'twelve' : 100000 + i,
} }));`;
	return {
		name: `Bulk invoices ${prefix}`,
		nodes: [
			{
				id: 't',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'c',
				name: 'Rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: code },
			},
			{
				id: 'b',
				name: 'Create invoices',
				type: SMART_BILLING,
				typeVersion: 1,
				position: [440, 0],
				onError: 'continueErrorOutput',
				parameters: {
					resource: 'invoice',
					operation: 'create',
					referenceNumInvoice: '={{ $json.ref }}',
					referenceNumCustomer: '={{ $json.customer }}',
					referenceNumFeetype: { __rl: true, mode: 'id', value: 'IPL001' },
					amount: '={{ $json.amount }}',
					expDate: "={{ $now.plus(30, 'days').toFormat('yyyy-MM-dd') }}",
					options: { concurrency: 5 },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Create invoices', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The Fee Type picker of Invoice → Create, as the editor asks n8n's resource-locator endpoint. */
export async function searchFeeTypes(
	n8n: N8n,
	filter: string,
): Promise<{ results: Array<{ name: string; value: string }> }> {
	return n8n.rest.post('/dynamic-node-parameters/resource-locator-results', {
		path: 'parameters.referenceNumFeetype',
		nodeTypeAndVersion: { name: SMART_BILLING, version: 1 },
		currentNodeParameters: { resource: 'invoice', operation: 'create' },
		methodName: 'searchFeeTypes',
		filter,
		credentials: { briApi: { id: n8n.credentials.briApi, name: 'BRI API (emulator)' } },
	});
}
