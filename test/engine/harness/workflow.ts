// Running whole workflows (n8n's export JSON) through WorkflowExecute.
import './env';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IPinData,
	IRun,
	IRunData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import { SsrfMode, buildAdditionalData, configureSsrf } from './additionalData';
import { CredentialStore, CredentialTypeRegistry, packageCredentialTypes } from './credentials';
import { EngineCredentialsHelper } from './credentialsHelper';
import { NodeTypeInput, NodeTypeRegistry } from './nodeTypes';

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	pinData?: IPinData;
}

export interface RunWorkflowOptions {
	workflow: WorkflowJson;
	/** Node classes by type name (`briSmartBilling` or `n8n-nodes-bri-bpjs.briSmartBilling`), or a list. */
	nodeTypes?: NodeTypeInput;
	credentials?: CredentialStore;
	/** Defaults to every class in credentials/*.credentials.ts. */
	credentialTypes?: CredentialTypeRegistry;
	/** 'manual' (default) is what the editor's "Execute workflow" uses. */
	mode?: WorkflowExecuteMode;
	/** Start at this node instead of the workflow's trigger. */
	startNode?: string;
	variables?: IDataObject;
	ssrf?: SsrfMode;
	timeoutMs?: number;
}

export interface RunWorkflowResult {
	runData: IRunData;
	/** Outputs of the last node that ran (data.main), or undefined. */
	lastNodeOutput: Array<INodeExecutionData[] | null> | undefined;
	/** The execution's error (what n8n shows as "Problem in node …"), if any. */
	error: IRun['data']['resultData']['error'];
	execution: IRun;
	/** Names of the nodes in the order they finished. */
	nodeExecutionOrder: string[];
}

/**
 * The workflow as n8n-core sees it, with this package's node and credential types and a
 * credentials helper over `store` (the same set-up for a run and for served webhooks).
 */
export function engineWorkflow(
	options: Pick<RunWorkflowOptions, 'workflow' | 'nodeTypes' | 'credentials' | 'credentialTypes'>,
	defaults: { id: string; name: string; active: boolean },
) {
	const store = options.credentials ?? new CredentialStore();
	const nodeTypes = new NodeTypeRegistry(options.nodeTypes);
	const credentialTypes = options.credentialTypes ?? packageCredentialTypes();
	credentialTypes.noteNodeTypes(nodeTypes.byName);
	const credentialsHelper = new EngineCredentialsHelper(store, credentialTypes);
	const workflowId = options.workflow.id ?? defaults.id;
	const nodes = options.workflow.nodes.map((node) => ({
		...node,
		type: nodeTypes.resolveName(node.type),
	}));
	const workflow = new Workflow({
		id: workflowId,
		name: options.workflow.name ?? defaults.name,
		nodes,
		connections: options.workflow.connections,
		active: defaults.active,
		nodeTypes,
		settings: { executionOrder: 'v1', ...options.workflow.settings },
		pinData: options.workflow.pinData,
		...(defaults.active ? { staticData: {} } : {}),
	});
	return { store, nodeTypes, credentialsHelper, nodes, workflowId, workflow };
}

let executionCounter = 0;

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	configureSsrf(options.ssrf ?? 'n8n-default');
	const { credentialsHelper, nodes, workflowId, workflow } = engineWorkflow(options, {
		id: 'engine-test-workflow',
		name: 'Engine test',
		active: false,
	});
	const mode = options.mode ?? 'manual';

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: workflow.name,
		nodes,
		connections: options.workflow.connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: workflow.settings,
	} as unknown as ConstructorParameters<typeof ExecutionLifecycleHooks>[2]);
	const nodeExecutionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		nodeExecutionOrder.push(nodeName);
	});

	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		variables: options.variables,
		executionTimeoutTimestamp: options.timeoutMs ? Date.now() + options.timeoutMs : undefined,
	});

	const startNode = options.startNode
		? (workflow.getNode(options.startNode) ?? undefined)
		: undefined;
	const workflowExecute = new WorkflowExecute(additionalData, mode, createRunExecutionData());
	const execution = await workflowExecute.run({
		workflow,
		startNode,
		pinData: options.workflow.pinData,
	});

	const { resultData } = execution.data;
	const last = resultData.lastNodeExecuted;
	const lastRuns = last ? resultData.runData[last] : undefined;
	return {
		runData: resultData.runData,
		lastNodeOutput: lastRuns?.[lastRuns.length - 1]?.data?.main,
		error: resultData.error,
		execution,
		nodeExecutionOrder,
	};
}
