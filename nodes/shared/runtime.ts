// The operation runtime both action nodes run their items through: read and check every item
// first (nothing is sent while any input is bad, unless On Error continues), then send them,
// N at a time, with output order equal to input order and every output item paired. It also says,
// in the same sentences for every node, what was and was not sent when a run stops.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Who an item is: `name`, how messages call it by its own reference (`invoice "INV-0001"`,
 * `employee "…"`), and `fields`, the identifying fields its error item carries beside `error`.
 */
export interface ItemIdentity {
	name?: string;
	fields?: IDataObject;
}

export interface ItemOperation<Request> {
	/** Whom the items are sent to, as the run's sentences name it: "BRI", "CATAPA". */
	vendor: string;
	/** The item's identity, read before it is checked; undefined when it has none (a Get All). */
	identify(itemIndex: number): ItemIdentity | undefined;
	/**
	 * Reads and checks one item: what to send, or the error that says why nothing is sent for it.
	 * `subject` is how its messages name the item (see itemSubject).
	 */
	prepare(itemIndex: number, subject: string | undefined): Request | NodeOperationError;
	/** Sends one item; returns its output records, or throws (a NodeApiError, ideally). */
	send(request: Request, itemIndex: number, subject: string | undefined): Promise<IDataObject[]>;
	/** Items sent at the same time (1: one after another). */
	concurrency: number;
}

/**
 * How messages name an item: by its own reference, else by its place counted from 1 ("item 5 of
 * 50", as a person counts rows; n8n's Item Index is one less), else nothing for a lone item.
 */
export function itemSubject(
	name: string | undefined,
	itemIndex: number,
	total: number,
): string | undefined {
	if (name) return name;
	return total > 1 ? `item ${itemIndex + 1} of ${total}` : undefined;
}

/** `" for invoice "INV-0001""`, to put after a message's headline; '' for no subject. */
export function forSubject(subject: string | undefined): string {
	return subject ? ` for ${subject}` : '';
}

/** One sentence: trimmed, ending with a stop (n8n joins a description's lines into a paragraph). */
export function sentence(text: string): string {
	const trimmed = text.trim();
	return trimmed === '' || /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Sentences, one a line, the empty ones left out. */
export function sentences(...texts: Array<string | null | undefined | false>): string {
	return texts
		.filter((text): text is string => typeof text === 'string')
		.map(sentence)
		.filter((text) => text !== '')
		.join('\n');
}

function count(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `a, b and c`; past `max` names, "and N more". */
export function listed(names: string[], max = 5): string {
	const shown = names.length > max ? [...names.slice(0, max), `${names.length - max} more`] : names;
	return shown.length > 1
		? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`
		: (shown[0] ?? '');
}

// n8n 2.x's node setting, as its editor labels it.
const ON_ERROR = 'Settings → On Error';
const CONTINUE = '"Continue (using error output)" (or "Continue")';

/** What the run says about what was sent; the same sentences for every node. */
export const RUN_WORDING = {
	/** The first invalid item's error, when bad input stops the run. */
	invalidRun: (vendor: string, invalid: string[], total: number) => {
		if (total === 1) {
			return [`Nothing was sent to ${vendor}.`, 'Correct the input and run the node again.'];
		}
		const checked = `Nothing was sent to ${vendor} for any item: every item is checked before any is sent`;
		if (invalid.length === 1) {
			return [
				`${checked}.`,
				`Correct this item's input, or set ${ON_ERROR} to ${CONTINUE} to send the other items and get an error item for this one.`,
			];
		}
		return [
			`${checked}, and ${count(invalid.length, 'item')} have invalid input: ${listed(invalid)}.`,
			`Correct their input, or set ${ON_ERROR} to ${CONTINUE} to send the valid items and get an error item for each invalid one.`,
		];
	},
	/** Added to the error of a failed item that stopped the run. */
	failedRun: (
		vendor: string,
		processed: number,
		failed: number,
		notSent: number,
		total: number,
	) => {
		if (total === 1) return [];
		const others = processed > 0 ? count(processed, 'other item') : 'no other item';
		const parts = [`The run stopped at this item after ${vendor} had processed ${others}`];
		if (failed > 0) parts.push(`${count(failed, 'other item')} sent at the same time failed too`);
		if (notSent > 0)
			parts.push(`${count(notSent, 'item')} ${notSent === 1 ? 'was' : 'were'} not sent`);
		return [
			`${parts.join('; ')}.`,
			`To go on with the other items and get an error item for each failed one, set ${ON_ERROR} to ${CONTINUE}.`,
		];
	},
};

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
 * An error item as n8n's own nodes make it: `json.error` is the message (saved workflows read it),
 * beside the fields that identify the item. No `item.error`: n8n (1.x and 2.x) replaces the json
 * of an item that has one by `{ error }`.
 */
export function errorItem(
	error: NodeOperationError | NodeApiError,
	itemIndex: number,
	fields: IDataObject = {},
): INodeExecutionData {
	return { json: { error: error.message, ...fields }, pairedItem: { item: itemIndex } };
}

export async function runItems<Request>(
	ctx: IExecuteFunctions,
	operation: ItemOperation<Request>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const total = items.length;
	const continueOnFail = ctx.continueOnFail();
	const identities = items.map((_, i) => operation.identify(i));
	const subjects = identities.map((identity, i) => itemSubject(identity?.name, i, total));
	// The error output takes an item whose json is `{ error }` alone (n8n 1.x; 2.36+ also allows
	// `message` and `details`) and merges it into its input item, whose fields then name it.
	const errorOutput = ctx.getNode().onError === 'continueErrorOutput';
	const failed = (error: NodeOperationError | NodeApiError, i: number) =>
		errorItem(error, i, errorOutput ? {} : identities[i]?.fields);
	const prepared = items.map((_, i) => operation.prepare(i, subjects[i]));
	const invalid = (i: number) => prepared[i] instanceof NodeOperationError;
	const { vendor } = operation;
	if (!continueOnFail) {
		const invalidItems = prepared.flatMap((_, i) => (invalid(i) ? [i] : []));
		if (invalidItems.length > 0) {
			const first = prepared[invalidItems[0]] as NodeOperationError;
			const names = invalidItems.map((i) => subjects[i] ?? `item ${i + 1}`);
			first.description = sentences(
				first.description,
				...RUN_WORDING.invalidRun(vendor, names, total),
			);
			throw first;
		}
	}

	const results: INodeExecutionData[][] = new Array(items.length);
	let failure: { error: NodeApiError; itemIndex: number } | undefined;
	// Items that failed while the stopping one was under way (Requests at Once): sent, not processed.
	let alsoFailed = 0;
	let next = 0;

	const runItem = async (i: number) => {
		const item = prepared[i];
		if (item instanceof NodeOperationError) {
			results[i] = [failed(item, i)];
			return;
		}
		try {
			const records = await operation.send(item, i, subjects[i]);
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
				results[i] = [failed(apiError, i)];
			} else if (!failure || i < failure.itemIndex) {
				if (failure) alsoFailed++;
				failure = { error: apiError, itemIndex: i };
			} else {
				alsoFailed++;
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
		const processed = results.filter((r) => r !== undefined).length;
		const notSent = total - processed - alsoFailed - 1;
		failure.error.description = sentences(
			failure.error.description,
			...RUN_WORDING.failedRun(vendor, processed, alsoFailed, notSent, total),
		);
		throw failure.error;
	}
	return [results.flat()];
}
