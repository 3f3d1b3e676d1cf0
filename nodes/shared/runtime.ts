// The operation runtime both action nodes run their items through: read and check every item
// first (nothing is sent while any input is bad, unless Continue On Fail is on), then send them,
// N at a time, with output order equal to input order and every output item paired.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** What a run says when it stops; each vendor's wording, kept in one place. */
export interface StopWording {
	/** The description of the first invalid item's error, when bad input stops the run. */
	invalidInput(description: string | null | undefined, invalidItems: number[]): string;
	/** Lines added to the error that stopped the run: which item, what was and was not sent. */
	failure(itemIndex: number, processed: number, notSent: number): string[];
}

export interface ItemOperation<Request> {
	/** Reads and checks one item: what to send, or the error that says why nothing is sent for it. */
	prepare(itemIndex: number): Request | NodeOperationError;
	/** Sends one item; returns its output records, or throws (a NodeApiError, ideally). */
	send(request: Request, itemIndex: number): Promise<IDataObject[]>;
	/** Items sent at the same time (1: one after another). */
	concurrency: number;
	wording: StopWording;
}

/** The node's Options collection, holding run options such as Requests at Once. */
export function runOptionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** The Requests at Once option (Options → `concurrency`), the same in every action node. */
export function requestsAtOnceOption(max: number, description: string): INodeProperties {
	return {
		displayName: 'Requests at Once',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: max, numberPrecision: 0 },
		default: 1,
		description,
	};
}

/** The Requests at Once option's value as a whole number from 1 to `max`. */
export function requestsAtOnce(value: unknown, max: number): number {
	const wanted = Math.floor(Number(value ?? 1));
	return Number.isFinite(wanted) ? Math.max(1, Math.min(max, wanted)) : 1;
}

/**
 * An error item as n8n expects it: with `item.error`, "On Error: Continue (using error output)"
 * routes it to the error output; n8n keeps `json.error` (the message) and shows the error's
 * description beside it.
 */
export function errorItem(
	error: NodeOperationError | NodeApiError,
	itemIndex: number,
): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

export async function runItems<Request>(
	ctx: IExecuteFunctions,
	operation: ItemOperation<Request>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const prepared = items.map((_, i) => operation.prepare(i));
	const invalid = (i: number) => prepared[i] instanceof NodeOperationError;
	if (!continueOnFail) {
		const invalidItems = prepared.flatMap((_, i) => (invalid(i) ? [i] : []));
		if (invalidItems.length > 0) {
			const first = prepared[invalidItems[0]] as NodeOperationError;
			first.description = operation.wording.invalidInput(first.description, invalidItems);
			throw first;
		}
	}

	const results: INodeExecutionData[][] = new Array(items.length);
	let failure: { error: NodeApiError; itemIndex: number } | undefined;
	let next = 0;

	const runItem = async (i: number) => {
		const item = prepared[i];
		if (item instanceof NodeOperationError) {
			results[i] = [errorItem(item, i)];
			return;
		}
		try {
			const records = await operation.send(item, i);
			results[i] = records.map((json) => ({ json, pairedItem: { item: i } }));
		} catch (error) {
			const apiError =
				error instanceof NodeApiError
					? error
					: new NodeApiError(
							ctx.getNode(),
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
	const concurrency = operation.concurrency;
	while (concurrency > 1 && !failure && next < items.length) {
		const sends = !invalid(next);
		await runItem(next++);
		if (sends) break;
	}
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

	if (failure) {
		const done = results.filter((r) => r !== undefined).length;
		const notSent = items.length - done - 1;
		failure.error.description = [
			failure.error.description,
			...operation.wording.failure(failure.itemIndex, done, notSent),
		]
			.filter(Boolean)
			.join('\n');
		throw failure.error;
	}
	return [results.flat()];
}
