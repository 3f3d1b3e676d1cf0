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

import { forSubject, requestsAtOnce, runItems } from '../../shared/runtime';
import type { ItemIdentity } from '../../shared/runtime';
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

function inputError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	subject: string | undefined,
): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(
		context.getNode(),
		`Invalid input${forSubject(subject)}: ${message}`,
		{
			itemIndex,
		},
	);
}

/**
 * The item's employee: the ID, and the name the Employee list showed when it was picked from the
 * list (n8n keeps it as `cachedResultName`; an expression has none). Undefined when blank or unreadable.
 */
function identify(context: IExecuteFunctions, itemIndex: number): ItemIdentity | undefined {
	let id: unknown;
	try {
		id = context.getNodeParameter('employeeId', itemIndex, '', { extractValue: true });
	} catch {
		return undefined; // prepare reads it again and says why
	}
	if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
		return undefined;
	}
	const employeeId = String(id).trim();
	const picked = context.getNode().parameters.employeeId as
		{ mode?: unknown; value?: unknown; cachedResultName?: unknown } | undefined;
	const name =
		picked?.mode === 'list' &&
		typeof picked.cachedResultName === 'string' &&
		picked.cachedResultName !== '' &&
		!(typeof picked.value === 'string' && picked.value.startsWith('='))
			? picked.cachedResultName
			: undefined;
	const shown = name ?? employeeId;
	return {
		name: `employee "${shown.length > 60 ? `${shown.slice(0, 57)}…` : shown}"`,
		fields: { employee: name ? { employeeId, name } : { employeeId } },
	};
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
	return await runItems<PreparedCall>(this, {
		vendor: 'CATAPA',
		concurrency: requestsAtOnce(options.concurrency, MAX_REQUESTS_AT_ONCE),
		identify: (itemIndex) => identify(this, itemIndex),
		prepare: (itemIndex, subject) => {
			try {
				return prepare(this, operation, itemIndex);
			} catch (error) {
				return inputError(this, error, itemIndex, subject);
			}
		},
		send: async (call, itemIndex, subject) => {
			let response: unknown;
			try {
				response = await catapaApiRequest.call(this, call.method, call.path, {
					body: call.body,
					itemIndex,
					subject,
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
