// Credentials as n8n stores them: a plain store, the package's credential types.
import './env';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialTypes,
	ICredentialsEncrypted,
	INodeType,
	IVersionedNodeType,
} from 'n8n-workflow';
import { ICredentials, UserError } from 'n8n-workflow';
import { REPO_ROOT } from './env';

export interface StoredCredential {
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
export class PlainCredentials extends ICredentials {
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

/**
 * A fresh store with one BRI API credential for a BSB emulator at `url` (its demo key and
 * secret, no token yet), as the engine tests of the BRI nodes use it.
 */
export function emulatorBriCredential(
	url: string,
	credentials: { consumerKey: string; consumerSecret: string },
	overrides: ICredentialDataDecryptedObject = {},
) {
	const store = new CredentialStore();
	const briApi = store.set('briApi', {
		environment: 'custom',
		customUrl: url,
		consumerKey: credentials.consumerKey,
		consumerSecret: credentials.consumerSecret,
		accessToken: '',
		...overrides,
	});
	return { store, briApi };
}
