// Runs one endpoint for every input item through the shared operation runtime: the item's
// values become the exact BSB body (or field problems), the transport sends it.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { requestsAtOnce, runItems } from '../../shared/runtime';
import { MAX_REQUESTS_AT_ONCE } from './description';
import { findEndpoint } from './endpoints';
import type { EndpointDescriptor } from './endpoints';
import { STOP_WORDING, invalidInputError, unknownOperationError } from './messages';
import { BsbTransport } from './transport';
import type { BsbEnvelope } from './transport';
import { buildBody } from './validator';

interface RunOptions {
	concurrency?: number;
	retries?: number;
	timeout?: number;
}

function readValue(raw: unknown): unknown {
	// Resource locators hold { __rl, mode, value }; an expression may also give a plain string.
	if (raw && typeof raw === 'object' && (raw as INodeParameterResourceLocator).__rl) {
		return (raw as INodeParameterResourceLocator).value;
	}
	return raw;
}

/** The values of one item, by parameter name, as the validator wants them. */
function itemValues(
	ctx: IExecuteFunctions,
	endpoint: EndpointDescriptor,
	itemIndex: number,
): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	const additional = endpoint.fields.some((f) => !f.required)
		? (ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject)
		: {};
	for (const field of endpoint.fields) {
		values[field.name] = field.required
			? readValue(ctx.getNodeParameter(field.name, itemIndex, undefined))
			: readValue(additional[field.name]);
	}
	return values;
}

/** The records an answer stands for: one item per record of a list, else the data object. */
function records(envelope: BsbEnvelope): IDataObject[] {
	const data = envelope.data;
	if (Array.isArray(data)) return data.filter((r) => r && typeof r === 'object') as IDataObject[];
	if (data && typeof data === 'object') return [data as IDataObject];
	return [
		{
			responseCode: envelope.responseCode ?? '0000',
			responseMessage: envelope.responseMessage ?? 'Success',
		},
	];
}

/** An item's requests: the body, and for Create or Update also the update's body. */
interface Prepared {
	body: string;
	update?: string;
}

/** The create and update descriptors of a Create or Update. */
function upsertPair(endpoint: EndpointDescriptor) {
	if (!endpoint.upsert) return undefined;
	return {
		create: findEndpoint(endpoint.resource, endpoint.upsert.create)!,
		update: findEndpoint(endpoint.resource, endpoint.upsert.update)!,
	};
}

/** BSB's 0005 (already exists), as the transport's error carries BSB's answer. */
function alreadyExists(error: unknown): boolean {
	const answer = (error as NodeApiError | undefined)?.errorResponse as IDataObject | undefined;
	return answer?.responseCode === '0005';
}

export async function executeEndpoint(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const endpoint = findEndpoint(resource, operation);
	if (!endpoint) throw unknownOperationError(this.getNode(), resource, operation);
	const options = this.getNodeParameter('options', 0, {}) as RunOptions;
	const transport = new BsbTransport(this);
	const pair = upsertPair(endpoint);

	return await runItems(this, {
		concurrency: requestsAtOnce(options.concurrency, MAX_REQUESTS_AT_ONCE),
		wording: STOP_WORDING,
		prepare: (itemIndex): Prepared | ReturnType<typeof invalidInputError> => {
			const values = itemValues(this, endpoint, itemIndex);
			if (pair) {
				// Checked against both rules before anything is sent: the create's, and the update's
				// that a 0005 leads to.
				const create = buildBody(pair.create, values);
				const update = buildBody(pair.update, values);
				const seen = new Set(create.issues.map((i) => i.field));
				const issues = [...create.issues, ...update.issues.filter((i) => !seen.has(i.field))];
				if (issues.length > 0) return invalidInputError(this.getNode(), itemIndex, issues);
				return { body: JSON.stringify(create.body), update: JSON.stringify(update.body) };
			}
			const { body, issues } = buildBody(endpoint, values);
			if (issues.length > 0) return invalidInputError(this.getNode(), itemIndex, issues);
			return { body: endpoint.method === 'GET' ? '' : JSON.stringify(body) };
		},
		send: async (request, itemIndex) => {
			const callOptions = { itemIndex, retries: options.retries, timeout: options.timeout };
			if (pair) {
				try {
					const created = await transport.call(endpoint, request.body, callOptions);
					return records(created).map((r) => ({ ...r, operation: 'created' }));
				} catch (error) {
					// The transport throws NodeApiErrors, which NodeApiError hands back unchanged.
					if (!alreadyExists(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
				}
				const updated = await transport.call(pair.update, request.update!, callOptions);
				return records(updated).map((r) => ({ ...r, operation: 'updated' }));
			}
			const envelope = await transport.call(endpoint, request.body, callOptions);
			// A delete answers as n8n's own deletes do, keeping the reference numbers it was sent.
			if (endpoint.deletes)
				return [{ deleted: true, ...(JSON.parse(request.body) as IDataObject) }];
			const out = records(envelope);
			if (!endpoint.list || (this.getNodeParameter('returnAll', itemIndex, false) as boolean)) {
				return out;
			}
			return out.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
		},
	});
}
