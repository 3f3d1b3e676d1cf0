#!/usr/bin/env node
// n8n's verification scanner (@n8n/scan-community-package), both of its legs, run locally:
//   source:  analyzePackage(<copy of the git tree>, SOURCE_FILE_PATTERNS)
//   tarball: analyzePackage(<npm pack of dist/, unpacked>, ['**/*.js', 'package.json'])
// exactly as its analyzePackageByName calls them, but on a local copy instead of the GitHub
// archive and the registry tarball (no download). analyzePackage fails on errors only; n8n's
// reviewers read warnings too, so each leg is linted a second time with the scanner's own
// ESLint options (buildScanConfig, allowInlineConfig: false) to count warnings. Needs `npm run build`.
// Exit code 0 only with 0 errors and 0 warnings in both legs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { copyGitTree } = require('./lib/tree');

const root = path.resolve(__dirname, '..');

/** `npm pack` into `into`, unpacked there as the scanner does (tar --strip-components=1). */
function packAndUnpack(into) {
	if (!fs.existsSync(path.join(root, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` before `npm run scan`');
	}
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', into], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	);
	const tarball = path.join(into, packed[0].filename);
	const dir = path.join(into, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	fs.unlinkSync(tarball);
	return { dir, files: packed[0].files.length };
}

async function countProblems(ESLint, buildScanConfig, glob, dir, patterns) {
	// The same ESLint options and file list as the scanner's analyzePackage.
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const text =
		errors + warnings ? await (await eslint.loadFormatter('stylish')).format(results) : '';
	return { files: files.length, errors, warnings, text };
}

async function main() {
	const scannerDir = path.dirname(require.resolve('@n8n/scan-community-package/package.json'));
	const scanner = await import(path.join(scannerDir, 'scanner', 'scanner.mjs'));
	// The scanner's own copies of ESLint and fast-glob (its dependencies), not the project's.
	const { ESLint } = require(require.resolve('eslint', { paths: [scannerDir] }));
	const glob = require(require.resolve('fast-glob', { paths: [scannerDir] }));
	const { version } = require(path.join(scannerDir, 'package.json'));
	const name = require(path.join(root, 'package.json')).name;

	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	let failed = false;
	try {
		const sourceCopy = path.join(tmp, 'source');
		const copied = copyGitTree(root, sourceCopy);
		const sourceDir = scanner.findPackageRoot(sourceCopy, name);
		if (!sourceDir) throw new Error(`no package.json named ${name} in the source copy`);
		const tarball = packAndUnpack(path.join(tmp));

		const legs = [
			{
				leg: 'source',
				dir: sourceDir,
				patterns: scanner.SOURCE_FILE_PATTERNS,
				what: `${copied} files of the git tree`,
			},
			{
				leg: 'tarball',
				dir: tarball.dir,
				patterns: ['**/*.js', 'package.json'],
				what: `npm pack, ${tarball.files} files`,
			},
		];
		console.log(`@n8n/scan-community-package ${version}, analyzePackage on ${name}:`);
		for (const { leg, dir, patterns, what } of legs) {
			const verdict = await scanner.analyzePackage(dir, patterns);
			const counts = await countProblems(ESLint, scanner.buildScanConfig, glob, dir, patterns);
			const ok = verdict.passed && counts.errors === 0 && counts.warnings === 0;
			failed ||= !ok;
			console.log(
				`  ${ok ? 'PASS' : 'FAIL'} ${leg} (${what}; ${counts.files} files linted): ` +
					`${counts.errors} errors, ${counts.warnings} warnings` +
					(verdict.passed ? '' : `; scanner: ${verdict.message}`),
			);
			if (verdict.details) console.log(verdict.details);
			else if (counts.text) console.log(counts.text);
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
