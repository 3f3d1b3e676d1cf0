// Webhook triggers: what n8n's webhook server does for a published workflow, on a node:http server
// on 127.0.0.1. Reimplements packages/cli/src/webhooks of n8n 2.40.7 for one workflow: the webhooks
// a node describes (webhook.service getNodeWebhooks: path via the description's native resolver or
// the expression, under the node's webhook ID), activation through the node's webhookMethods in
// n8n-core's HookContext, each request through the node's webhook() in n8n-core's WebhookContext,
// and when it returns workflowData, an execution through WorkflowExecute with the trigger's items
// (webhook-helpers prepareExecutionData). Responses as webhook-helpers writes them for Respond "On
// Receipt": no workflowData and nothing written → 200 {"message":"Webhook call received"}; an
// execution → webhookResponse once it has started. The request and response are node:http's with
// the few express methods n8n's handlers use (status, json, send; originalUrl, readRawBody).
//
//   const hooks = await serveWebhookWorkflow({ workflow, nodeTypes: [new MyTrigger()], credentials: store });
//   await hooks.activate();                        // webhookMethods: checkExists, then create
//   await fetch(hooks.url(`${webhookId}/v1`));     // → <server>/webhook/<webhookId>/v1
//   hooks.executions                               // the executions the requests started, in order
//   await hooks.close();
import './env';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExecutionLifecycleHooks, HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	INode,
	IRun,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { NodeHelpers, createRunExecutionData, resolveWebhookDescriptionField } from 'n8n-workflow';

import { buildAdditionalData, configureSsrf } from './additionalData';
import type { CredentialStore } from './credentials';
import type { NodeTypeInput } from './nodeTypes';
import { engineWorkflow } from './workflow';
import type { WorkflowJson } from './workflow';

export interface ServeWebhookOptions {
	workflow: WorkflowJson;
	nodeTypes?: NodeTypeInput;
	credentials?: CredentialStore;
}

export interface WebhookExecution {
	/** The webhook that started it, e.g. `POST <webhookId>/v1/payment/callback`. */
	webhook: string;
	run: IRun;
}

export interface WebhookWorkflowServer {
	/** http://127.0.0.1:<port>/webhook/<path>, as n8n's production webhook URL. */
	url(path: string): string;
	/** `METHOD path` of every webhook registered, as n8n's webhook table holds them. */
	webhooks: string[];
	/** Runs every webhook's checkExists (and create when it answers false), as publishing does. */
	activate(): Promise<void>;
	/** Executions started so far, finished ones and running ones alike (awaited by settle()). */
	executions: WebhookExecution[];
	/** Waits until every execution started so far has finished. */
	settle(): Promise<void>;
	close(): Promise<void>;
}

type ExpressRequest = http.IncomingMessage & {
	originalUrl: string;
	query: Record<string, string>;
	params: Record<string, string>;
	body?: unknown;
	rawBody?: Buffer;
	readRawBody(): Promise<void>;
};
type ExpressResponse = http.ServerResponse & {
	status(code: number): ExpressResponse;
	json(body: unknown): ExpressResponse;
	send(body: unknown): ExpressResponse;
};

export async function serveWebhookWorkflow(
	options: ServeWebhookOptions,
): Promise<WebhookWorkflowServer> {
	configureSsrf('n8n-default');
	const { nodeTypes, credentialsHelper, nodes, workflowId, workflow } = engineWorkflow(options, {
		id: 'engine-webhook-workflow',
		name: 'Engine webhook test',
		active: true,
	});

	const server = http.createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	let executionCounter = 0;
	const additional = (executionId?: string): IWorkflowExecuteAdditionalData => {
		const data = buildAdditionalData({ credentialsHelper, executionId, workflowId });
		// The webhook base n8n derives from WEBHOOK_URL: this server.
		data.webhookBaseUrl = `${origin}/webhook`;
		data.webhookTestBaseUrl = `${origin}/webhook-test`;
		return data;
	};

	const registered = new Map<string, IWebhookData>();
	for (const node of Object.values(workflow.nodes)) {
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		for (const description of nodeType.description.webhooks ?? []) {
			const path = String(field(workflow, node, description, 'path')).replace(/^\/|\/$/g, '');
			const isFullPath = field(workflow, node, description, 'isFullPath', false) === true;
			const fullPath = NodeHelpers.getNodeWebhookPath(workflowId, node, path, isFullPath);
			const methods = String(field(workflow, node, description, 'httpMethod', 'GET'));
			for (const httpMethod of methods.split(',').map((m) => m.trim())) {
				registered.set(`${httpMethod} ${fullPath}`, {
					httpMethod: httpMethod as IWebhookData['httpMethod'],
					node: node.name,
					path: fullPath,
					webhookDescription: description,
					workflowId,
					workflowExecuteAdditionalData: additional(),
				});
			}
		}
	}

	const executions: WebhookExecution[] = [];
	const running: Array<Promise<unknown>> = [];

	async function handle(req: ExpressRequest, res: ExpressResponse) {
		const path = decodeURIComponent(new URL(req.url ?? '/', origin).pathname)
			.replace(/^\/webhook\//, '')
			.replace(/\/$/, '');
		const key = `${req.method} ${path}`;
		const webhookData = registered.get(key);
		if (!webhookData) {
			res
				.status(404)
				.json({ code: 404, message: `The requested webhook "${key}" is not registered.` });
			return;
		}
		const node = workflow.getNode(webhookData.node) as INode;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const responseMode = field(
			workflow,
			node,
			webhookData.webhookDescription,
			'responseMode',
			'onReceived',
		);
		if (responseMode !== 'onReceived') {
			throw new Error(
				`the harness answers "On Receipt" webhooks only, not ${String(responseMode)}`,
			);
		}
		const data = {
			...additional(),
			httpRequest: req,
			httpResponse: res,
		} as IWorkflowExecuteAdditionalData;
		const closeFunctions: Array<() => Promise<void>> = [];
		const context = new WebhookContext(
			workflow,
			node,
			data,
			'webhook',
			webhookData,
			closeFunctions,
			null,
		);
		const result = await nodeType.webhook!.call(context);
		await Promise.all(closeFunctions.map(async (fn) => await fn()));
		if (result.workflowData === undefined) {
			if (result.noWebhookResponse !== true && !res.headersSent)
				res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		const executionId = String(++executionCounter);
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node, data: { main: result.workflowData }, source: null }],
			},
		});
		const executionData = additional(executionId);
		executionData.hooks = new ExecutionLifecycleHooks('webhook', executionId, {
			...options.workflow,
			id: workflowId,
			name: workflow.name,
			nodes,
			active: true,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			settings: workflow.settings,
		} as unknown as ConstructorParameters<typeof ExecutionLifecycleHooks>[2]);
		const execute = new WorkflowExecute(executionData, 'webhook', runExecutionData);
		const finished = execute.processRunExecutionData(workflow).then((run) => {
			executions.push({ webhook: key, run });
		});
		running.push(finished);
		if (!res.headersSent)
			res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
	}

	server.on('request', (rawReq: http.IncomingMessage, rawRes: http.ServerResponse) => {
		const req = express(rawReq, origin);
		const res = expressResponse(rawRes);
		handle(req, res).catch((error: Error) => {
			if (!res.headersSent) res.status(500).json({ code: 0, message: error.message });
		});
	});

	return {
		url: (path) => `${origin}/webhook/${path.replace(/^\/+/, '')}`,
		webhooks: [...registered.keys()],
		async activate() {
			for (const webhookData of registered.values()) {
				const node = workflow.getNode(webhookData.node) as INode;
				const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
				const methods = nodeType.webhookMethods?.[webhookData.webhookDescription.name];
				if (!methods) continue;
				const hook = () =>
					new HookContext(workflow, node, additional(), 'webhook', 'activate', webhookData);
				if (!(await methods.checkExists.call(hook()))) await methods.create.call(hook());
			}
		},
		executions,
		async settle() {
			await Promise.all(running);
		},
		async close() {
			await Promise.all(running);
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** A webhook description field as n8n's WebhookService evaluates it: native resolver first. */
function field(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	name: string,
	fallback?: boolean | string,
): unknown {
	const native = resolveWebhookDescriptionField(workflow.nodes[node.name], description, name);
	if (native.resolved) return native.value;
	const value = description[name];
	if (value === undefined) return fallback;
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{},
		undefined,
		fallback,
	);
}

function express(req: http.IncomingMessage, origin: string): ExpressRequest {
	const url = new URL(req.url ?? '/', origin);
	return Object.assign(req, {
		originalUrl: req.url ?? '/',
		query: Object.fromEntries(url.searchParams),
		params: {},
		// n8n's rawBodyReader (middlewares/body-parser): the bytes, read once, on demand.
		async readRawBody(this: ExpressRequest) {
			if (this.rawBody) return;
			const chunks: Buffer[] = [];
			for await (const chunk of this) chunks.push(chunk as Buffer);
			this.rawBody = Buffer.concat(chunks);
		},
	});
}

function expressResponse(res: http.ServerResponse): ExpressResponse {
	const r = res as ExpressResponse;
	r.status = (code) => {
		r.statusCode = code;
		return r;
	};
	r.json = (body) => {
		if (!r.hasHeader('Content-Type'))
			r.setHeader('Content-Type', 'application/json; charset=utf-8');
		r.end(JSON.stringify(body));
		return r;
	};
	r.send = (body) =>
		typeof body === 'string' || Buffer.isBuffer(body) ? (r.end(body), r) : r.json(body);
	return r;
}
