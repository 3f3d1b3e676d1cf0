// The BRI API credential test: which nodes carry it, and what its verdicts say. The engine tests
// (test/engine/credentials, test/engine/Bri/SmartBilling/readings.test.ts) run it as n8n does
// against the BSB emulator, and the e2e suite through n8n's own endpoint.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { BriApi } from '../../../../credentials/BriApi.credentials';
import { classifyAnswer } from '../../../../nodes/Bri/shared/answer';
import {
	briApiConnection,
	briApiCredentialTest,
	connectionVerdict,
} from '../../../../nodes/Bri/shared/credentialTest';

const ROOT = path.resolve(__dirname, '../../../..');

/** Every node class package.json lists, from its source file. */
function packageNodes(): Array<[string, INodeType]> {
	const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return (pkg.n8n.nodes as string[]).flatMap((built) => {
		const source = path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(source) as Record<string, new () => INodeType>;
		return Object.values(mod).map((NodeClass) => {
			const node = new NodeClass();
			return [node.description.name, node] as [string, INodeType];
		});
	});
}

describe('where the credential test lives', () => {
	it('not on the credential: n8n would run its own `test` first, as one request', () => {
		expect((new BriApi() as ICredentialType).test).toBeUndefined();
	});

	it('on every node that uses the BRI API credential, under the name it gives in testedBy', () => {
		const users = packageNodes().filter(([, node]) =>
			(node.description.credentials ?? []).some((credential) => credential.name === 'briApi'),
		);
		expect(users.map(([name]) => name)).toEqual(
			expect.arrayContaining(['briSmartBilling', 'briCallbackTrigger']),
		);
		for (const [, node] of users) {
			const entry = node.description.credentials!.find(
				(credential) => credential.name === 'briApi',
			);
			expect(entry).toEqual({ name: 'briApi', required: true, testedBy: 'briApiConnection' });
			// n8n reads methods.credentialTest[testedBy] of whichever node it meets first.
			expect(node.methods?.credentialTest?.briApiConnection).toBe(briApiConnection);
		}
		expect(briApiCredentialTest).toEqual({ briApiConnection });
	});
});

describe('the verdict on the Get All answer', () => {
	const hints = {
		'0601':
			'BRI gateway 0601: the access token was refused. Check the Consumer Key, Consumer Secret and Environment.',
		'0602':
			'BRI gateway 0602: the request signature was refused. Check the Consumer Secret, and that the n8n server’s clock is right.',
		'0603':
			'BRI gateway 0603: this Consumer Key’s application has no access to BRI Smart Billing in this environment; ask BRI to enable it.',
	};

	it('passes on a BSB 0000', () => {
		expect(connectionVerdict(classifyAnswer(200, '{"responseCode":"0000","data":[]}'))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	it.each(Object.entries(hints).flatMap(([code, hint]) => [200, 401].map((s) => [code, s, hint])))(
		'fails on gateway %s at HTTP %i with its hint',
		(code, status, hint) => {
			const body = JSON.stringify({ status: { code, desc: 'refused' } });
			expect(connectionVerdict(classifyAnswer(Number(status), body))).toEqual({
				status: 'Error',
				message: hint,
			});
		},
	);

	it('names any other gateway code, its HTTP status, and what to check', () => {
		const outcome = classifyAnswer(400, { status: { code: '0109', desc: 'Invalid parameter' } });
		expect(connectionVerdict(outcome).message).toBe(
			'BRI gateway 0109: Invalid parameter (HTTP 400, Customer Group Get All). Check the Environment or Custom URL of the BRI API credential.',
		);
	});

	it('a non-JSON 4xx: a refusal with its status and a short excerpt', () => {
		const page = `<html><body><h1>405 Not Allowed</h1><p>${'x'.repeat(300)}</p></body></html>`;
		const { status, message } = connectionVerdict(classifyAnswer(405, page));
		expect(status).toBe('Error');
		expect(message).toMatch(
			/^BRI refused the request: HTTP 405 \(405 Not Allowed x+…\), Customer Group Get All\. Check the Environment or Custom URL/,
		);
		expect(message.length).toBeLessThan(250);
	});

	it('BSB’s own error, and answers that say nothing clear', () => {
		expect(
			connectionVerdict(
				classifyAnswer(400, { responseCode: '0012', responseMessage: 'Error Validation' }),
			).message,
		).toBe('BSB 0012: Error Validation (HTTP 400, Customer Group Get All)');
		expect(connectionVerdict(classifyAnswer(503, '<html>busy</html>')).message).toBe(
			'BRI gave no clear answer (HTTP 503, Customer Group Get All); try again later.',
		);
		expect(connectionVerdict({ kind: 'unreachable', message: 'no route' })).toEqual({
			status: 'Error',
			message: 'no route',
		});
	});
});
