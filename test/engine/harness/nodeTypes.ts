// Node types: the registry the engine looks node types up in.
import './env';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers, UserError } from 'n8n-workflow';
import { BriProbe, ItemsSource, ManualTrigger } from '../fixtures';
import { PACKAGE_NAME, REPO_ROOT } from './env';

export type AnyNodeType = INodeType | IVersionedNodeType;
export type NodeTypeInput = Record<string, AnyNodeType> | AnyNodeType[];

export function descriptionName(nodeType: AnyNodeType): string {
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

/**
 * The package's node types as n8n loads them: package.json `n8n.nodes` in that order (the order
 * n8n's loader records which nodes use a credential in), each from its source file, under
 * `n8n-nodes-bri-bpjs.<name>`.
 */
export function packageNodeTypes(): Map<string, AnyNodeType> {
	const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[] };
	};
	const types = new Map<string, AnyNodeType>();
	for (const built of pkg.n8n.nodes) {
		const source = path.join(REPO_ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(source) as Record<string, unknown>;
		for (const exported of Object.values(mod)) {
			if (typeof exported !== 'function') continue;
			const instance = new (exported as new () => AnyNodeType)();
			if (instance.description?.name)
				types.set(packageTypeName(instance.description.name), instance);
		}
	}
	return types;
}
