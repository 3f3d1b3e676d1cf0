// Every BSB endpoint is described once, as data. The node's parameters, the validator, the
// executor and the transport are all driven by these descriptors.

export type BsbResource = 'customer' | 'customerGroup' | 'feeType' | 'invoice' | 'payment';

export type FieldKind =
	| 'text' // free text with optional length bounds and pattern
	| 'reference' // a reference number (idempotency key); trimmed, length bounds, optional pattern
	| 'amount' // whole rupiah, digits only, sent as a string
	| 'integer' // small whole number (days), sent as a string
	| 'percent' // whole number within min..max, sent as a string
	| 'date' // yyyy-MM-dd (luxon), also accepts ISO date-times and DateTime objects
	| 'phone' // digits only, min..max digits
	| 'email'
	| 'emailList' // emails separated by ';' on the wire
	| 'briva' // BRIVA number, 15–16 digits
	| 'option' // one of `options`, sent as its value
	| 'stringList' // a list of strings, sent as a JSON array
	| 'charges'; // up to 3 rows of {type, amount, option[, include]} joined into ';' strings

export interface FieldOption {
	name: string;
	value: string;
	description?: string;
}

/** Where the joined `;` strings of a charges field go on the wire. */
export interface ChargesWire {
	type: string;
	amount: string;
	option: string;
	include?: string;
}

export interface FieldSpec {
	/** Parameter name in n8n; also the wire name unless `wire` says otherwise. */
	name: string;
	wire?: string;
	displayName: string;
	description?: string;
	kind: FieldKind;
	required?: boolean;
	/** Length bounds for text and references; digit-count bounds for phone; value bounds for percent. */
	min?: number;
	max?: number;
	/** For text/reference: allowed characters, with the words used in the error. */
	pattern?: { regex: RegExp; allowed: string };
	options?: FieldOption[];
	default?: string | number | boolean;
	placeholder?: string;
	/**
	 * A softer rule where the spec disagrees with itself: a value outside it is sent, with a
	 * warning on the output item.
	 */
	advise?: {
		min?: number;
		max?: number;
		pattern?: { regex: RegExp; allowed: string };
		/** Where the spec says so, for the warning. */
		why: string;
	};
	/** Pick the value from a searchable list fetched from BSB (resource locator). */
	picker?: 'customer' | 'customerGroup' | 'feeType';
	/** For kind 'charges': what one row is called in the UI, and the wire fields. */
	charges?: { rowName: string; wire: ChargesWire; withInclude: boolean };
}

export interface EndpointDescriptor {
	resource: BsbResource;
	operation: string;
	/** Section number in the BSB spec (bri-smart-billing-api.txt). */
	section: number;
	/** Operation name shown in the picker. */
	name: string;
	action: string;
	description: string;
	method: 'GET' | 'POST';
	/** Path below /v1/bsb. */
	path: string;
	fields: FieldSpec[];
	/** The answer's `data` is a list: one output item per record, with Return All / Limit. */
	list?: boolean;
	/** Writes that change state; reads are retried freely, writes per `onRetry` or `idempotent`. */
	write?: boolean;
	/**
	 * A write that gives the same state however often it is sent (an update replaces the record's
	 * fields): it is retried after an unknown outcome like a read.
	 */
	idempotent?: boolean;
	/** The operation the Operation picker starts on for this resource (one per resource). */
	default?: boolean;
	/**
	 * How a retried write that meets "already exists" or "not found" is settled, after an
	 * earlier attempt's outcome was unknown (network error or 5xx):
	 * - readBack: the first attempt created it; read it back with `readBack.operation`.
	 * - gone: the first attempt deleted it; report success with the request's keys.
	 */
	onRetry?: { kind: 'readBack'; operation: string; keys: string[] } | { kind: 'gone' };
	/**
	 * A delete: its output item is `{ deleted: true }` with the request's keys (the reference
	 * numbers), as n8n's own delete operations answer.
	 */
	deletes?: boolean;
	/**
	 * Create or Update: send `create`; when BSB answers that the record already exists, send
	 * `update` with the same item. Every item is checked against both operations' rules first.
	 */
	upsert?: { create: string; update: string };
}
