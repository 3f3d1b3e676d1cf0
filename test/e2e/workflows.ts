// Workflows and requests that more than one real-n8n suite uses (test/e2e, test/compat).
import { createInvoicesNode, invoiceRowsCode } from '../fixtures/bulkInvoices';
import type { N8n, WorkflowJson } from './harness';

export const SMART_BILLING = 'n8n-nodes-bri-bpjs.briSmartBilling';

/**
 * Manual trigger → Code node making `rows` invoice rows (`bad` indexes get an invalid amount) →
 * BRI Smart Billing (invoice create, 5 requests at once, bad rows to the error output).
 * Invoice numbers are `<prefix>-000`, `<prefix>-001`, …
 */
export function bulkInvoiceWorkflow(prefix: string, rows: number, bad: number[]): WorkflowJson {
	const code = invoiceRowsCode(`'${prefix}'`, String(rows), JSON.stringify(bad));
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
			createInvoicesNode({ onError: 'continueErrorOutput' }),
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
