// runNode: Manual Trigger → Items → node under test.
import './env';
import type {
	IDataObject,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { ITEMS_SOURCE_TYPE } from '../fixtures';
import { SsrfMode } from './additionalData';
import { CredentialStore, CredentialTypeRegistry } from './credentials';
import {
	AnyNodeType,
	NodeTypeInput,
	NodeTypeRegistry,
	descriptionName,
	packageTypeName,
} from './nodeTypes';
import { RunWorkflowResult, WorkflowJson, runWorkflow } from './workflow';

export interface RunNodeOptions {
	node: AnyNodeType;
	/** Type name in the workflow; defaults to n8n-nodes-bri-bpjs.<description.name>. */
	type?: string;
	parameters?: INodeParameters;
	/** e.g. { briApi: { id, name } } as returned by CredentialStore.set. */
	credentials?: INodeCredentials;
	store?: CredentialStore;
	/** Input items: n8n items ({ json }) or plain objects (wrapped as { json }). */
	items?: Array<INodeExecutionData | IDataObject>;
	continueOnFail?: boolean;
	/** n8n's node setting "On Error"; overrides continueOnFail when set. */
	onError?: INode['onError'];
	typeVersion?: number;
	/** Node name in the workflow (default 'Node'). */
	name?: string;
	/** Further node types (e.g. more nodes of the package). */
	nodeTypes?: NodeTypeInput;
	credentialTypes?: CredentialTypeRegistry;
	ssrf?: SsrfMode;
}

export interface RunNodeResult {
	/** Main output 0 of the node under test ([] when it produced none). */
	items: INodeExecutionData[];
	/** Every output of the node under test. */
	outputs: Array<INodeExecutionData[] | null>;
	/** The node's error, or the execution's error. */
	error: RunWorkflowResult['error'];
	run: RunWorkflowResult;
}

function latestVersion(nodeType: AnyNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? version[version.length - 1] : version;
}

export function toItems(items: Array<INodeExecutionData | IDataObject>): INodeExecutionData[] {
	return items.map((item) =>
		item &&
		typeof item === 'object' &&
		'json' in item &&
		typeof item.json === 'object' &&
		item.json !== null
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const type = packageTypeName(options.type ?? descriptionName(options.node));
	const name = options.name ?? 'Node';
	const nodeTypes = new NodeTypeRegistry(options.nodeTypes).add(options.node, type);
	const onError = options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined);
	const workflow: WorkflowJson = {
		nodes: [
			{
				id: 'trigger',
				name: 'Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'items',
				name: 'Items',
				type: ITEMS_SOURCE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { items: JSON.stringify(toItems(options.items ?? [{}])) },
			},
			{
				id: 'node',
				name,
				type,
				typeVersion: options.typeVersion ?? latestVersion(options.node),
				position: [400, 0],
				parameters: options.parameters ?? {},
				...(options.credentials ? { credentials: options.credentials } : {}),
				...(onError ? { onError } : {}),
			},
		],
		connections: {
			Trigger: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: name, type: 'main', index: 0 }]] },
		},
	};
	const run = await runWorkflow({
		workflow,
		nodeTypes: Object.fromEntries(nodeTypes.byName),
		credentials: options.store,
		credentialTypes: options.credentialTypes,
		ssrf: options.ssrf,
	});
	const task = run.runData[name]?.[0];
	const outputs = task?.data?.main ?? [];
	return { items: outputs[0] ?? [], outputs, error: task?.error ?? run.error, run };
}
