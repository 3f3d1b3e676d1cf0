/**
 * End-to-end harness: a real n8n (the pinned 2.40.7 of scripts/n8n-runtime.js, or the version
 * given as `runtime`) with this package installed the way the Community Nodes screen installs it,
 * plus the BSB and CATAPA emulators, in a fresh temporary user folder on free ports. One instance
 * per test suite:
 *
 *   let n8n: N8n;
 *   beforeAll(async () => { n8n = await startN8n(); });
 *   afterAll(async () => { await n8n?.stop(); });
 *
 *   const id = await n8n.importWorkflow(json);          // POST /rest/workflows, credentials wired
 *   const execution = await n8n.runWorkflow(id);        // like clicking "Execute workflow"
 *   nodeOutput(execution, 'Get customer groups');       // → the node's output items (json)
 *
 *   await n8n.activate(id);                             // publish: webhooks go live
 *   await fetch(n8n.webhookUrl(`${webhookId}/v1/payment/callback`), { method: 'POST', … });
 *   const [summary] = await n8n.waitForExecutions(id, 1);
 *   const execution = await n8n.getExecution(summary.id);
 *
 * Everything goes through n8n's own REST API (/rest, with the owner's session cookie), as the
 * editor does; `executeCli(id)` runs `n8n execute --id` instead, in a separate process.
 * `startN8n({ runtime: '1.123.81' })` runs another version (test/compat); the REST differences
 * between versions are handled here (n8n 1.x's manual run takes the workflow in the body).
 * dist/ must be built (`npm run build`, which `npm test` runs before the e2e suite).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';

/* eslint-disable @typescript-eslint/no-require-imports */
const runtime = require('../../scripts/n8n-runtime');
const lib = require('../../scripts/lib/n8n');
const demo = require('../../scripts/lib/demo');
/* eslint-enable @typescript-eslint/no-require-imports */
import { startAll } from '../../emulator';
import type { BsbEmulator, CatapaEmulator } from '../../emulator';

export const REPO_ROOT: string = runtime.REPO_ROOT;
export const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output');
/** Login of the owner every instance is created with. */
export const OWNER: { email: string; password: string; firstName: string; lastName: string } =
	demo.OWNER;
/** Demo credentials of the BSB emulator (consumerKey, consumerSecret, providerId, callbackSecretKey). */
export const BRI_DEMO: {
	consumerKey: string;
	consumerSecret: string;
	providerId: string;
	callbackSecretKey: string;
} = demo.BRI;
export const CATAPA_DEMO: { tenant: string; clientId: string; clientSecret: string } = demo.CATAPA;

export type Json = Record<string, unknown>;

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<
		Json & { name: string; type: string; parameters?: Json; credentials?: Json; webhookId?: string }
	>;
	connections: Json;
	settings?: Json;
	pinData?: Json;
	[key: string]: unknown;
}

/** One row of the executions list (GET /rest/executions). */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: 'new' | 'running' | 'success' | 'error' | 'canceled' | 'crashed' | 'waiting' | 'unknown';
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
	[key: string]: unknown;
}

/** One execution with its run data decoded (n8n stores it "flatted"). */
export interface Execution extends ExecutionSummary {
	finished: boolean;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					data?: { main?: Array<Array<{ json: Json; binary?: Json }> | null> };
					error?: Json;
					executionStatus?: string;
				}>
			>;
			error?: { message: string; description?: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	workflowData: WorkflowJson;
}

export interface StartOptions {
	/** Start the emulators (default true). Pass an object to give startAll() options, e.g. { bsb: { latencyMs: 50 } }. */
	emulators?: boolean | { bsb?: Json; catapa?: Json; seed?: boolean };
	/** Extra environment variables for n8n. */
	env?: Record<string, string>;
	/** How long n8n may take to become ready (default 180 s). */
	startTimeoutMs?: number;
	/**
	 * Which n8n: a version or range ('1.123.81', '2.41') or a runtime of runtimeFor() in
	 * scripts/n8n-runtime.js. Default: N8N_RUNTIME_VERSION, else the pinned version.
	 */
	runtime?: string | N8nRuntime;
}

/** A runtime of scripts/n8n-runtime.js's runtimeFor(): one n8n version, its folder and its Node. */
export interface N8nRuntime {
	version: string;
	dir: string;
	nodeMajor: number;
	modulesDir: string;
	nodeBin(): string;
	n8nBin(): string;
	ensure(options?: { quiet?: boolean }): unknown;
	n8nEnv(options: {
		userFolder: string;
		port?: number;
		brokerPort?: number;
		extra?: Record<string, string>;
	}): Record<string, string>;
	marker(): { n8n: string; node: string; [key: string]: unknown } | undefined;
}

export interface N8n {
	/** The n8n version running, e.g. '2.40.7'. */
	version: string;
	/** Its runtime (folder, Node). */
	runtime: N8nRuntime;
	/** http://127.0.0.1:<port> (no trailing slash). */
	baseUrl: string;
	port: number;
	userFolder: string;
	/** n8n's log file (kept under test-output/e2e/). */
	logFile: string;
	/** The running emulators (startAll() of emulator/index.js), or undefined. */
	emulators?: { bsb: BsbEmulator; catapa: CatapaEmulator };
	/** Ids of the credentials created for the emulators (catapaApi only when that type is built). */
	credentials: { briApi?: string; catapaApi?: string };
	/** The REST client, logged in as the owner: rest.get('/workflows'), rest.post(...), rest.request(method, fullPath, body, {raw}). */
	rest: {
		get(p: string): Promise<any>;
		post(p: string, body?: unknown): Promise<any>;
		patch(p: string, body?: unknown): Promise<any>;
		/** GET /rest/settings (n8n 1.x and 2.x shapes alike). */
		settings(): Promise<any>;
		request(
			method: string,
			fullPath: string,
			body?: unknown,
			options?: { raw?: boolean; headers?: Record<string, string> },
		): Promise<any>;
		cookie: string;
		browserId: string;
	};

	/**
	 * Creates the workflow (POST /rest/workflows, as the editor's import does) and returns its id.
	 * Nodes of this package without a credential (or with the examples' demo credential id) get the
	 * emulator credential of their type; other credential ids are kept; webhook nodes without a
	 * webhookId get one (as the editor gives them); a given `id` is kept.
	 */
	importWorkflow(workflow: WorkflowJson): Promise<string>;
	/** Publishes (activates) the workflow's current version and waits until its trigger and webhooks are live. */
	activate(workflowId: string): Promise<void>;
	deactivate(workflowId: string): Promise<void>;
	/** URL of a production webhook: `${baseUrl}/webhook/${path}` (path as `<webhookId>/v1/payment/callback`). */
	webhookUrl(webhookPath: string): string;
	/** Runs the workflow from its (manual) trigger like the editor's "Execute workflow" button and waits for the end. */
	runWorkflow(
		workflowId: string,
		options?: { triggerNode?: string; timeoutMs?: number },
	): Promise<Execution>;
	/** `n8n execute --id=<id> --rawOutput` in a separate process: { code, stdout, stderr }. */
	executeCli(workflowId: string): Promise<{ code: number; stdout: string; stderr: string }>;
	/** Executions of a workflow, newest first. */
	listExecutions(workflowId: string): Promise<ExecutionSummary[]>;
	/** Polls until the workflow has at least `count` finished executions (default 30 s); returns them newest first. */
	waitForExecutions(
		workflowId: string,
		count?: number,
		timeoutMs?: number,
	): Promise<ExecutionSummary[]>;
	/** One execution with decoded run data. */
	getExecution(executionId: string): Promise<Execution>;
	/** Node types n8n serves to the editor (GET /types/nodes.json). */
	nodeTypes(): Promise<Array<Json & { name: string; displayName: string; properties: Json[] }>>;
	/** Credential types n8n serves to the editor (GET /types/credentials.json). */
	credentialTypes(): Promise<Array<Json & { name: string; displayName: string }>>;
	/** n8n's own credential test (POST /rest/credentials/test) of a stored credential, as the editor sends it. */
	testCredential(credentialId: string): Promise<{ status: 'OK' | 'Error'; message: string }>;
	/** The last lines n8n printed. */
	output(): string;
	/** Stops n8n and the emulators and removes the temporary user folder. */
	stop(): Promise<void>;
}

/** The output items (json) of a node's first run, first output. */
export function nodeOutput(
	execution: Execution,
	nodeName: string,
	outputIndex = 0,
	runIndex = 0,
): Json[] {
	const run = execution.data.resultData.runData[nodeName]?.[runIndex];
	return (run?.data?.main?.[outputIndex] ?? []).map((item) => item.json);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = (rt: N8nRuntime): { parse(text: string): any } =>
	require(path.join(rt.modulesDir, 'flatted'));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until dist/ has the file, for tests that depend on a node another change is adding. */
export async function waitForBuild(relativeFile: string, timeoutMs = 0): Promise<boolean> {
	const file = path.join(REPO_ROOT, relativeFile);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (fs.existsSync(file)) return true;
		if (Date.now() >= deadline) return false;
		await sleep(2000);
	}
}

/** Starts n8n (and the emulators) for one test suite. */
export async function startN8n(options: StartOptions = {}): Promise<N8n> {
	const rt: N8nRuntime = lib.runtimeOf(options.runtime);
	rt.ensure({ quiet: true });
	const major = Number(rt.version.split('.')[0]);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	fs.mkdirSync(path.join(OUTPUT_DIR, 'e2e'), { recursive: true });
	const logFile = path.join(OUTPUT_DIR, 'e2e', `n8n-${path.basename(userFolder)}.log`);
	const cleanups: Array<() => Promise<unknown> | unknown> = [
		() => fs.rmSync(userFolder, { recursive: true, force: true }),
	];
	const cleanup = async () => {
		const steps = cleanups.splice(0).reverse(); // newest first; a second stop() does nothing
		for (const fn of steps) {
			try {
				await fn();
			} catch {
				/* best effort */
			}
		}
	};

	try {
		let emulators: (N8n['emulators'] & { close(): Promise<void> }) | undefined;
		if (options.emulators !== false) {
			const emulatorOptions = typeof options.emulators === 'object' ? options.emulators : {};
			emulators = await startAll({ bsbPort: 0, catapaPort: 0, quiet: true, ...emulatorOptions });
			cleanups.push(() => emulators!.close());
		}

		const tgz = lib.packPackage(path.join(userFolder, 'pack'));
		lib.installCommunityPackage({ userFolder, tgz, runtime: rt });

		const port: number = await lib.freePort();
		const brokerPort: number = await lib.freePort();
		const env = rt.n8nEnv({ userFolder, port, brokerPort, extra: options.env ?? {} });
		const server = await lib.startServer({
			env,
			logFile,
			timeoutMs: options.startTimeoutMs ?? 180000,
			runtime: rt,
		});
		cleanups.push(() => server.stop());

		const rest = new lib.RestClient(server.baseUrl);
		await rest.setupOwner(OWNER);
		await rest.login(OWNER.email, OWNER.password);

		const credentials: N8n['credentials'] = {};
		if (emulators) {
			for (const credential of demo.emulatorCredentials({
				bsbUrl: emulators.bsb.url,
				catapaUrl: emulators.catapa?.url,
			})) {
				const created = await rest.post('/credentials', {
					name: credential.name,
					type: credential.type,
					data: credential.data,
				});
				credentials[credential.type as 'briApi' | 'catapaApi'] = created.id;
			}
		}

		let webhookTypes: Set<string> | undefined;
		const nodeTypes = async () =>
			(await rest.request('GET', '/types/nodes.json', undefined, { raw: true })).json();

		const instance: N8n = {
			version: rt.version,
			runtime: rt,
			baseUrl: server.baseUrl,
			port,
			userFolder,
			logFile,
			emulators,
			credentials,
			rest,

			async importWorkflow(workflow) {
				if (!webhookTypes) {
					webhookTypes = new Set(
						(await nodeTypes())
							.filter(
								(t: Json) => Array.isArray(t.webhooks) && (t.webhooks as unknown[]).length > 0,
							)
							.map((t: Json) => t.name as string),
					);
				}
				const nodes = JSON.parse(JSON.stringify(workflow.nodes)) as WorkflowJson['nodes'];
				for (const node of nodes) {
					const wanted = demo.NODE_CREDENTIAL[node.type] as 'briApi' | 'catapaApi' | undefined;
					// A credential the test created itself is kept; none, or the examples' demo id, gets the emulator's.
					const current = (node.credentials?.[wanted ?? ''] as { id?: string } | undefined)?.id;
					if (
						wanted &&
						credentials[wanted] &&
						(!current || current === demo.CREDENTIALS[wanted].id)
					) {
						node.credentials = {
							...(node.credentials ?? {}),
							[wanted]: { id: credentials[wanted], name: demo.CREDENTIALS[wanted].name },
						};
					}
					if (!node.webhookId && webhookTypes.has(node.type)) node.webhookId = randomUUID();
					node.id ??= randomUUID();
				}
				const created = await rest.post('/workflows', {
					...(workflow.id ? { id: workflow.id } : {}),
					// n8n 1.x stores `active` as sent, and it may not be null there (its editor sends false).
					...(major < 2 ? { active: false } : {}),
					name: workflow.name,
					nodes,
					connections: workflow.connections,
					settings: workflow.settings ?? { executionOrder: 'v1' },
					pinData: workflow.pinData ?? {},
				});
				return created.id as string;
			},

			async activate(workflowId) {
				const workflow = await rest.get(`/workflows/${workflowId}`);
				await rest.post(`/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
				// n8n 1.x has registered the webhooks when it answers; n8n 2.40+ publishes in the
				// background: wait until its triggers are live (or failed, with the node's message).
				if (major < 2) return;
				const deadline = Date.now() + 60000;
				for (;;) {
					let publication: { status: string; triggers?: Array<{ errorMessage: string | null }> };
					try {
						publication = await rest.get(`/workflows/${workflowId}/publication-status`);
					} catch (error) {
						if ((error as { status?: number }).status === 404) return; // an n8n without it
						throw error;
					}
					if (publication.status === 'published') return;
					if (publication.status === 'failed' || publication.status === 'partial') {
						const messages = (publication.triggers ?? [])
							.map((t) => t.errorMessage)
							.filter(Boolean);
						throw new Error(
							`publishing workflow ${workflowId} ${publication.status}: ${messages.join('; ')}`,
						);
					}
					if (Date.now() > deadline)
						throw new Error(`workflow ${workflowId} still ${publication.status} after 60 s`);
					await sleep(200);
				}
			},

			async deactivate(workflowId) {
				await rest.post(`/workflows/${workflowId}/deactivate`, {});
			},

			webhookUrl(webhookPath) {
				return `${server.baseUrl}/webhook/${webhookPath.replace(/^\/+/, '')}`;
			},

			async runWorkflow(workflowId, { triggerNode, timeoutMs = 120000 } = {}) {
				let trigger = triggerNode;
				const workflow = await rest.get(`/workflows/${workflowId}`);
				if (!trigger) {
					trigger = (workflow.nodes as Array<{ name: string; type: string }>).find(
						(n) => n.type === 'n8n-nodes-base.manualTrigger',
					)?.name;
					if (!trigger)
						throw new Error(`workflow ${workflowId} has no Manual Trigger: pass { triggerNode }`);
				}
				const started = await rest.post(`/workflows/${workflowId}/run`, {
					// n8n 1.x runs the workflow sent in the body, as its editor does; 2.x reads it from the database.
					...(major < 2 ? { workflowData: workflow } : {}),
					triggerToStartFrom: { name: trigger },
				});
				if (!started?.executionId)
					throw new Error(`n8n did not start the workflow: ${JSON.stringify(started)}`);
				const deadline = Date.now() + timeoutMs;
				for (;;) {
					const execution = await instance.getExecution(String(started.executionId));
					// n8n 1.x marks an execution finished a moment before it stores its run data.
					const stored = Boolean(execution.data?.resultData);
					if (stored && !['new', 'running', 'waiting'].includes(execution.status)) return execution;
					if (Date.now() > deadline)
						throw new Error(
							`execution ${started.executionId} still ${execution.status} after ${timeoutMs} ms`,
						);
					await sleep(200);
				}
			},

			async executeCli(workflowId) {
				const cliEnv = rt.n8nEnv({
					userFolder,
					port,
					brokerPort: await lib.freePort(),
					extra: options.env ?? {},
				});
				return lib.runCli(['execute', `--id=${workflowId}`, '--rawOutput'], cliEnv, {
					runtime: rt,
				});
			},

			async listExecutions(workflowId) {
				const page = await rest.get(
					`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
				);
				return (page.results ?? []) as ExecutionSummary[];
			},

			async waitForExecutions(workflowId, count = 1, timeoutMs = 30000) {
				const deadline = Date.now() + timeoutMs;
				for (;;) {
					const all = await instance.listExecutions(workflowId);
					const done = all.filter((e) => !['new', 'running'].includes(e.status));
					if (done.length >= count) return done;
					if (Date.now() > deadline) {
						throw new Error(
							`workflow ${workflowId}: ${done.length} of ${count} executions finished after ${timeoutMs} ms`,
						);
					}
					await sleep(250);
				}
			},

			async getExecution(executionId) {
				const execution = await rest.get(`/executions/${executionId}`);
				if (typeof execution.data === 'string') execution.data = flatted(rt).parse(execution.data);
				return execution as Execution;
			},

			nodeTypes,

			async credentialTypes() {
				return (
					await rest.request('GET', '/types/credentials.json', undefined, { raw: true })
				).json();
			},

			async testCredential(credentialId) {
				// As the editor does: the stored credential with its secrets blanked; n8n fills them in.
				const stored = await rest.get(`/credentials/${credentialId}?includeData=true`);
				return rest.post('/credentials/test', {
					credentials: { id: stored.id, name: stored.name, type: stored.type, data: stored.data },
				});
			},

			output: () => server.output(),

			stop: cleanup,
		};
		return instance;
	} catch (error) {
		await cleanup();
		throw error;
	}
}
