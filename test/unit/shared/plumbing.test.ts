// nodes/shared/: the error-cause walk, the JSON helpers, the Requests at Once option and the
// runtime's wording helpers. The runtime itself runs in n8n-core's engine in test/engine (both
// action nodes, test/engine/shared/errorMessages.test.ts for the wording they share).
import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { answerOf, causeChain, httpCodeOf } from '../../../nodes/shared/errorCause';
import { bodyRecord, parseJson } from '../../../nodes/shared/json';
import { itemSubject, requestsAtOnce, sentence, sentences } from '../../../nodes/shared/runtime';

const node: INode = {
	id: '1',
	name: 'Node',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('causeChain', () => {
	it('lists the error and its causes outermost first, through cause and errorResponse', () => {
		const socket = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
		const client = { message: 'client', errorResponse: socket };
		const outer = Object.assign(new Error('outer'), { cause: client });
		expect(causeChain(outer)).toEqual([outer, client, socket]);
	});

	it('visits each error once when the causes form a cycle', () => {
		const a: Record<string, unknown> = { message: 'a' };
		const b: Record<string, unknown> = { message: 'b', cause: a };
		a.cause = b;
		expect(causeChain(a)).toEqual([a, b]);
		expect(causeChain(undefined)).toEqual([]);
		expect(causeChain('text')).toEqual([]);
	});

	it("finds an HTTP client's answer and a NodeApiError's status", () => {
		const axiosLike = { response: { status: 429, headers: { 'retry-after': '2' }, data: '{}' } };
		expect(answerOf(axiosLike)).toEqual({
			status: 429,
			headers: { 'retry-after': '2' },
			body: '{}',
		});
		expect(answerOf({ response: { status: '429' } })).toBeUndefined();
		const apiError = new NodeApiError(node, { message: 'x' }, { httpCode: '404' });
		expect(httpCodeOf(apiError as unknown as Record<string, unknown>)).toBe(404);
		expect(httpCodeOf({ httpCode: 'ECONNRESET' })).toBeUndefined();
	});
});

describe('JSON helpers', () => {
	it('parse JSON, or give the fallback', () => {
		expect(parseJson('{"a":1}')).toEqual({ a: 1 });
		expect(parseJson('<html>')).toBeUndefined();
		const none = Symbol('none');
		expect(parseJson('<html>', none)).toBe(none);
	});

	it('read an answer body as a record', () => {
		expect(bodyRecord('{"code":"X"}')).toEqual({ code: 'X' });
		expect(bodyRecord({ code: 'X' })).toEqual({ code: 'X' });
		expect(bodyRecord('[1]')).toEqual({});
		expect(bodyRecord('not json')).toEqual({});
		expect(bodyRecord(null)).toEqual({});
	});
});

describe('requestsAtOnce', () => {
	it('is a whole number from 1 to the maximum', () => {
		expect(requestsAtOnce(undefined, 10)).toBe(1);
		expect(requestsAtOnce(4, 10)).toBe(4);
		expect(requestsAtOnce(4.7, 10)).toBe(4);
		expect(requestsAtOnce(0, 10)).toBe(1);
		expect(requestsAtOnce(99, 10)).toBe(10);
		expect(requestsAtOnce('abc', 10)).toBe(1);
	});
});

describe('the wording helpers', () => {
	it('name an item by its reference, else by its place counted from 1, else not at all', () => {
		expect(itemSubject('invoice "INV-1"', 4, 50)).toBe('invoice "INV-1"');
		expect(itemSubject(undefined, 4, 50)).toBe('item 5 of 50');
		expect(itemSubject(undefined, 0, 1)).toBeUndefined();
	});

	it('end every line with a stop and leave empty ones out', () => {
		expect(sentence(' BSB says: record not found ')).toBe('BSB says: record not found.');
		expect(sentence('Done.')).toBe('Done.');
		expect(sentences('One', undefined, '', null, false, 'Two?')).toBe('One.\nTwo?');
	});
});
