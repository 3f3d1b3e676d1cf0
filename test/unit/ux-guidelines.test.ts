// n8n's UX guidelines for nodes, checked on every node and credential that package.json lists
// (their real descriptions, walked recursively into collections, fixedCollections and resource
// locator modes): example placeholders begin with "e.g.", labels are in Title Case, no unit in
// a label ("Timeout (Ms)"), codex categories come from n8n's list.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
	ICredentialType,
	INodeProperties,
	INodePropertyCollection,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** dist/x/Y.node.js (as package.json lists it) → x/Y.node.ts, loaded from source by ts-jest. */
function sourceOf(distPath: string): string {
	return path.join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function loadClass<T>(distPath: string): T {
	const exported = require(sourceOf(distPath)) as Record<string, new () => T>;
	const classes = Object.values(exported).filter((v) => typeof v === 'function');
	expect(classes).toHaveLength(1);
	return new classes[0]();
}

const nodes = (pkg.n8n.nodes as string[]).map((p) => ({
	path: p,
	description: loadClass<INodeType>(p).description as INodeTypeDescription,
}));
const credentials = (pkg.n8n.credentials as string[]).map((p) => ({
	path: p,
	credential: loadClass<ICredentialType>(p),
}));

interface Text {
	where: string;
	kind: 'displayName' | 'placeholder' | 'optionName';
	value: string;
	/** A collection's "Add …" button or a list's "Select …" prompt, not an example value. */
	prompt?: boolean;
}

/** Every label and placeholder under a list of properties. */
function texts(properties: INodeProperties[], where: string): Text[] {
	const out: Text[] = [];
	for (const p of properties) {
		const at = `${where} › ${p.displayName}`;
		// A notice's "label" is a sentence of help text, not a field label.
		if (p.type !== 'notice') out.push({ where: at, kind: 'displayName', value: p.displayName });
		if (p.placeholder !== undefined) {
			out.push({
				where: at,
				kind: 'placeholder',
				value: p.placeholder,
				prompt: p.type === 'collection' || p.type === 'fixedCollection',
			});
		}
		for (const mode of p.modes ?? []) {
			out.push({
				where: `${at} › ${mode.displayName}`,
				kind: 'displayName',
				value: mode.displayName,
			});
			if (mode.placeholder !== undefined) {
				out.push({
					where: `${at} › ${mode.displayName}`,
					kind: 'placeholder',
					value: mode.placeholder,
					prompt: mode.type === 'list',
				});
			}
		}
		for (const option of p.options ?? []) {
			if ('values' in option) {
				const group = option as INodePropertyCollection;
				out.push({
					where: `${at} › ${group.displayName}`,
					kind: 'displayName',
					value: group.displayName,
				});
				out.push(...texts(group.values, `${at} › ${group.displayName}`));
			} else if ('type' in option) {
				out.push(...texts([option as INodeProperties], at));
			} else if (p.type === 'options' || p.type === 'multiOptions') {
				out.push({ where: `${at} › ${option.name}`, kind: 'optionName', value: option.name });
			}
		}
	}
	return out;
}

const all: Text[] = [
	...nodes.flatMap((n) => texts(n.description.properties, n.description.displayName)),
	...credentials.flatMap((c) => texts(c.credential.properties, c.credential.displayName)),
];

// Words n8n writes in lower case inside a Title Case label (its own nodes: "Get by ID", "Return All").
const SMALL_WORDS = new Set([
	'a',
	'an',
	'and',
	'as',
	'at',
	'by',
	'for',
	'from',
	'in',
	'of',
	'on',
	'or',
	'per',
	'the',
	'to',
	'with',
]);

/** The words of a label that break Title Case. */
function notTitleCase(label: string): string[] {
	const words = label.split(/[\s/]+/).filter(Boolean);
	return words.filter((word, i) => {
		const letters = word.replace(/^[^\p{L}\p{N}]+/u, '');
		if (letters === '' || !/^\p{L}/u.test(letters)) return false; // numbers, symbols
		if (i > 0 && SMALL_WORDS.has(letters)) return false;
		return letters[0] !== letters[0].toUpperCase();
	});
}

describe('n8n UX guidelines', () => {
	test('every node and credential in package.json is checked, with their texts', () => {
		expect(nodes.map((n) => n.description.name).sort()).toEqual([
			'bpjsMembership',
			'briCallbackTrigger',
			'briSmartBilling',
			'briSmartBillingTrigger',
		]);
		expect(credentials.map((c) => c.credential.name).sort()).toEqual(['briApi', 'catapaApi']);
		// The walk reaches into collections and resource locators, so it cannot pass vacuously.
		expect(all.filter((t) => t.kind === 'placeholder' && !t.prompt).length).toBeGreaterThan(15);
		expect(all.filter((t) => t.kind === 'displayName').length).toBeGreaterThan(100);
	});

	test('placeholders that show an example value begin with "e.g."', () => {
		const bad = all.filter(
			(t) => t.kind === 'placeholder' && !t.prompt && !t.value.startsWith('e.g. '),
		);
		expect(bad.map((t) => `${t.where}: "${t.value}"`)).toEqual([]);
	});

	test('collection buttons and list prompts read "Add …" / "Select …"', () => {
		const bad = all.filter((t) => t.prompt && !/^(Add|Select) \S/.test(t.value));
		expect(bad.map((t) => `${t.where}: "${t.value}"`)).toEqual([]);
	});

	test('labels and option names are in Title Case', () => {
		const bad = all
			.filter((t) => t.kind !== 'placeholder')
			.map((t) => ({ ...t, words: notTitleCase(t.value) }))
			.filter((t) => t.words.length > 0);
		expect(bad.map((t) => `${t.where}: "${t.value}" (${t.words.join(', ')})`)).toEqual([]);
	});

	test('no unit in a label: "Timeout", with "in milliseconds" in its description', () => {
		const bad = all.filter((t) => t.kind === 'displayName' && /\((ms|s|sec|min)\)/i.test(t.value));
		expect(bad.map((t) => t.where)).toEqual([]);
		const walk = (ps: INodeProperties[]): INodeProperties[] =>
			ps.flatMap((p) => [
				p,
				...walk(
					(p.options ?? []).flatMap((o) =>
						'values' in o
							? (o as INodePropertyCollection).values
							: 'type' in o
								? [o as INodeProperties]
								: [],
					),
				),
			]);
		const timeouts = nodes
			.flatMap((n) => walk(n.description.properties))
			.filter((p) => p.name === 'timeout');
		expect(timeouts.length).toBeGreaterThan(0);
		for (const p of timeouts) {
			expect(p.displayName).toBe('Timeout');
			expect(p.description).toMatch(/in milliseconds/);
		}
	});

	test('helper: Title Case check', () => {
		expect(notTitleCase('Get by Customer')).toEqual([]);
		expect(notTitleCase('Requests at Once')).toEqual([]);
		expect(notTitleCase('Customer reference')).toEqual(['reference']);
		expect(notTitleCase('by ID')).toEqual(['by']);
	});
});

// n8n's node categories (the node panel's list; the codex "categories" field).
const N8N_CATEGORIES = [
	'AI',
	'Analytics',
	'Communication',
	'Core Nodes',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'HITL',
	'Marketing',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

describe('codex files', () => {
	test.each(nodes.map((n) => [n.description.name, n.path]))(
		'%s: a codex file with n8n categories',
		(name, p) => {
			const codexPath = sourceOf(p).replace(/\.ts$/, '.json');
			const codex = JSON.parse(fs.readFileSync(codexPath, 'utf8'));
			expect(codex.node).toBe(`${pkg.name}.${name}`);
			expect(codex.categories.length).toBeGreaterThan(0);
			for (const category of codex.categories) expect(N8N_CATEGORIES).toContain(category);
		},
	);
});
