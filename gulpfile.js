// Copies what tsc does not: node and credential icons. Codex files (*.node.json) are emitted by
// tsc itself (tsconfig.json includes them), so `n8n-node build`, which runs tsc and copies icons
// only, gives the same dist/ (test/unit/build.test.ts compares the two).
const path = require('node:path');
const { task, src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false, // keep icons byte-exact (gulp 5 reads files as UTF-8 by default)
	}).pipe(dest(path.resolve('dist')));
}

task('build:assets', copyAssets);
