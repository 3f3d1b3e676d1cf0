// What the node says to the user about input and runs, in one place.
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { StopWording } from '../../shared/runtime';
import type { FieldIssue } from './values';

/** One problem in a line: `phone "12345" has 5 digits (allowed: 10–13 digits)`. */
export function formatIssueInline(issue: FieldIssue): string {
	return `${issue.field} ${issue.problem} (allowed: ${issue.allowed})`;
}

/** One line per problem: `Phone (phone): "12345" has 5 digits; allowed: 10–13 digits`. */
export function formatIssues(issues: FieldIssue[]): string {
	return issues
		.map((i) => `${i.displayName} (${i.field}): ${i.problem}; allowed: ${i.allowed}`)
		.join('\n');
}

/** The message itself names field, problem and rule: it is what an error row or an AI tool sees. */
export function invalidInputError(
	node: INode,
	itemIndex: number,
	issues: FieldIssue[],
): NodeOperationError {
	return new NodeOperationError(
		node,
		`Invalid input in item ${itemIndex}: ${issues.map(formatIssueInline).join('; ')}`,
		{
			description: `${formatIssues(issues)}\nNothing was sent to BRI for this item.`,
			itemIndex,
		},
	);
}

export function unknownOperationError(
	node: INode,
	resource: string,
	operation: string,
): NodeOperationError {
	return new NodeOperationError(node, `The operation "${operation}" of "${resource}" is not known`);
}

export const STOP_WORDING: StopWording = {
	invalidInput: (description, invalidItems) =>
		invalidItems.length > 1
			? `${description}\nItems with invalid input: ${invalidItems.join(', ')}. Nothing was sent for any item.`
			: `${description} Nothing was sent for any item.`,
	failure: (itemIndex, processed, notSent) => [
		`Item ${itemIndex} failed. ${processed} other item(s) were processed by BRI before it stopped; ${notSent} item(s) were not sent.`,
		'Turn on "Continue On Fail" (Settings) to get an error item for failed items and carry on with the rest.',
	],
};
