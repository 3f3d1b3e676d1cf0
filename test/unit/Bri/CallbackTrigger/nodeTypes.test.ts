// The trigger's two type names: briSmartBillingTrigger, which n8n's node panel files under BRI
// Smart Billing, and the first one, briCallbackTrigger, registered and hidden for saved workflows.
// Both are one node: same description but for name and visibility, same webhooks. The webhook
// descriptions give n8n 2.40 a native resolver per template that computes what the template does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INode, INodeTypeDescription, IWebhookDescription } from 'n8n-workflow';
import {
	NodeHelpers,
	Workflow,
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
} from 'n8n-workflow';

import { BriCallbackTrigger } from '../../../../nodes/Bri/CallbackTrigger/BriCallbackTrigger.node';
import { BriSmartBillingCallbackTrigger } from '../../../../nodes/Bri/CallbackTrigger/BriSmartBillingCallbackTrigger.node';
import { BriSmartBilling } from '../../../../nodes/Bri/SmartBilling/BriSmartBilling.node';

const root = path.join(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const current = new BriSmartBillingCallbackTrigger().description;
const first = new BriCallbackTrigger().description;
const app = new BriSmartBilling().description;

/** The type name n8n registers a node file under: the class named like the file, its description.name. */
function registeredType(distPath: string): { type: string; hidden: boolean } {
	const source = path.join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const className = path.parse(source).name.split('.')[0];
	const NodeClass = require(source)[className] as new () => { description: INodeTypeDescription };
	const { description } = new NodeClass();
	return { type: `${pkg.name}.${description.name}`, hidden: description.hidden === true };
}

/**
 * n8n's editor (useActionsGeneration, generateMergedNodesAndActions): a trigger whose type name
 * without "Trigger" is an app's type name joins that app; hidden types never reach it.
 */
function appOf(trigger: INodeTypeDescription, apps: INodeTypeDescription[]): string | undefined {
	const name = `${pkg.name}.${trigger.name}`.replace('Trigger', '');
	return apps.map((a) => `${pkg.name}.${a.name}`).find((a) => a === name);
}

describe('the trigger’s type names', () => {
	test('package.json registers both, the old one hidden', () => {
		const triggers = (pkg.n8n.nodes as string[])
			.filter((p) => p.includes('/CallbackTrigger/'))
			.map(registeredType);
		expect(triggers).toEqual([
			{ type: 'n8n-nodes-bri-bpjs.briSmartBillingTrigger', hidden: false },
			{ type: 'n8n-nodes-bri-bpjs.briCallbackTrigger', hidden: true },
		]);
	});

	test('briSmartBillingTrigger joins BRI Smart Billing in the node panel; the old name would not', () => {
		expect(appOf(current, [app])).toBe('n8n-nodes-bri-bpjs.briSmartBilling');
		expect(appOf(first, [app])).toBeUndefined();
		expect(current.displayName).toBe('BRI Smart Billing Trigger');
		expect(current.group).toEqual(['trigger']);
	});

	test('one node: the same description but for name and hidden, the same webhooks and handlers', () => {
		const { name: _n1, hidden, ...sharedFirst } = first;
		const { name: _n2, ...sharedCurrent } = current;
		expect(hidden).toBe(true);
		expect('hidden' in current).toBe(false);
		expect(sharedCurrent).toEqual(sharedFirst);
		expect(current.webhooks).toBe(first.webhooks);
		expect(current.properties).toBe(first.properties);
		expect(new BriSmartBillingCallbackTrigger().webhook).toBe(new BriCallbackTrigger().webhook);
	});

	test('each codex file names its type', () => {
		for (const distPath of (pkg.n8n.nodes as string[]).filter((p) =>
			p.includes('/CallbackTrigger/'),
		)) {
			const codex = JSON.parse(
				fs.readFileSync(
					path.join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.json')),
					'utf8',
				),
			);
			expect(codex.node).toBe(registeredType(distPath).type);
		}
	});
});

describe('the trigger’s webhooks', () => {
	const webhooks = current.webhooks as IWebhookDescription[];

	test('the Webhook URLs panel lists one: GET on the base URL, its method hidden; the two endpoints are hidden', () => {
		const shown = webhooks.filter((w) => w.ndvHideUrl !== true);
		expect(shown).toHaveLength(1);
		expect(shown[0]).toMatchObject({
			name: 'setup',
			httpMethod: 'GET',
			path: '={{$parameter["version"]}}',
			ndvHideMethod: true,
		});
		expect(
			webhooks.filter((w) => w.ndvHideUrl === true).map((w) => [w.httpMethod, w.path]),
		).toEqual([
			['POST', '={{$parameter["version"]}}/access-token'],
			['POST', '={{$parameter["version"]}}/payment/callback'],
		]);
	});

	test('every templated field has a native resolver (n8n 2.40 then skips its expression engine)', () => {
		for (const webhook of webhooks)
			expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});

	test.each([
		[{ version: 'v1', responseMode: 'onReceived' }],
		[{ version: 'v2', responseMode: 'lastNode' }],
	])('resolvers give what n8n computes from the templates, for %j', (parameters) => {
		const node: INode = {
			id: 'trigger',
			name: 'Trigger',
			type: `${pkg.name}.briSmartBillingTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'e2c5a4b0-0000-4000-8000-000000000000',
			parameters: {},
		};
		node.parameters =
			NodeHelpers.getNodeParameters(current.properties, parameters, true, false, node, current) ??
			{};
		const nodeTypes = {
			getByName: () => new BriSmartBillingCallbackTrigger(),
			getByNameAndVersion: () => new BriSmartBillingCallbackTrigger(),
			getKnownTypes: () => ({}),
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		const stored = workflow.nodes[node.name];
		let checked = 0;
		for (const webhook of webhooks) {
			for (const field of ['path', 'responseMode', 'responseData'] as const) {
				if (typeof webhook[field] !== 'string' || !String(webhook[field]).startsWith('=')) continue;
				const native = resolveWebhookDescriptionField(stored, webhook, field);
				expect(native.resolved).toBe(true);
				const evaluated = workflow.expression.getSimpleParameterValue(
					stored,
					webhook[field] as string,
					'internal',
					{},
				);
				expect(native.resolved && native.value).toEqual(evaluated);
				checked++;
			}
		}
		expect(checked).toBe(5); // three paths, responseMode and responseData of the callback
	});
});
