/*
 * Engine test harness: runs real workflows through n8n-core's WorkflowExecute (the engine of
 * n8n 2.40.7) with this package's nodes and credentials. Credentials go through a
 * CredentialsHelper that reimplements n8n's own (packages/cli/src/credentials-helper.ts), so
 * preAuthentication and authenticate run exactly where and when n8n runs them; HTTP goes out
 * through n8n's OutboundHttp over real sockets. Nothing here is mocked.
 *
 * Usage:
 *   import { CredentialStore, runNode, runWorkflow, testCredentials } from './harness';
 *   const store = new CredentialStore();
 *   const briApi = store.set('briApi', { environment: 'custom', customUrl: emu.url,
 *     consumerKey, consumerSecret, accessToken: '' });            // → { id, name }
 *   const { items, error } = await runNode({
 *     node: new BriSmartBilling(),                                 // type defaults to n8n-nodes-bri-bpjs.<name>
 *     parameters: { resource: 'customerGroup', operation: 'getAll' },
 *     credentials: { briApi }, store,
 *     items: [{ a: 1 }, { json: { a: 2 } }],                       // plain objects or n8n items
 *     continueOnFail: false,
 *   });
 *   // Whole workflows (n8n's export JSON): runWorkflow({ workflow, nodeTypes: { briSmartBilling: new BriSmartBilling() },
 *   //   credentials: store }) → { runData, lastNodeOutput, error, execution }
 *   // Credential test as n8n's "Test" button runs it: testCredentials({ type: 'briApi', credentials: briApi, store })
 *
 * SSRF: n8n 2.40 ships SSRF protection off (N8N_SSRF_PROTECTION_ENABLED=false, @n8n/config
 * SsrfProtectionConfig); when it is on, 127.0.0.0/8 is in the default blocked ranges. The harness
 * keeps n8n's default; `ssrf: 'allow-loopback'` turns protection on with 127.0.0.1/32 and ::1/128 allowed
 * (N8N_SSRF_PROTECTION_ENABLED=true + N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32,::1/128), and
 * `ssrf: 'enforced'` turns it on with the default ranges, so loopback is refused.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core's InstanceSettings writes <N8N_USER_FOLDER>/.n8n/config on first use: keep it out of $HOME.
process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'n8n-engine-harness-'));
// n8n logs every node error through its ErrorReporter; N8N_LOG_LEVEL=error shows them.
process.env.N8N_LOG_LEVEL ??= 'silent';

import { SsrfProtectionService } from '@n8n/backend-network';
import { GlobalConfig, SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	RoutingNode,
	WorkflowExecute,
	getAdditionalKeys,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialTypes,
	ICredentialsDecrypted,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	IConnections,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeCredentials,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IPinData,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	UserError,
	Workflow,
	createRunExecutionData,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';

import { BriProbe, ITEMS_SOURCE_TYPE, ItemsSource, ManualTrigger } from './fixtures';

export const PACKAGE_NAME = 'n8n-nodes-bri-bpjs';
const REPO_ROOT = path.resolve(__dirname, '../..');

// ---------------------------------------------------------------------------------------------
// Credentials: store, types, helper
// ---------------------------------------------------------------------------------------------

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

export interface CredentialUpdate {
	type: string;
	id: string;
	data: ICredentialDataDecryptedObject;
	at: Date;
}

/** In-memory stand-in for n8n's credentials table (plain data instead of ciphertext). */
export class CredentialStore {
	private readonly entries = new Map<string, StoredCredential>();

	/** Every updateCredentials call, i.e. what n8n would have written to its database. */
	readonly updates: CredentialUpdate[] = [];

	/** Stores (or replaces) a credential; returns the reference a node's `credentials` holds. */
	set(
		type: string,
		data: ICredentialDataDecryptedObject,
		id = `${type}-1`,
		name = `${type} ${id}`,
	) {
		this.entries.set(`${type}\u0000${id}`, { id, name, type, data: structuredClone(data) });
		return { id, name } as { id: string; name: string };
	}

	/** A copy of the stored data, or undefined. */
	get(type: string, id: string): ICredentialDataDecryptedObject | undefined {
		const entry = this.entries.get(`${type}\u0000${id}`);
		return entry ? structuredClone(entry.data) : undefined;
	}

	/** @internal used by EngineCredentialsHelper */
	entity(type: string, id: string): StoredCredential | undefined {
		return this.entries.get(`${type}\u0000${id}`);
	}

	/** @internal used by EngineCredentialsHelper.updateCredentials */
	write(type: string, id: string, data: ICredentialDataDecryptedObject) {
		const entry = this.entity(type, id);
		if (!entry)
			throw new UserError(`Credential with ID "${id}" does not exist for type "${type}".`);
		entry.data = structuredClone(data);
		this.updates.push({ type, id, data: structuredClone(data), at: new Date() });
	}
}

/** n8n's Credentials (n8n-core) without the cipher: the data stays a JSON string. */
class PlainCredentials extends ICredentials {
	async getData(): Promise<ICredentialDataDecryptedObject> {
		return JSON.parse(this.data ?? '{}') as ICredentialDataDecryptedObject;
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: ICredentialDataDecryptedObject,
		toDelete: string[] = [],
	): Promise<void> {
		const data = { ...(await this.getData()), ...toUpdate };
		for (const key of toDelete) delete data[key];
		await this.setData(data);
	}
}

/** ICredentialTypes over credential class instances (cf. packages/cli/src/credential-types.ts). */
export class CredentialTypeRegistry implements ICredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	private readonly supportedNodes = new Map<string, string[]>();

	constructor(types: ICredentialType[] = []) {
		for (const type of types) this.add(type);
	}

	add(type: ICredentialType) {
		this.types.set(type.name, type);
		return this;
	}

	/** Records which node types use a credential, as the loader's nodesByCredential does. */
	noteNodeTypes(nodeTypes: Map<string, INodeType | IVersionedNodeType>) {
		for (const [typeName, nodeType] of nodeTypes) {
			const versions =
				'nodeVersions' in nodeType ? Object.values(nodeType.nodeVersions) : [nodeType as INodeType];
			for (const version of versions) {
				for (const { name } of version.description.credentials ?? []) {
					const list = this.supportedNodes.get(name) ?? [];
					if (!list.includes(typeName)) list.push(typeName);
					this.supportedNodes.set(name, list);
				}
			}
		}
	}

	recognizes(credentialType: string) {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const type = this.types.get(credentialType);
		if (!type) throw new UserError(`Unknown credential type: ${credentialType}`);
		return type;
	}

	getSupportedNodes(type: string) {
		return this.supportedNodes.get(type) ?? [];
	}

	getParentTypes(typeName: string): string[] {
		const extendsArr = this.types.get(typeName)?.extends ?? [];
		return [...extendsArr, ...extendsArr.flatMap((parent) => this.getParentTypes(parent))];
	}
}

/** Instances of every class exported by credentials/*.credentials.ts (ts-jest compiles them). */
export function loadPackageCredentialTypes(
	dir = path.join(REPO_ROOT, 'credentials'),
): ICredentialType[] {
	const types: ICredentialType[] = [];
	for (const file of readdirSync(dir)
		.filter((f) => f.endsWith('.credentials.ts'))
		.sort()) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(path.join(dir, file)) as Record<string, unknown>;
		for (const exported of Object.values(mod)) {
			if (typeof exported !== 'function') continue;
			const instance = new (exported as new () => ICredentialType)();
			if (typeof instance.name === 'string' && Array.isArray(instance.properties))
				types.push(instance);
		}
	}
	return types;
}

export function packageCredentialTypes(): CredentialTypeRegistry {
	return new CredentialTypeRegistry(loadPackageCredentialTypes());
}

// Node type used to resolve credential expressions outside an execution (credentials-helper.ts: mockNode).
const MOCK_NODE: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

function staticNodeTypes(types: Record<string, INodeType>): INodeTypes {
	return {
		getByName: (name) => types[name],
		getByNameAndVersion: (name, version) => {
			if (!types[name]) throw new UserError(`Unknown node type: ${name}`);
			return NodeHelpers.getVersionedNodeType(types[name], version);
		},
		getKnownTypes: () => ({}),
	};
}

const MOCK_NODE_TYPES = staticNodeTypes({
	mock: { description: { properties: [] } } as unknown as INodeType,
});

/**
 * Applies a credential's domain allowlist to the requests its preAuthentication makes
 * (credentials-helper.ts: restrictToCredentialDomains).
 */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

/**
 * n8n's CredentialsHelper (packages/cli/src/credentials-helper.ts) over a CredentialStore.
 * Left out: credential overwrites, external secrets, dynamic (per-user) credentials and the
 * AI gateway — none of which a community node's credential meets in a plain n8n.
 */
export class EngineCredentialsHelper extends ICredentialsHelper {
	constructor(
		readonly store: CredentialStore,
		readonly credentialTypes: ICredentialTypes,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let typeDef: ICredentialType;
		try {
			typeDef = this.credentialTypes.getByName(credentialType);
		} catch {
			return true;
		}
		if (!(typeDef as { restrictToSupportedNodes?: boolean }).restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		const { authenticate } = credentialType;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (typeof authenticate === 'object') {
			if (!workflow || !node) {
				throw new UserError(
					'Workflow and node are required for declarative credential authentication',
				);
			}
			requestOptions.headers ??= {};
			if (authenticate.type === 'generic') {
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue as IDataObject)) {
						const keyResolved = this.resolveValue(
							key,
							{ $credentials: credentials },
							workflow,
							node,
						);
						const valueResolved = this.resolveValue(
							value as string,
							{ $credentials: credentials },
							workflow,
							node,
						);
						const target = requestOptions as unknown as Record<string, IDataObject>;
						target[outerKey] ??= {};
						target[outerKey][keyResolved] = valueResolved;
					}
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// The credential tester runs a noOp node with a `temp` parameter: then always refresh.
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirableProperty.name] === '' || credentialsExpired || isTestingCredentials) {
			const output = await credentialType.preAuthentication.call(
				restrictToCredentialDomains(helpers, credentials),
				credentials,
			);
			// Without the expirable property the database would not get updated.
			if (output[expirableProperty.name] === undefined) return undefined;
			if (node.credentials) {
				const nodeCredentials = node.credentials[credentialType.name];
				// Persist onto the raw stored data, never over a field the user stored as an expression.
				const storedData = await (
					await this.getCredentials(nodeCredentials, credentialType.name)
				).getData();
				const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
				for (const [key, value] of Object.entries(output)) {
					if (key === expirableProperty.name || !isExpression(storedData[key]))
						dataToPersist[key] = value as ICredentialDataDecryptedObject[string];
				}
				await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
				return Object.assign(credentials, output);
			}
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IDataObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const value = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		return value ? String(value) : '';
	}

	async getCredentials(
		nodeCredential: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const entity = this.getCredentialsEntity(nodeCredential, type);
		return new PlainCredentials(
			{ id: entity.id, name: entity.name },
			entity.type,
			JSON.stringify(entity.data),
		);
	}

	private getCredentialsEntity(
		nodeCredential: INodeCredentialsDetails,
		type: string,
	): StoredCredential {
		// Messages of CredentialMissingIdError / CredentialNotFoundError (packages/cli/src/errors).
		if (!nodeCredential?.id) {
			throw new UserError(`Credential "${nodeCredential?.name}" of type "${type}" has no ID.`);
		}
		const entity = this.store.entity(type, nodeCredential.id);
		if (!entity) {
			throw new UserError(
				`Credential with ID "${nodeCredential.id}" does not exist for type "${type}".`,
			);
		}
		return entity;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		const decryptedDataOriginal = await credentials.getData();
		if (raw === true) return decryptedDataOriginal;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Property defaults, then expressions (credentials-helper.ts: applyDefaultsAndOverwrites). */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			{ ...decryptedDataOriginal } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		for (const key of ['allowedHttpRequestDomains', 'allowedDomains']) {
			if (decryptedData[key] === undefined && decryptedDataOriginal[key] !== undefined) {
				decryptedData[key] = decryptedDataOriginal[key];
			}
		}
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [MOCK_NODE],
				connections: {},
				active: false,
				nodeTypes: MOCK_NODE_TYPES,
			});
			await workflow.expression.acquireIsolate();
			try {
				decryptedData = workflow.expression.getComplexParameterValue(
					MOCK_NODE,
					decryptedData as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} finally {
				await workflow.expression.releaseIsolate();
			}
		}
		return decryptedData;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
		this.store.write(type, credentials.id as string, await credentials.getData());
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		this.store.write(type, credentials.id as string, await credentials.getData());
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.credentialTypes.getByName(type);
		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialTypeData.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialTypeData.properties);
		return combined;
	}
}

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

export type AnyNodeType = INodeType | IVersionedNodeType;
export type NodeTypeInput = Record<string, AnyNodeType> | AnyNodeType[];

function descriptionName(nodeType: AnyNodeType): string {
	return nodeType.description.name;
}

/** The type name n8n registers a package node under: `n8n-nodes-bri-bpjs.<name>`. */
export function packageTypeName(name: string): string {
	return name.includes('.') ? name : `${PACKAGE_NAME}.${name}`;
}

/** INodeTypes over a map; a package node answers to both `name` and `n8n-nodes-bri-bpjs.name`. */
export class NodeTypeRegistry implements INodeTypes {
	readonly byName = new Map<string, AnyNodeType>();

	constructor(input: NodeTypeInput = {}) {
		for (const fixture of [new ManualTrigger(), new ItemsSource(), new BriProbe()])
			this.add(fixture);
		const entries = Array.isArray(input)
			? input.map((type) => [descriptionName(type), type] as const)
			: Object.entries(input);
		for (const [name, type] of entries) this.add(type, name);
	}

	add(nodeType: AnyNodeType, name = descriptionName(nodeType)) {
		const full = packageTypeName(name);
		this.byName.set(full, nodeType);
		return this;
	}

	resolveName(name: string): string {
		return this.byName.has(name) ? name : packageTypeName(name);
	}

	getByName(nodeType: string): AnyNodeType {
		const found = this.byName.get(this.resolveName(nodeType));
		if (!found) throw new UserError(`Unrecognized node type: ${nodeType}`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

// ---------------------------------------------------------------------------------------------
// DI and additional data
// ---------------------------------------------------------------------------------------------

/**
 * - 'n8n-default': n8n's own configuration (SSRF protection off unless N8N_SSRF_PROTECTION_ENABLED=true).
 * - 'enforced': N8N_SSRF_PROTECTION_ENABLED=true with the default blocked ranges (127.0.0.0/8 among them).
 * - 'allow-loopback': the same plus N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32,::1/128.
 */
export type SsrfMode = 'n8n-default' | 'enforced' | 'allow-loopback';

let ssrfApplied: SsrfMode | undefined;

/**
 * Sets n8n's SSRF configuration (@n8n/config SsrfProtectionConfig) as its environment variables
 * would. OutboundHttp and SsrfProtectionService are DI singletons built from that config, so a
 * change of mode resets the container and lets them be built again.
 */
export function configureSsrf(mode: SsrfMode = 'n8n-default') {
	if (mode === ssrfApplied) return;
	Container.reset();
	const config = Container.get(SsrfProtectionConfig);
	if (mode !== 'n8n-default') config.enabled = true;
	if (mode === 'allow-loopback') config.allowedIpRanges = ['127.0.0.1/32', '::1/128'];
	ssrfApplied = mode;
}

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	workflowId?: string;
	userId?: string;
	variables?: IDataObject;
	executionTimeoutTimestamp?: number;
}

/** The base additional data of packages/cli/src/workflow-execute-additional-data.ts (getBase). */
export function buildAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	const { endpoints } = Container.get(GlobalConfig);
	const base = 'http://localhost:5678/'; // UrlService default (N8N_PROTOCOL://N8N_HOST:N8N_PORT/)
	const unavailable = (what: string) => async () => {
		throw new UserError(`${what} is not available in the engine test harness`);
	};
	const additionalData = {
		currentNodeExecutionIndex: 0,
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		workflowId: options.workflowId,
		userId: options.userId ?? 'engine-test-user',
		variables: options.variables ?? {},
		executionTimeoutTimestamp: options.executionTimeoutTimestamp,
		restApiUrl: base + endpoints.rest,
		instanceBaseUrl: base,
		formWaitingBaseUrl: base + endpoints.formWaiting,
		formBaseUrl: base + endpoints.form,
		formTestBaseUrl: base + endpoints.formTest,
		webhookBaseUrl: base + endpoints.webhook,
		webhookWaitingBaseUrl: base + endpoints.webhookWaiting,
		webhookTestBaseUrl: base + endpoints.webhookTest,
		mcpBaseUrl: base + endpoints.mcp,
		mcpTestBaseUrl: base + endpoints.mcpTest,
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		executeWorkflow: unavailable('Execute Workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unavailable('The task runner (Code node)'),
		logAiEvent: () => {},
		setExecutionStatus: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	// As getBase does: hand the SSRF bridge to the engine when protection is on.
	if (Container.get(SsrfProtectionConfig).enabled) {
		additionalData.ssrfBridge = Container.get(SsrfProtectionService);
	}
	return additionalData;
}

// ---------------------------------------------------------------------------------------------
// Running workflows
// ---------------------------------------------------------------------------------------------

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

let executionCounter = 0;

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	configureSsrf(options.ssrf ?? 'n8n-default');
	const store = options.credentials ?? new CredentialStore();
	const nodeTypes = new NodeTypeRegistry(options.nodeTypes);
	const credentialTypes = options.credentialTypes ?? packageCredentialTypes();
	credentialTypes.noteNodeTypes(nodeTypes.byName);
	const credentialsHelper = new EngineCredentialsHelper(store, credentialTypes);

	const nodes = options.workflow.nodes.map((node) => ({
		...node,
		type: nodeTypes.resolveName(node.type),
	}));
	const mode = options.mode ?? 'manual';
	const workflowId = options.workflow.id ?? 'engine-test-workflow';
	const workflow = new Workflow({
		id: workflowId,
		name: options.workflow.name ?? 'Engine test',
		nodes,
		connections: options.workflow.connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1', ...options.workflow.settings },
		pinData: options.workflow.pinData,
	});

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

// ---------------------------------------------------------------------------------------------
// runNode: Manual Trigger → Items → node under test
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Credential test, as n8n's "Test" button runs it
// ---------------------------------------------------------------------------------------------

export interface TestCredentialsOptions {
	type: string;
	/** The stored credential to test ({ id, name } from CredentialStore.set). */
	credentials: INodeCredentialsDetails;
	store: CredentialStore;
	/** Test these values instead of the stored ones (as the editor sends the form's data). */
	data?: ICredentialDataDecryptedObject;
	credentialTypes?: CredentialTypeRegistry;
	ssrf?: SsrfMode;
}

/**
 * packages/cli/src/services/credentials-tester.service.ts for a credential whose type declares
 * `test` (ICredentialTestRequest): defaults applied in 'internal' mode, then the request run by
 * RoutingNode on a temporary noOp node, which goes through httpRequestWithAuthentication
 * (preAuthentication forced, since it is a credential test, then authenticate).
 */
export async function testCredentials(
	options: TestCredentialsOptions,
): Promise<INodeCredentialTestResult> {
	configureSsrf(options.ssrf ?? 'n8n-default');
	const credentialTypes = options.credentialTypes ?? packageCredentialTypes();
	const credentialsHelper = new EngineCredentialsHelper(options.store, credentialTypes);
	const credentialType = credentialTypes.getByName(options.type);
	if (!credentialType.test)
		return { status: 'Error', message: 'No testing function found for this credential.' };

	const additionalData = buildAdditionalData({ credentialsHelper });
	const stored = options.data ?? options.store.get(options.type, String(options.credentials.id));
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: String(options.credentials.id),
		name: options.credentials.name,
		type: options.type,
		data: stored,
	};
	try {
		credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
			additionalData,
			stored ?? {},
			options.type,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	const noOp: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'n8n-nodes-base.noOp',
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: options.type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialType.test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: noOp.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			[options.type]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: staticNodeTypes({ [noOp.description.name]: noOp }),
	});
	const runExecutionData: IRunExecutionData = createRunExecutionData();
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, noOp, credentialsDecrypted);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			const { status, statusText } = cause.response;
			for (const rule of credentialType.test.rules ?? []) {
				if (rule.type === 'responseCode' && status === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (status < 199 || status > 299) {
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
			}
		} else if (cause?.code) {
			return { status: 'Error', message: cause.code };
		}
		return { status: 'Error', message: String((error as Error).message) };
	}
	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const json = response?.[0]?.[0]?.json as IDataObject | undefined;
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>(
					(acc, key) => (acc && typeof acc === 'object' ? (acc as IDataObject)[key] : undefined),
					json,
				);
			if (value === rule.properties.value)
				return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
