// Runs one endpoint for every input item: read and validate all items first (nothing is sent
// while any input is bad, unless Continue On Fail is on), then send them, N at a time, keeping
// output order equal to input order.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { findEndpoint } from './endpoints';
import type { EndpointDescriptor } from './endpoints';
import { BsbTransport } from './transport';
import type { BsbEnvelope } from './transport';
import { buildBody, formatIssueInline, formatIssues } from './validator';

interface RunOptions {
	concurrency?: number;
	retries?: number;
	timeout?: number;
}

type Prepared = { body: string } | { error: NodeOperationError };

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

function prepare(
	ctx: IExecuteFunctions,
	endpoint: EndpointDescriptor,
	itemIndex: number,
): Prepared {
	const { body, issues } = buildBody(endpoint, itemValues(ctx, endpoint, itemIndex));
	if (issues.length === 0) return { body: endpoint.method === 'GET' ? '' : JSON.stringify(body) };
	// The message itself names field, problem and rule: it is what an error row or an AI tool sees.
	return {
		error: new NodeOperationError(
			ctx.getNode(),
			`Invalid input in item ${itemIndex}: ${issues.map(formatIssueInline).join('; ')}`,
			{
				description: `${formatIssues(issues)}\nNothing was sent to BRI for this item.`,
				itemIndex,
			},
		),
	};
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

/**
 * An error item as n8n expects it: with `item.error`, "On Error: Continue (using error output)"
 * routes it to the error output; n8n keeps `json.error` (the message, which starts with BSB's
 * response code) and shows the error's description beside it.
 */
function errorItem(
	error: NodeOperationError | NodeApiError,
	itemIndex: number,
): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

export async function executeEndpoint(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const endpoint = findEndpoint(resource, operation);
	if (!endpoint) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not known`,
		);
	}
	const options = this.getNodeParameter('options', 0, {}) as RunOptions;
	const concurrency = Math.max(1, Math.min(50, Math.floor(options.concurrency ?? 1)));
	const continueOnFail = this.continueOnFail();

	const prepared = items.map((_, i) => prepare(this, endpoint, i));
	if (!continueOnFail) {
		const invalid = prepared.flatMap((p, i) => ('error' in p ? [i] : []));
		if (invalid.length > 0) {
			const first = prepared[invalid[0]] as { error: NodeOperationError };
			if (invalid.length > 1) {
				first.error.description = `${first.error.description}\nItems with invalid input: ${invalid.join(', ')}. Nothing was sent for any item.`;
			} else {
				first.error.description = `${first.error.description} Nothing was sent for any item.`;
			}
			throw first.error;
		}
	}

	const transport = new BsbTransport(this);
	const results: INodeExecutionData[][] = new Array(items.length);
	let failure: { error: NodeApiError; itemIndex: number } | undefined;
	let next = 0;

	const runItem = async (i: number) => {
		const item = prepared[i];
		if ('error' in item) {
			results[i] = [errorItem(item.error, i)];
			return;
		}
		try {
			const envelope = await transport.call(endpoint, item.body, {
				itemIndex: i,
				retries: options.retries,
				timeout: options.timeout,
			});
			let out = records(envelope);
			if (endpoint.list && !(this.getNodeParameter('returnAll', i, false) as boolean)) {
				out = out.slice(0, this.getNodeParameter('limit', i, 50) as number);
			}
			results[i] = out.map((json) => ({ json, pairedItem: { item: i } }));
		} catch (error) {
			const apiError =
				error instanceof NodeApiError
					? error
					: new NodeApiError(
							this.getNode(),
							{ message: (error as Error).message },
							{ itemIndex: i },
						);
			if (continueOnFail) {
				results[i] = [errorItem(apiError, i)];
			} else if (!failure || i < failure.itemIndex) {
				failure = { error: apiError, itemIndex: i };
			}
		}
	};

	const worker = async () => {
		while (!failure && next < items.length) await runItem(next++);
	};
	// The first request alone, so that a missing token is fetched once, not once per worker
	// (items that are not sent, being invalid, do not count).
	while (concurrency > 1 && !failure && next < items.length) {
		const sends = !('error' in prepared[next]);
		await runItem(next++);
		if (sends) break;
	}
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

	if (failure) {
		const done = results.filter((r) => r !== undefined).length;
		const notSent = items.length - done - 1;
		failure.error.description = [
			failure.error.description,
			`Item ${failure.itemIndex} failed. ${done} other item(s) were processed by BRI before it stopped; ${notSent} item(s) were not sent.`,
			'Turn on "Continue On Fail" (Settings) to get an error item for failed items and carry on with the rest.',
		]
			.filter(Boolean)
			.join('\n');
		throw failure.error;
	}
	return [results.flat()];
}
