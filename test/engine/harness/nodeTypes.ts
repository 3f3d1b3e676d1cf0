// Node types: the registry the engine looks node types up in.
import './env';
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers, UserError } from 'n8n-workflow';
import { BriProbe, ItemsSource, ManualTrigger } from '../fixtures';
import { PACKAGE_NAME } from './env';

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
