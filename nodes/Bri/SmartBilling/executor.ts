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
import { invalidInputError, itemIdentity, unknownOperationError } from './messages';
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

/** Amounts written as `5.00006e+08` (section 12's sample): rounded to a few significant digits. */
const EXPONENT_FORM = /^\s*[+-]?\d+(\.\d+)?e[+-]?\d+\s*$/i;

/** Warnings about what BSB answered, for one record (docs/spec-readings.md#12-payment-get-by-references-number). */
function answerWarnings(endpoint: EndpointDescriptor, record: IDataObject): string[] {
	if (endpoint.section !== 12) return [];
	const amount = record.paymentAmount;
	if (typeof amount !== 'string' || !EXPONENT_FORM.test(amount)) return [];
	return [
		`paymentAmount "${amount}" is in exponent form, so BRI rounded it (about ${Number(amount)}). The exact figure is the totalAmount of Payment Get by BRIVA Number, or the amount in the payment callback.`,
	];
}

/** The records with the item's warnings (input checks, then answer checks) as `warnings`. */
function withWarnings(
	endpoint: EndpointDescriptor,
	out: IDataObject[],
	inputWarnings: string[],
): IDataObject[] {
	return out.map((record) => {
		const warnings = [...inputWarnings, ...answerWarnings(endpoint, record)];
		return warnings.length > 0 ? { ...record, warnings } : record;
	});
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
	const inputWarnings = new Map<number, string[]>();
	const pair = upsertPair(endpoint);

	// Read once per item: for its identity, then for its checks.
	const read = new Map<number, Record<string, unknown>>();
	const valuesOf = (itemIndex: number) => {
		const values = read.get(itemIndex) ?? itemValues(this, endpoint, itemIndex);
		read.set(itemIndex, values);
		return values;
	};

	return await runItems(this, {
		vendor: 'BRI',
		concurrency: requestsAtOnce(options.concurrency, MAX_REQUESTS_AT_ONCE),
		identify: (itemIndex) => {
			try {
				return itemIdentity(endpoint, valuesOf(itemIndex));
			} catch {
				return undefined; // prepare reads it again and throws n8n's own error
			}
		},
		prepare: (itemIndex, subject): Prepared | ReturnType<typeof invalidInputError> => {
			const values = valuesOf(itemIndex);
			read.delete(itemIndex);
			const invalid = (issues: Parameters<typeof invalidInputError>[3]) =>
				invalidInputError(this.getNode(), itemIndex, subject, issues);
			if (pair) {
				// Checked against both rules before anything is sent: the create's, and the update's
				// that a 0005 leads to.
				const create = buildBody(pair.create, values);
				const update = buildBody(pair.update, values);
				const seen = new Set(create.issues.map((i) => i.field));
				const issues = [...create.issues, ...update.issues.filter((i) => !seen.has(i.field))];
				if (issues.length > 0) return invalid(issues);
				const warnings = [...new Set([...create.warnings, ...update.warnings])];
				if (warnings.length > 0) inputWarnings.set(itemIndex, warnings);
				return { body: JSON.stringify(create.body), update: JSON.stringify(update.body) };
			}
			const { body, issues, warnings } = buildBody(endpoint, values);
			if (issues.length > 0) return invalid(issues);
			if (warnings.length > 0) inputWarnings.set(itemIndex, warnings);
			return { body: endpoint.method === 'GET' ? '' : JSON.stringify(body) };
		},
		send: async (request, itemIndex, subject) => {
			const callOptions = {
				itemIndex,
				subject,
				retries: options.retries,
				timeout: options.timeout,
			};
			const warn = (out: IDataObject[]) =>
				withWarnings(endpoint, out, inputWarnings.get(itemIndex) ?? []);
			if (pair) {
				try {
					const created = await transport.call(endpoint, request.body, callOptions);
					return warn(records(created).map((r) => ({ ...r, operation: 'created' })));
				} catch (error) {
					// The transport throws NodeApiErrors, which NodeApiError hands back unchanged.
					if (!alreadyExists(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
				}
				const updated = await transport.call(pair.update, request.update!, callOptions);
				return warn(records(updated).map((r) => ({ ...r, operation: 'updated' })));
			}
			const envelope = await transport.call(endpoint, request.body, callOptions);
			// A delete answers as n8n's own deletes do, keeping the reference numbers it was sent.
			if (endpoint.deletes)
				return warn([{ deleted: true, ...(JSON.parse(request.body) as IDataObject) }]);
			const out = warn(records(envelope));
			if (!endpoint.list || (this.getNodeParameter('returnAll', itemIndex, false) as boolean)) {
				return out;
			}
			return out.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
		},
	});
}
