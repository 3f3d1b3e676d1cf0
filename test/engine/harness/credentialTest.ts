// Credential test, as n8n's "Test" button runs it.
import './env';
import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequest,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	IRunExecutionData,
} from 'n8n-workflow';
import { VersionedNodeType, Workflow, createRunExecutionData } from 'n8n-workflow';
import { SsrfMode, buildAdditionalData, configureSsrf } from './additionalData';
import { CredentialStore, CredentialTypeRegistry, packageCredentialTypes } from './credentials';
import { EngineCredentialsHelper, staticNodeTypes } from './credentialsHelper';
import { AnyNodeType, packageNodeTypes } from './nodeTypes';

export interface TestCredentialsOptions {
	type: string;
	/** The stored credential to test ({ id, name } from CredentialStore.set). */
	credentials: INodeCredentialsDetails;
	store: CredentialStore;
	/** Test these values instead of the stored ones (as the editor sends the form's data). */
	data?: ICredentialDataDecryptedObject;
	credentialTypes?: CredentialTypeRegistry;
	/** The node types n8n has loaded, by type name, in load order (default: the package's, packageNodeTypes()). */
	nodeTypes?: Map<string, AnyNodeType>;
	ssrf?: SsrfMode;
}

const OAUTH2_NOT_CONNECTED = 'This OAuth2 credential was not connected to an account.';

/** A declarative test: the credential's own `test`, or a node's `testedBy` object with that node. */
interface TestRequestData {
	nodeType?: INodeType;
	testRequest: ICredentialTestRequest;
}

/**
 * Which test n8n runs for a credential type (credentials-tester.service.ts,
 * getCredentialTestFunction): the credential's own `test` first; else, over the nodes that use the
 * credential in load order and each of their versions, the first `testedBy` — a string names a
 * function in that node's `methods.credentialTest` (read as n8n reads it, so a node that names a
 * test it lacks fails as it does in n8n), an object is a declarative test run with that node.
 */
function credentialTestFunction(
	credentialTypes: CredentialTypeRegistry,
	nodeTypes: Map<string, AnyNodeType>,
	type: string,
): ICredentialTestFunction | TestRequestData | undefined {
	const credentialType = credentialTypes.getByName(type);
	if (credentialType.test) return { testRequest: credentialType.test };
	for (const nodeName of credentialTypes.getSupportedNodes(type)) {
		const node = nodeTypes.get(nodeName);
		if (!node) continue;
		const versions =
			node instanceof VersionedNodeType ? Object.values(node.nodeVersions) : [node as INodeType];
		for (const nodeType of versions) {
			for (const { name, testedBy } of nodeType.description.credentials ?? []) {
				if (
					name === type &&
					(credentialTypes.getParentTypes(name).includes('oAuth2Api') || name === 'oAuth2Api')
				) {
					return async (credential: ICredentialsDecrypted) => {
						const token = credential.data?.oauthTokenData;
						return token && typeof token === 'object' && 'access_token' in token
							? { status: 'OK', message: 'Connection Successful!' }
							: { status: 'Error', message: OAUTH2_NOT_CONNECTED };
					};
				}
				if (name !== type || !testedBy) continue;
				if (typeof testedBy !== 'string') return { nodeType, testRequest: testedBy };
				if (node instanceof VersionedNodeType) {
					for (const version of Object.keys(node.nodeVersions).sort().reverse()) {
						const credentialTest = node.nodeVersions[parseInt(version, 10)].methods?.credentialTest;
						if (credentialTest && testedBy in credentialTest) return credentialTest[testedBy];
					}
				}
				return (node as INodeType).methods?.credentialTest![testedBy];
			}
		}
	}
	return undefined;
}

/**
 * packages/cli/src/services/credentials-tester.service.ts (n8n 2.40), testCredentials: finds the
 * test as getCredentialTestFunction does, applies defaults in 'internal' mode, then
 * - a function (a node's `methods.credentialTest`) is called on n8n-core's own CredentialTestContext,
 *   whose only request helper is `helpers.request` (request-promise options, through n8n's
 *   OutboundHttp and its SSRF protection);
 * - a declarative test runs its request through RoutingNode on a temporary node (noOp, or the node
 *   that declared it), which goes through httpRequestWithAuthentication (preAuthentication forced,
 *   since it is a credential test, then authenticate).
 * Not imitated: redaction of external-secret values ($secrets) in a function's message.
 */
export async function testCredentials(
	options: TestCredentialsOptions,
): Promise<INodeCredentialTestResult> {
	configureSsrf(options.ssrf ?? 'n8n-default');
	const credentialTypes = options.credentialTypes ?? packageCredentialTypes();
	const nodeTypes = options.nodeTypes ?? packageNodeTypes();
	credentialTypes.noteNodeTypes(nodeTypes);
	const credentialsHelper = new EngineCredentialsHelper(options.store, credentialTypes);
	const testFunction = credentialTestFunction(credentialTypes, nodeTypes, options.type);
	if (testFunction === undefined)
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

	if (typeof testFunction === 'function') {
		const context = new CredentialTestContext(additionalData);
		return await testFunction.call(context, credentialsDecrypted);
	}

	const { testRequest } = testFunction;
	const base: INodeType['description'] = testFunction.nodeType?.description ?? {
		displayName: 'No Operation, do nothing',
		name: 'n8n-nodes-base.noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};
	const noOp: INodeType = {
		description: {
			...base,
			credentials: [{ name: options.type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
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
		typeVersion: Array.isArray(base.version) ? base.version.slice(-1)[0] : base.version,
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
			for (const rule of testRequest.rules ?? []) {
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
	for (const rule of testRequest.rules ?? []) {
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
