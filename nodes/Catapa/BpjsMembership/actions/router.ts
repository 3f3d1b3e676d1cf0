import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { catapaApiRequest } from '../transport';
import * as healthcareMembership from './healthcareMembership';
import * as manpowerMembership from './manpowerMembership';
import type { BpjsOperation, BpjsOperationModule, BpjsResource, PreparedCall } from './node.type';

const operations: Record<BpjsResource, Record<BpjsOperation, BpjsOperationModule>> = {
	healthcareMembership,
	manpowerMembership,
};

function inputError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, {
		itemIndex,
		description: 'Nothing was sent to CATAPA for this item (items are counted from 0).',
	});
}

/**
 * An error item for Continue On Fail. With `item.error` set, n8n keeps `json.error` (the message,
 * which names item, field and what is allowed), shows the error's description and HTTP code
 * beside it, and "On Error: Continue (using error output)" routes the item to the error output.
 * The error is built from CATAPA's body only, so it holds no secret.
 */
function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as BpjsResource;
	const operation = this.getNodeParameter('operation', 0) as BpjsOperation;
	const module = operations[resource]?.[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}
	const continueOnFail = this.continueOnFail();

	// Check every item before sending any: without Continue On Fail, one bad row stops the run
	// before CATAPA has seen a single request.
	const prepared: Array<PreparedCall | { error: NodeOperationError }> = items.map(
		(_, itemIndex) => {
			try {
				return module.prepare.call(this, itemIndex);
			} catch (error) {
				const wrapped = inputError(this, error, itemIndex);
				if (!continueOnFail) throw wrapped;
				return { error: wrapped };
			}
		},
	);

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const call = prepared[itemIndex];
		if ('error' in call) {
			returnData.push(errorItem(call.error, itemIndex));
			continue;
		}
		try {
			const response = await catapaApiRequest.call(this, call.method, call.path, {
				body: call.body,
				itemIndex,
			});
			const records = Array.isArray(response) ? response : [response ?? {}];
			for (const record of records) {
				const json: IDataObject =
					record && typeof record === 'object'
						? { ...(record as IDataObject) }
						: { value: record as string };
				if (call.warnings.length > 0) json.warnings = call.warnings;
				returnData.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			// The transport already throws a clean NodeApiError; wrapping one returns it unchanged.
			const apiError = new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
			if (!continueOnFail) throw apiError;
			returnData.push(errorItem(apiError, itemIndex));
		}
	}
	return [returnData];
}
