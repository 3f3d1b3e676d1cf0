// Debian's Chromium for the browser e2e test (test/e2e/editor.test.ts), driven by playwright-core
// with executablePath: never a browser download. Installed with apt-get when missing.
'use strict';

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Flags that keep Chromium off the network this machine does not have, headless, as root.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

function log(message) {
	process.stderr.write(`[chromium] ${message}\n`);
}

function chromiumWorks() {
	if (!fs.existsSync(CHROMIUM)) return false;
	const result = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 30000 });
	return result.status === 0;
}

/** Installs Debian's chromium with apt-get if /usr/bin/chromium is missing. Throws with a clear message. */
function ensureChromium() {
	if (chromiumWorks()) return CHROMIUM;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not run`);
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error(
			'Chromium is missing and installing it needs root: run `sudo apt-get install -y chromium`',
		);
	}
	log('installing Debian chromium with apt-get (once; about a minute)');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [
		['update'],
		['install', '-y', '--no-install-recommends', 'chromium', 'fonts-liberation'],
	]) {
		const started = Date.now();
		log(`$ apt-get ${args.join(' ')}`);
		const result = spawnSync('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=600', ...args], {
			stdio: ['ignore', 'ignore', 'inherit'],
			env,
		});
		if (result.status !== 0)
			throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
		log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
	}
	if (!chromiumWorks()) throw new Error(`apt-get installed chromium but ${CHROMIUM} does not run`);
	return CHROMIUM;
}

module.exports = { CHROMIUM, CHROMIUM_ARGS, ensureChromium, chromiumWorks };

if (require.main === module) {
	try {
		ensureChromium();
		log(`ready: ${spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
	} catch (error) {
		log(`ERROR: ${error.message}`);
		process.exit(1);
	}
}
