// What the node says to the user about input and runs, in one place.
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forSubject, listed, sentence } from '../../shared/runtime';
import type { EndpointDescriptor } from './endpoints';
import type { FieldIssue } from './values';
import { show } from './values';

/** One problem in a line: `phone "12345" has 5 digits (allowed: 10–13 digits)`. */
export function formatIssueInline(issue: FieldIssue): string {
	return `${issue.field} ${issue.problem} (allowed: ${issue.allowed})`;
}

/** Where the fields are in the node's form: `Fields in the node: Phone (phone) and Email (email).` */
export function fieldsInNode(issues: FieldIssue[]): string {
	const labels = [...new Set(issues.map((i) => `${i.displayName} (${i.field})`))];
	return sentence(
		`${labels.length > 1 ? 'Fields' : 'Field'} in the node: ${listed(labels, labels.length)}`,
	);
}

/**
 * The message itself names field, problem and rule: it is what an error row or an AI tool sees.
 * The description adds only what the message does not say (the runtime adds what was sent).
 */
export function invalidInputError(
	node: INode,
	itemIndex: number,
	subject: string | undefined,
	issues: FieldIssue[],
): NodeOperationError {
	return new NodeOperationError(
		node,
		`Invalid input${forSubject(subject)}: ${issues.map(formatIssueInline).join('; ')}`,
		{ description: fieldsInNode(issues), itemIndex },
	);
}

export function unknownOperationError(
	node: INode,
	resource: string,
	operation: string,
): NodeOperationError {
	return new NodeOperationError(node, `The operation "${operation}" of "${resource}" is not known`);
}

/** What a reference field names, in messages: `invoice "INV-0001"`. */
const REFERENCE_NOUNS: Record<string, string> = {
	referenceNumInvoice: 'invoice',
	referenceNumCustomer: 'customer',
	referenceNumCustomergroup: 'customer group',
	referenceNumFeetype: 'fee type',
	brivaNo: 'BRIVA number',
};

/** The fields that identify an item: its reference numbers and BRIVA number, in field order. */
export function referenceFields(endpoint: EndpointDescriptor): string[] {
	return endpoint.fields
		.filter((f) => f.kind === 'reference' || f.kind === 'briva')
		.map((f) => f.name);
}

/**
 * An item's identity: every reference it carries (copied onto its error item), and its name after
 * the endpoint's first reference, the record it is about. Blank references are left out.
 */
export function itemIdentity(
	endpoint: EndpointDescriptor,
	values: Record<string, unknown>,
): { name?: string; fields: Record<string, string> } {
	const text = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	const names = referenceFields(endpoint);
	const fields = Object.fromEntries(
		names.map((name) => [name, text(values[name])]).filter(([, value]) => value !== ''),
	);
	const key = names[0];
	const name =
		key !== undefined && fields[key] !== undefined
			? `${REFERENCE_NOUNS[key] ?? key} ${show(fields[key])}`
			: undefined;
	return { name, fields };
}
