// Runs a node's listSearch method the way n8n's DynamicNodeParametersService does: a one-node
// workflow with the node's parameters and credentials, and a LoadOptionsContext on it.
import { LoadOptionsContext } from 'n8n-core';
import type {
	INodeCredentials,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	CredentialStore,
	EngineCredentialsHelper,
	NodeTypeRegistry,
	buildAdditionalData,
	configureSsrf,
	packageCredentialTypes,
	packageTypeName,
} from './harness';

export interface ListSearchOptions {
	node: INodeType;
	method: string;
	filter?: string;
	/** The token of the page before, as n8n passes it for "load more". */
	paginationToken?: string;
	parameters?: INodeParameters;
	credentials: INodeCredentials;
	store: CredentialStore;
}

export async function runListSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	configureSsrf('n8n-default');
	const type = packageTypeName(options.node.description.name);
	const nodeTypes = new NodeTypeRegistry({}).add(options.node, type);
	const credentialTypes = packageCredentialTypes();
	credentialTypes.noteNodeTypes(nodeTypes.byName);
	const node = {
		id: 'node',
		name: 'Node',
		type,
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: options.parameters ?? {},
		credentials: options.credentials,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData({
		credentialsHelper: new EngineCredentialsHelper(options.store, credentialTypes),
	});
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const method = options.node.methods?.listSearch?.[options.method];
	if (!method) throw new Error(`No listSearch method ${options.method}`);
	return await method.call(context, options.filter, options.paginationToken);
}
