// The GitHub Actions workflows: CI runs .ci/run; a version tag publishes to npm with provenance
// (n8n's requirement for verified community nodes), after the same checks as test:fast.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '..', '..');

interface Step {
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

function load(name: string): Workflow {
	const text = fs.readFileSync(path.join(root, '.github', 'workflows', name), 'utf8');
	// `yaml` throws on a syntax error and reports duplicate keys as errors.
	return parse(text, { strict: true, uniqueKeys: true }) as Workflow;
}

/** The steps of the workflow's only job. */
function steps(workflow: Workflow): Step[] {
	const jobs = Object.values(workflow.jobs);
	expect(jobs).toHaveLength(1);
	return jobs[0].steps;
}

const index = (list: Step[], test: (s: Step) => boolean) => {
	const i = list.findIndex(test);
	expect(i).toBeGreaterThanOrEqual(0);
	return i;
};

describe('ci.yml', () => {
	const ci = load('ci.yml');
	test('checks out and runs .ci/run on pushes and pull requests', () => {
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		const list = steps(ci);
		const checkout = index(list, (s) => /^actions\/checkout@/.test(s.uses ?? ''));
		const run = index(list, (s) => s.run?.trim() === '.ci/run');
		expect(checkout).toBeLessThan(run);
		expect(fs.statSync(path.join(root, '.ci', 'run')).mode & 0o111).not.toBe(0);
	});
});

describe('publish.yml', () => {
	const publish = load('publish.yml');
	const list = steps(publish);

	test('runs on version tags only', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*.*.*'] } });
	});

	test('may mint an OIDC token for provenance, and only read the repository', () => {
		expect(publish.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
	});

	test('Node 24 with the npm registry URL', () => {
		const setup = list[index(list, (s) => /^actions\/setup-node@/.test(s.uses ?? ''))];
		expect(String(setup.with?.['node-version'])).toBe('24');
		expect(setup.with?.['registry-url']).toBe('https://registry.npmjs.org');
	});

	test('checkout, npm ci, build, test:fast, then publish with provenance, in that order', () => {
		const order = [
			index(list, (s) => /^actions\/checkout@/.test(s.uses ?? '')),
			index(list, (s) => /^npm ci\b/.test(s.run ?? '')),
			index(list, (s) => s.run === 'npm run build'),
			index(list, (s) => s.run === 'npm run test:fast'),
			index(list, (s) => /^npm publish\b/.test(s.run ?? '')),
		];
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		const publishStep = list[order[4]].run ?? '';
		expect(publishStep.split(/\s+/)).toEqual(
			expect.arrayContaining(['npm', 'publish', '--provenance', '--access', 'public']),
		);
		// Trusted publishing: no long-lived npm token in the workflow.
		expect(JSON.stringify(publish)).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN/);
	});

	test('test:fast runs n8n’s scanner', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
		expect(pkg.scripts['test:fast']).toMatch(/npm run scan\b/);
		expect(pkg.scripts.scan).toBe('node scripts/scan.js');
	});
});
