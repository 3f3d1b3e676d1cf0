// What gets published: `n8n-node build` (the CLI n8n asks verified authors to use) gives exactly
// the project's own build (tsc + gulp), codex files included; the tarball holds dist, the README,
// the LICENSE and package.json, nothing else; and the metadata n8n's reviewers check.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { copyGitTree } = require('../../scripts/lib/tree');

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const bin = path.join(root, 'node_modules', '.bin');
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, CI: 'true' };

/** A copy of the git tree, with the worktree's node_modules linked in. */
function copyOfTree(into: string): string {
	copyGitTree(root, into);
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(into, 'node_modules'), 'dir');
	return into;
}

/** Every file under dir, relative, sorted. */
function list(dir: string, base = dir): string[] {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((e) =>
			e.isDirectory()
				? list(path.join(dir, e.name), base)
				: [path.relative(base, path.join(dir, e.name))],
		)
		.sort();
}

let tmp: string;
let ours: string;
let cli: string;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-build-'));
	ours = copyOfTree(path.join(tmp, 'ours'));
	cli = copyOfTree(path.join(tmp, 'cli'));
	execFileSync('npm', ['run', 'build'], { cwd: ours, env, stdio: 'pipe' });
	execFileSync('n8n-node', ['build'], { cwd: cli, env, stdio: 'pipe' });
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('build', () => {
	test('`n8n-node build` gives the same dist/ as `npm run build`: same files, same bytes', () => {
		const files = list(path.join(ours, 'dist'));
		expect(list(path.join(cli, 'dist'))).toEqual(files);
		const differ = files.filter(
			(f) =>
				!fs
					.readFileSync(path.join(ours, 'dist', f))
					.equals(fs.readFileSync(path.join(cli, 'dist', f))),
		);
		expect(differ).toEqual([]);
	});

	test('dist/ holds every node, credential, icon and codex file, and only the package’s sources', () => {
		const files = list(path.join(ours, 'dist'));
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(files).toContain(entry.replace(/^dist\//, ''));
		}
		for (const node of pkg.n8n.nodes as string[]) {
			const codex = node.replace(/^dist\//, '').replace(/\.js$/, '.json');
			expect(files).toContain(codex);
			// Codex files arrive intact (tsc re-indents them; n8n parses them).
			expect(JSON.parse(fs.readFileSync(path.join(ours, 'dist', codex), 'utf8'))).toEqual(
				JSON.parse(fs.readFileSync(path.join(root, codex), 'utf8')),
			);
		}
		const icons = list(root).filter((f) => /^(nodes|credentials)\/.*\.(svg|png)$/.test(f));
		expect(icons.length).toBeGreaterThan(5);
		for (const icon of icons) expect(files).toContain(icon);
		expect(files.filter((f) => !/^(nodes|credentials)\//.test(f))).toEqual([]);
	});
});

describe('tarball', () => {
	test('`npm pack` holds dist/, README.md, LICENSE and package.json, nothing else', () => {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: ours,
				env,
				encoding: 'utf8',
			}),
		) as [{ files: { path: string }[] }];
		const paths = packed.files.map((f) => f.path).sort();
		expect(paths.filter((p) => !p.startsWith('dist/'))).toEqual([
			'LICENSE',
			'README.md',
			'package.json',
		]);
		expect(paths.filter((p) => p.startsWith('dist/'))).toEqual(
			list(path.join(ours, 'dist')).map((f) => `dist/${f}`),
		);
		expect(paths).toEqual(expect.arrayContaining(pkg.n8n.nodes));
	});
});

describe('package.json and the files n8n’s reviewers check', () => {
	test('MIT, with a LICENSE file', () => {
		expect(pkg.license).toBe('MIT');
		const license = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
		expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} \S/);
		expect(license).toContain('Permission is hereby granted, free of charge');
	});

	test('repository, homepage, bugs and the codex links name one GitHub repository', () => {
		const m = /^git\+https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\.git$/.exec(pkg.repository.url);
		expect(m).not.toBeNull();
		const repo = `https://github.com/${m![1]}`;
		expect(pkg.repository.type).toBe('git');
		expect(pkg.homepage).toBe(`${repo}#readme`);
		expect(pkg.bugs.url).toBe(`${repo}/issues`);
		for (const node of pkg.n8n.nodes as string[]) {
			const codex = fs.readFileSync(
				path.join(root, node.replace(/^dist\//, '').replace(/\.js$/, '.json')),
				'utf8',
			);
			const urls = [...codex.matchAll(/https:\/\/github\.com\/[^"#]+/g)].map((u) => u[0]);
			expect(urls.length).toBeGreaterThan(0);
			for (const url of urls) expect(url).toBe(repo);
		}
	});

	test('an author with a name and an email', () => {
		expect(pkg.author.name).toMatch(/\S+ \S+/);
		expect(pkg.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/);
		expect(JSON.stringify(pkg.author)).not.toMatch(/example|placeholder|your|contributors/i);
	});

	test('no dangling main; engines; semver; no runtime dependencies', () => {
		if (pkg.main !== undefined) expect(fs.existsSync(path.join(root, pkg.main))).toBe(true);
		expect(pkg.engines.node).toMatch(/^>=\d+/);
		expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	test('CHANGELOG.md (Keep a Changelog) has an entry for this version', () => {
		const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
		expect(changelog).toContain('Keep a Changelog');
		expect(changelog).toMatch(
			new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
		);
		expect(changelog).toMatch(
			new RegExp(`^\\[${pkg.version.replace(/\./g, '\\.')}\\]: https://`, 'm'),
		);
	});
});
