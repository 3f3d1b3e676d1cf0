// Copies what tsc does not: node and credential icons, and codex files (*.node.json).
const path = require('node:path');
const { task, src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false, // keep icons byte-exact (gulp 5 reads files as UTF-8 by default)
	}).pipe(dest(path.resolve('dist')));
}

task('build:assets', copyAssets);
