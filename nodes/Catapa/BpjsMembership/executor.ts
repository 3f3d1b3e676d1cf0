// Runs one operation for every input item through the shared operation runtime: the item's
// parameters are read and checked (validation.ts), the transport sends them to CATAPA.
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { requestsAtOnce, runItems } from '../../shared/runtime';
import type { StopWording } from '../../shared/runtime';
import { MAX_REQUESTS_AT_ONCE } from './description';
import { findOperation } from './operations';
import type { MembershipOperation } from './operations';
import { RateLimitPause, catapaApiRequest } from './transport';
import { employeeId } from './validation';

/** One item's CATAPA call, checked and built before anything is sent. */
interface PreparedCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/** Soft-check findings, copied onto the output item (never a refusal). */
	warnings: string[];
}

// A lone bad item keeps its own description; several are named (the runtime stops on the first).
const STOP_WORDING: StopWording = {
	invalidInput: (description, invalidItems) =>
		invalidItems.length > 1
			? `${description}\nItems with invalid input: ${invalidItems.join(', ')}. Nothing was sent for any item.`
			: String(description),
	failure: (itemIndex, processed, notSent) => [
		`Item ${itemIndex} failed. ${processed} other item(s) were processed by CATAPA before it stopped; ${notSent} item(s) were not sent.`,
		'Turn on "Continue On Fail" (Settings) to get an error item for failed items and carry on with the rest.',
	],
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
 * Reads and checks one item. The body is the Additional Fields plus every other top-level field
 * of the operation, read in their order (resource locators by their value).
 */
function prepare(
	context: IExecuteFunctions,
	operation: MembershipOperation,
	itemIndex: number,
): PreparedCall {
	const id = employeeId(
		context.getNodeParameter('employeeId', itemIndex, '', { extractValue: true }),
	);
	const path = operation.path.replace('{employeeId}', encodeURIComponent(id));
	if (!operation.rules) return { method: operation.method, path, warnings: [] };
	const input: IDataObject = {
		...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	for (const { name, type } of operation.fields) {
		if (name === 'additionalFields') continue;
		input[name] =
			type === 'resourceLocator'
				? context.getNodeParameter(name, itemIndex, '', { extractValue: true })
				: context.getNodeParameter(name, itemIndex, '');
	}
	const { body, warnings } = operation.rules(input);
	return { method: operation.method, path, body: body as IDataObject, warnings };
}

export async function executeOperation(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const name = this.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, name);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${name}" is not supported for "${resource}"`,
		);
	}
	const options = this.getNodeParameter('options', 0, {}) as { concurrency?: number };
	const pause = new RateLimitPause();
	return await runItems(this, {
		concurrency: requestsAtOnce(options.concurrency, MAX_REQUESTS_AT_ONCE),
		wording: STOP_WORDING,
		prepare: (itemIndex) => {
			try {
				return prepare(this, operation, itemIndex);
			} catch (error) {
				return inputError(this, error, itemIndex);
			}
		},
		send: async (call, itemIndex) => {
			let response: unknown;
			try {
				response = await catapaApiRequest.call(this, call.method, call.path, {
					body: call.body,
					itemIndex,
					pause,
				});
			} catch (error) {
				// The transport already throws a clean NodeApiError; wrapping one returns it unchanged.
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
			}
			const records = Array.isArray(response) ? response : [response ?? {}];
			return records.map((record) => {
				const json: IDataObject =
					record && typeof record === 'object'
						? { ...(record as IDataObject) }
						: { value: record as string };
				if (call.warnings.length > 0) json.warnings = call.warnings;
				return json;
			});
		},
	});
}
