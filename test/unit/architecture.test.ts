// The import rules of the layout (DEVELOPERS.md, Layout): a node imports only its own vendor's
// shared/ and nodes/shared/, never a sibling node; a vendor's shared/ never imports a node;
// nodes/shared/ imports only n8n-workflow and Node built-ins; credentials import only the shared
// folders; emulator/ never imports nodes/ or credentials/ (it stays an independent check).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Packages code under nodes/ and credentials/ may import (n8n's list for community nodes). */
const NODE_PACKAGES = new Set(['n8n-workflow', 'luxon']);

function sourceFiles(dir: string, extension: string): string[] {
	return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith(extension) && !file.endsWith('.d.ts'))
		.map((file) => path.posix.join(dir, file.split(path.sep).join('/')));
}

/** Every module a source text imports or requires, as written. */
export function specifiers(source: string): string[] {
	const found: string[] = [];
	const patterns = [
		/\bfrom\s+['"]([^'"]+)['"]/g,
		/\bimport\s+['"]([^'"]+)['"]/g,
		/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g,
	];
	for (const pattern of patterns) {
		for (const match of source.matchAll(pattern)) found.push(match[1]);
	}
	return found;
}

/** Where a file sits: nodes/shared, a vendor's shared/, a node folder, credentials or emulator. */
function zoneOf(file: string): { kind: string; vendor?: string; folder: string } | undefined {
	const parts = file.split('/');
	if (parts[0] === 'nodes' && parts[1] === 'shared')
		return { kind: 'shared', folder: 'nodes/shared' };
	if (parts[0] === 'nodes' && parts.length > 3) {
		const folder = parts.slice(0, 3).join('/');
		return { kind: parts[2] === 'shared' ? 'vendorShared' : 'node', vendor: parts[1], folder };
	}
	if (parts[0] === 'credentials') return { kind: 'credentials', folder: 'credentials' };
	if (parts[0] === 'emulator') return { kind: 'emulator', folder: 'emulator' };
	return undefined;
}

const inside = (target: string, folder: string) =>
	target === folder || target.startsWith(`${folder}/`);

/** Why `file` may not import `specifier`, or undefined when it may. */
export function ruleBroken(file: string, specifier: string): string | undefined {
	const zone = zoneOf(file);
	if (!zone) return undefined;
	const builtin = specifier.startsWith('node:');
	if (!specifier.startsWith('.')) {
		if (builtin) return undefined;
		if (zone.kind === 'emulator') return 'emulator/ uses Node built-ins only';
		if (zone.kind === 'shared' && specifier !== 'n8n-workflow')
			return 'nodes/shared/ imports only n8n-workflow and Node built-ins';
		return NODE_PACKAGES.has(specifier) ? undefined : `package ${specifier} is not allowed`;
	}
	const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
	const sharedFolders = ['nodes/shared', ...(zone.vendor ? [`nodes/${zone.vendor}/shared`] : [])];
	switch (zone.kind) {
		case 'emulator':
			return inside(target, 'nodes') || inside(target, 'credentials') || inside(target, 'dist')
				? 'emulator/ never imports nodes/ or credentials/'
				: undefined;
		case 'shared':
			return inside(target, 'nodes/shared') ? undefined : 'nodes/shared/ imports only itself';
		case 'vendorShared':
			return sharedFolders.some((folder) => inside(target, folder))
				? undefined
				: `${zone.folder}/ imports only itself and nodes/shared/, never a node`;
		case 'node':
			return inside(target, zone.folder) || sharedFolders.some((folder) => inside(target, folder))
				? undefined
				: `${zone.folder} imports only itself, nodes/${zone.vendor}/shared/ and nodes/shared/`;
		case 'credentials':
			return inside(target, 'credentials') ||
				inside(target, 'nodes/shared') ||
				/^nodes\/[^/]+\/shared(\/|$)/.test(target)
				? undefined
				: 'credentials import only nodes/shared/ and a vendor shared/';
	}
	return undefined;
}

describe('import rules', () => {
	const files = [
		...sourceFiles('nodes', '.ts'),
		...sourceFiles('credentials', '.ts'),
		...sourceFiles('emulator', '.js'),
	];

	it('are kept by every file in nodes/, credentials/ and emulator/', () => {
		expect(files.length).toBeGreaterThan(40);
		const broken = files.flatMap((file) =>
			specifiers(readFileSync(path.join(ROOT, file), 'utf8')).flatMap((specifier) => {
				const reason = ruleBroken(file, specifier);
				return reason ? [`${file} imports ${specifier}: ${reason}`] : [];
			}),
		);
		expect(broken).toEqual([]);
	});

	it.each([
		['nodes/Bri/SmartBilling/transport.ts', "import { x } from '../CallbackTrigger/http';"],
		['nodes/Bri/SmartBilling/transport.ts', "import { x } from '../../Catapa/shared/token';"],
		['nodes/Bri/shared/token.ts', "import { x } from '../SmartBilling/endpoints';"],
		['nodes/shared/runtime.ts', "import { x } from '../Bri/shared/token';"],
		['nodes/shared/runtime.ts', "import { DateTime } from 'luxon';"],
		['nodes/Catapa/BpjsMembership/executor.ts', "import axios from 'axios';"],
		[
			'credentials/BriApi.credentials.ts',
			"import { x } from '../nodes/Bri/SmartBilling/transport';",
		],
		['emulator/bsb/routes.js', "const x = require('../../nodes/Bri/shared/signature');"],
		[
			'emulator/catapa/index.js',
			"const x = require('../../dist/credentials/CatapaApi.credentials');",
		],
		['emulator/lib/listen.js', "const x = require('express');"],
	])('refuse %s importing: %s', (file, source) => {
		const [specifier] = specifiers(source);
		expect(ruleBroken(file, specifier)).toEqual(expect.any(String));
	});

	it.each([
		['nodes/Bri/SmartBilling/transport.ts', "import { x } from '../shared/token';"],
		['nodes/Bri/SmartBilling/transport.ts', "import { x } from '../../shared/errorCause';"],
		['nodes/Bri/SmartBilling/methods/listSearch.ts', "import { x } from '../transport';"],
		['nodes/Catapa/shared/token.ts', "import { x } from '../../shared/json';"],
		['nodes/shared/runtime.ts', "import { createHash } from 'node:crypto';"],
		['credentials/CatapaApi.credentials.ts', "import { x } from '../nodes/Catapa/shared/token';"],
		['emulator/bsb/index.js', "const x = require('../lib/listen');"],
	])('allow %s importing: %s', (file, source) => {
		const [specifier] = specifiers(source);
		expect(ruleBroken(file, specifier)).toBeUndefined();
	});
});
