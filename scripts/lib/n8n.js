// Helpers shared by `npm start` (scripts/start.js) and the e2e harness (test/e2e/harness.ts):
// install this package into an n8n user folder the way n8n's Community Nodes screen does,
// run n8n CLI commands, start and stop an n8n server, and talk to its REST API.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

const runtime = require('../n8n-runtime');

const PACKAGE_NAME = 'n8n-nodes-bri-bpjs';

/**
 * The n8n runtime a helper works with: a runtime of n8n-runtime.js's runtimeFor(), a version
 * ('1.123.81', '2.41'), or nothing for the default one (N8N_RUNTIME_VERSION, else the pinned one).
 */
function runtimeOf(chosen) {
	if (chosen && typeof chosen === 'object') return chosen;
	return chosen ? runtime.runtimeFor(chosen) : runtime.defaultRuntime;
}

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort(host = '127.0.0.1') {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, host, () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/** Resolves when nothing listens on host:port any more (or rejects after timeoutMs). */
async function waitPortFree(port, host = '127.0.0.1', timeoutMs = 10000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const busy = await new Promise((resolve) => {
			const socket = net.connect({ port, host });
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (!busy) return;
		if (Date.now() > deadline) throw new Error(`port ${port} still busy after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** `npm pack` of the repo (dist/ must be built) into destDir; returns the .tgz path. */
function packPackage(destDir, repoRoot = runtime.REPO_ROOT) {
	if (!fs.existsSync(path.join(repoRoot, 'dist')))
		throw new Error('dist/ is missing: run `npm run build` first');
	fs.mkdirSync(destDir, { recursive: true });
	const result = spawnSync(
		'npm',
		['pack', '--silent', '--ignore-scripts', '--pack-destination', destDir],
		{
			cwd: repoRoot,
			encoding: 'utf8',
			env: cleanNpmEnv({ PATH: runtime.pathWithNode24() }),
		},
	);
	if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr || result.stdout}`);
	const name = String(result.stdout.trim().split('\n').pop()).trim();
	return path.join(destDir, name);
}

/** @param {NodeJS.ProcessEnv} [extra] @returns {NodeJS.ProcessEnv} */
function cleanNpmEnv(extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, ...extra };
	for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
	env.npm_config_update_notifier = 'false';
	return env;
}

/**
 * Installs the package tarball into <userFolder>/.n8n/nodes the way n8n 2.40's Community Nodes
 * screen does (CommunityPackagesService.downloadPackage): unpack into
 * nodes/node_modules/<name>, drop devDependencies/peerDependencies/optionalDependencies from its
 * package.json, `npm install` its own dependencies there (none), and record it in
 * nodes/package.json. Peers such as n8n-workflow and luxon then resolve to n8n's own copies
 * through the NODE_PATH n8n sets at start, as in a real install.
 */
/** @param {{ userFolder: string, tgz: string, runtime?: any }} options */
function installCommunityPackage({ userFolder, tgz, runtime: chosen }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	const tar = spawnSync('tar', ['-xzf', tgz, '-C', packageDir, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
	const packageJsonPath = path.join(packageDir, 'package.json');
	// eslint-disable-next-line no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		fs.readFileSync(packageJsonPath, 'utf8'),
	);
	fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');
	const npm = spawnSync(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=error',
		],
		{ cwd: packageDir, encoding: 'utf8', env: cleanNpmEnv({ PATH: runtime.pathWithNode24() }) },
	);
	if (npm.status !== 0)
		throw new Error(`npm install in ${packageDir} failed: ${npm.stderr || npm.stdout}`);
	const nodesPackageJson = path.join(nodesDir, 'package.json');
	let nodesPackage = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		nodesPackage = JSON.parse(fs.readFileSync(nodesPackageJson, 'utf8'));
	} catch {
		/* first install */
	}
	nodesPackage.dependencies = { ...nodesPackage.dependencies, [PACKAGE_NAME]: packageJson.version };
	fs.writeFileSync(nodesPackageJson, JSON.stringify(nodesPackage, null, 2), 'utf8');
	const { missing } = verifyInstalledPackage(packageDir, chosen);
	return { packageDir, version: packageJson.version, missing };
}

/**
 * Loads every node and credential file of the installed package under the module paths n8n
 * gives community packages (its own node_modules, via NODE_PATH), but none of this repo's
 * node_modules: an import that only our devDependencies satisfy (luxon, n8n-workflow, …)
 * would fail here as it would in a user's n8n. Throws with the file and the missing module.
 * Loads them on the runtime's own Node (Node 22 for n8n 1.x).
 */
function verifyInstalledPackage(packageDir, chosen) {
	const rt = runtimeOf(chosen);
	const runtimeModules = rt.modulesDir;
	const nodePath = [path.join(runtimeModules, 'n8n', 'node_modules'), runtimeModules].join(
		path.delimiter,
	);
	const script = `
		const path = require('node:path');
		const Module = require('node:module');
		// Only the package's own folder and n8n's: cut the walk up into the repo's node_modules.
		const original = Module._nodeModulePaths;
		const allowed = process.env.PKG_DIR;
		Module._nodeModulePaths = (from) => original(from).filter((p) => p.startsWith(allowed + path.sep));
		const pkg = require(path.join(allowed, 'package.json'));
		const files = [...(pkg.n8n.nodes || []), ...(pkg.n8n.credentials || [])];
		const failures = [];
		const missing = [];
		for (const file of files) {
			const full = path.join(allowed, file);
			if (!require('node:fs').existsSync(full)) { missing.push(file); continue; }
			try { require(full); } catch (e) { failures.push(file + ': ' + e.message.split('\\n')[0]); }
		}
		if (missing.length) console.log(JSON.stringify(missing));
		try { require.resolve('luxon', { paths: [allowed] }); } catch (e) { failures.push('luxon does not resolve: ' + e.message.split('\\n')[0]); }
		if (failures.length) { console.error(failures.join('\\n')); process.exit(1); }
	`;
	const result = spawnSync(rt.nodeBin(), ['-e', script], {
		cwd: os.tmpdir(),
		encoding: 'utf8',
		env: { PATH: rt.pathWithNode(), NODE_PATH: nodePath, PKG_DIR: packageDir },
	});
	if (result.status !== 0) {
		throw new Error(
			`the installed package does not load in n8n's module paths:\n${result.stderr || result.stdout}`,
		);
	}
	// Files package.json names but the build has not made (yet): n8n logs and skips them.
	const missing = result.stdout.trim()
		? JSON.parse(String(result.stdout.trim().split('\n').pop()))
		: [];
	return { missing };
}

/**
 * Runs an n8n CLI command to completion; resolves { code, stdout, stderr }.
 * @param {string[]} args @param {NodeJS.ProcessEnv} env
 * @param {{ timeoutMs?: number, runtime?: any }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
function runCli(args, env, { timeoutMs = 180000, runtime: chosen } = {}) {
	const rt = runtimeOf(chosen);
	return new Promise((resolve, reject) => {
		const child = spawn(rt.nodeBin(), [rt.n8nBin(), ...args], {
			env,
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args[0]} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

async function runCliOk(args, env, options) {
	const result = await runCli(args, env, options);
	// n8n's import commands log an error and still exit 0 in some versions: check the text too.
	if (
		result.code !== 0 ||
		/An error occurred|Error importing|Error updating database/i.test(result.stdout + result.stderr)
	) {
		throw new Error(
			`n8n ${args.join(' ')} failed (exit ${result.code}):\n${tail(result.stdout + result.stderr, 40)}`,
		);
	}
	return result;
}

function tail(text, lines) {
	return String(text).split('\n').slice(-lines).join('\n');
}

/**
 * `n8n import:credentials` of plain-data credentials ({ id, name, type, data }); n8n encrypts them.
 * options as for runCli ({ runtime }).
 */
async function importCredentials(credentials, env, options) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cred-'));
	try {
		const file = path.join(dir, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
		await runCliOk(['import:credentials', `--input=${file}`], env, options);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** `n8n import:workflow` of workflow objects (each with an id). */
async function importWorkflows(workflows, env, options) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-wf-'));
	try {
		const file = path.join(dir, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify(workflows));
		await runCliOk(['import:workflow', `--input=${file}`], env, options);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** A 16-character n8n-style id derived from a name, so re-imports hit the same row. */
function stableId(name) {
	const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
	const bytes = crypto.createHash('sha256').update(name).digest();
	let id = '';
	for (let i = 0; i < 16; i++) id += alphabet[bytes[i] % alphabet.length];
	return id;
}

/**
 * Starts `n8n start` (or `command`: `webhook`, `worker`); output goes to logFile (and to the
 * console when echo is true). Returns { child, baseUrl, stop(), exited } once /healthz/readiness
 * answers 200 (a worker's on QUEUE_HEALTH_CHECK_PORT: pass healthPort), and for `start` also
 * /rest/settings.
 * @param {{ env: NodeJS.ProcessEnv, logFile: string, echo?: boolean, timeoutMs?: number, runtime?: any,
 *   command?: string | string[], healthPort?: number }} options
 */
async function startServer({
	env,
	logFile,
	echo = false,
	timeoutMs = 180000,
	runtime: chosen,
	command = 'start',
	healthPort,
}) {
	const rt = runtimeOf(chosen);
	const host = env.N8N_LISTEN_ADDRESS || '127.0.0.1';
	const baseUrl = `http://${host}:${healthPort ?? env.N8N_PORT}`;
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const log = fs.createWriteStream(logFile, { flags: 'a' });
	const child = spawn(rt.nodeBin(), [rt.n8nBin(), ...[command].flat()], {
		env,
		cwd: env.N8N_USER_FOLDER,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // own process group, so stop() also ends the task runner it spawns
	});
	let recent = '';
	const onData = (chunk) => {
		log.write(chunk);
		recent = (recent + chunk).slice(-8000);
		if (echo) process.stdout.write(chunk);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	);
	let hasExited = false;
	exited.then(() => {
		hasExited = true;
		log.end();
	});

	async function stop(graceMs = 15000) {
		if (hasExited) return;
		await stopGroup(child.pid, exited, graceMs);
	}

	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (hasExited) throw new Error(`n8n exited during start-up; last output:\n${tail(recent, 40)}`);
		try {
			const response = await fetch(`${baseUrl}/healthz/readiness`, {
				signal: AbortSignal.timeout(2000),
			});
			// n8n 1.x is "ready" once the database is migrated, seconds before its REST routes exist.
			if (response.status === 200 && [command].flat()[0] !== 'start') break;
			if (response.status === 200) {
				const settings = await fetch(`${baseUrl}/${env.N8N_ENDPOINT_REST || 'rest'}/settings`, {
					signal: AbortSignal.timeout(2000),
				});
				if (settings.status === 200) break;
			}
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n did not become ready within ${timeoutMs / 1000} s; last output:\n${tail(recent, 40)}`,
			);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return { child, baseUrl, stop, exited, output: () => recent };
}

/** SIGTERM to a detached child's process group, SIGKILL after graceMs; resolves once `exited` does. */
async function stopGroup(pid, exited, graceMs = 15000) {
	try {
		process.kill(-pid, 'SIGTERM');
	} catch {
		/* already gone */
	}
	const timer = setTimeout(() => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}, graceMs);
	await exited;
	clearTimeout(timer);
}

/** A small client for n8n's internal REST API (/rest), with the owner's session cookie. */
class RestClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.cookie = '';
		// n8n ties the session cookie to a browser id sent on every request.
		this.browserId = crypto.randomUUID();
	}

	async request(method, urlPath, body, { raw = false, headers = {} } = {}) {
		const send = () =>
			fetch(`${this.baseUrl}${urlPath}`, {
				method,
				headers: {
					'browser-id': this.browserId,
					...(this.cookie ? { cookie: this.cookie } : {}),
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
					...headers,
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		let response;
		for (let attempt = 0; ; attempt++) {
			try {
				response = await send();
				break;
			} catch (error) {
				// Under load n8n sometimes closes a kept-alive socket just as a request goes out
				// ("fetch failed", "other side closed"); a read is safe to send again, a write is not.
				if (method !== 'GET' || attempt >= 4) throw error;
				await new Promise((r) => setTimeout(r, 250));
			}
		}
		const setCookie = response.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) {
			const pair = c.split(';')[0];
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
		if (raw) return response;
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!response.ok) {
			const error = /** @type {Error & { status?: number, body?: unknown }} */ (
				new Error(`${method} ${urlPath} → HTTP ${response.status}: ${text.slice(0, 500)}`)
			);
			error.status = response.status;
			error.body = json ?? text;
			throw error;
		}
		// Internal REST answers are wrapped in { data }.
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	get(urlPath) {
		return this.request('GET', `/rest${urlPath}`);
	}

	post(urlPath, body = {}) {
		return this.request('POST', `/rest${urlPath}`, body);
	}

	patch(urlPath, body = {}) {
		return this.request('PATCH', `/rest${urlPath}`, body);
	}

	async settings() {
		return this.get('/settings');
	}

	/** Creates the owner on a fresh instance (the form n8n shows on first open). Returns false if one exists. */
	async setupOwner({ email, password, firstName, lastName }) {
		const settings = await this.settings();
		if (!settings.userManagement?.showSetupOnFirstLoad) return false;
		await this.post('/owner/setup', { email, password, firstName, lastName });
		return true;
	}

	async login(email, password) {
		await this.post('/login', { emailOrLdapLoginId: email, password });
		if (!this.cookie) throw new Error('login answered without an n8n-auth cookie');
	}
}

module.exports = {
	PACKAGE_NAME,
	runtimeOf,
	freePort,
	waitPortFree,
	packPackage,
	installCommunityPackage,
	verifyInstalledPackage,
	runCli,
	runCliOk,
	importCredentials,
	importWorkflows,
	stableId,
	startServer,
	stopGroup,
	RestClient,
	tail,
};
