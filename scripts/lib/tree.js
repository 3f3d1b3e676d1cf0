// A copy of the git tree as a fresh clone (or GitHub's archive of the commit) would hold it: the
// tracked files and the new, unignored ones, as they are in the working tree. Used by the scanner
// run (scripts/scan.js) and the build comparison (test/unit/package.test.ts).
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

/** Copies the tree at `root` into `into`; returns how many files were copied. */
function copyGitTree(root, into) {
	const files = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{ cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
	)
		.split('\0')
		// Files only: not deleted-but-uncommitted ones, nor a symlinked folder such as a linked
		// node_modules (git's `node_modules/` ignore pattern matches folders, not links).
		.filter(
			(file) => file && fs.statSync(path.join(root, file), { throwIfNoEntry: false })?.isFile(),
		);
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
		fs.copyFileSync(path.join(root, file), path.join(into, file));
	}
	return files.length;
}

module.exports = { copyGitTree };
