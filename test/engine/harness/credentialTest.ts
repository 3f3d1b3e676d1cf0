// Credential test, as n8n's "Test" button runs it.
import './env';
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
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
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import { SsrfMode, buildAdditionalData, configureSsrf } from './additionalData';
import { CredentialStore, CredentialTypeRegistry, packageCredentialTypes } from './credentials';
import { EngineCredentialsHelper, staticNodeTypes } from './credentialsHelper';

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
