// n8n in queue mode on one machine, for `npm run test:queue`, `npm start -- --queue` and
// bench/queue.js: Debian's PostgreSQL and Redis as our own processes on 127.0.0.1 and free
// ports (data in a temporary folder, never the system services), then an n8n main, N
// `n8n webhook` processes and M `n8n worker`s sharing one N8N_ENCRYPTION_KEY.
//
//   const services = await startServices({ dir });          // { postgres, redis, stop() }
//   const cluster = await startCluster({ services, ... });   // { main, webhooks, workers, stop() }
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

const runtime = require('../n8n-runtime');
const lib = require('./n8n');

const HOST = '127.0.0.1';
const DATABASE = 'n8n';

function log(message) {
	process.stderr.write(`[queue] ${message}\n`);
}

/** PostgreSQL's server binaries: POSTGRES_BIN_DIR, else the newest /usr/lib/postgresql/<v>/bin. */
function postgresBinDir() {
	if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
	const root = '/usr/lib/postgresql';
	let versions = [];
	try {
		versions = fs
			.readdirSync(root)
			.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
			.sort((a, b) => Number(b) - Number(a));
	} catch {
		/* not installed */
	}
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

function redisServerBin() {
	return process.env.REDIS_SERVER_BIN || '/usr/bin/redis-server';
}

const runs = (bin, args = ['--version']) =>
	Boolean(bin) &&
	fs.existsSync(bin) &&
	spawnSync(bin, args, { encoding: 'utf8', timeout: 30000 }).status === 0;

/**
 * What queue mode lacks on this machine: [] when PostgreSQL and Redis are both there, else one
 * line per missing server naming it and how to install it.
 */
function missingServices() {
	const missing = [];
	const pgDir = postgresBinDir();
	if (!pgDir || !runs(path.join(pgDir, 'postgres')) || !runs(path.join(pgDir, 'initdb')))
		missing.push(
			`PostgreSQL is missing (${process.env.POSTGRES_BIN_DIR ? `POSTGRES_BIN_DIR=${process.env.POSTGRES_BIN_DIR} has no working postgres and initdb` : 'no /usr/lib/postgresql/<version>/bin/postgres'}): install it with \`sudo apt-get install -y postgresql\``,
		);
	if (!runs(redisServerBin()))
		missing.push(
			`Redis is missing (${process.env.REDIS_SERVER_BIN ? `REDIS_SERVER_BIN=${process.env.REDIS_SERVER_BIN} does not run` : 'no /usr/bin/redis-server'}): install it with \`sudo apt-get install -y redis-server\``,
		);
	return missing;
}

/**
 * Installs Debian's postgresql and redis-server with apt-get when missing (as root, as
 * scripts/lib/chromium.js does for chromium). Throws a message naming what is missing and how
 * to install it when that cannot be done: not root, binaries pointed elsewhere, or
 * QUEUE_NO_INSTALL=1.
 */
function ensureServices() {
	let missing = missingServices();
	if (missing.length === 0) return;
	const explain = (lines) =>
		new Error(`n8n queue mode needs PostgreSQL and Redis:\n  ${lines.join('\n  ')}`);
	const pointedElsewhere = process.env.POSTGRES_BIN_DIR || process.env.REDIS_SERVER_BIN;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!root || pointedElsewhere || process.env.QUEUE_NO_INSTALL === '1') throw explain(missing);
	const packages = [];
	if (missing.some((m) => m.startsWith('PostgreSQL'))) packages.push('postgresql');
	if (missing.some((m) => m.startsWith('Redis'))) packages.push('redis-server');
	log(`installing Debian ${packages.join(' and ')} with apt-get (once; about a minute)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
		log(`$ apt-get ${args.join(' ')}`);
		const result = spawnSync('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=600', ...args], {
			stdio: ['ignore', 'ignore', 'inherit'],
			env,
		});
		if (result.status !== 0) throw explain([...missing, `(apt-get ${args[0]} failed)`]);
	}
	missing = missingServices();
	if (missing.length) throw explain(missing);
}

/** Spawns a server in its own process group; resolves once ready() is true. */
/**
 * @param {string} name @param {string} bin @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, logFile: string, ready: () => Promise<boolean>, uid?: number,
 *   gid?: number, timeoutMs?: number }} options
 */
async function spawnServer(name, bin, args, { env, logFile, ready, uid, gid, timeoutMs = 60000 }) {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(bin, args, {
		env,
		stdio: ['ignore', out, out],
		detached: true,
		...(uid === undefined ? {} : { uid, gid }),
	});
	fs.closeSync(out);
	/** @type {{ code: number | null, signal: NodeJS.Signals | null } | undefined} */
	let exit;
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exit = { code, signal };
			resolve(exit);
		}),
	);
	const stop = async (graceMs = 10000) => {
		if (!exit) await lib.stopGroup(child.pid, exited, graceMs);
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exit)
			throw new Error(
				`${name} exited during start-up (${exit.code ?? exit.signal}); its log:\n${lib.tail(fs.readFileSync(logFile, 'utf8'), 20)}`,
			);
		if (await ready()) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${name} did not start within ${timeoutMs / 1000} s (log ${logFile})`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return { pid: child.pid, stop, exited };
}

/**
 * PostgreSQL and Redis as our own processes in `dir`, on free ports of 127.0.0.1. PostgreSQL
 * refuses to run as root: as root its data folder belongs to the `postgres` user Debian's
 * package creates, and the server runs as that user.
 */
async function startServices({ dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bri-queue-')) } = {}) {
	ensureServices();
	const stops = [];
	const stop = async () => {
		for (const fn of stops.splice(0).reverse()) await fn().catch(() => undefined);
	};
	try {
		const pgBin = /** @type {string} */ (postgresBinDir()); // ensureServices() made sure
		const pgData = path.join(dir, 'postgres');
		const pgSocket = path.join(dir, 'pg-socket');
		fs.mkdirSync(pgData, { recursive: true, mode: 0o700 });
		fs.mkdirSync(pgSocket, { recursive: true });
		let uid;
		let gid;
		if (process.getuid?.() === 0) {
			const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
			if (id('-u').status !== 0)
				throw new Error(
					'PostgreSQL cannot run as root and there is no `postgres` user: `sudo apt-get install -y postgresql` creates it',
				);
			uid = Number(id('-u').stdout);
			gid = Number(id('-g').stdout);
			fs.chmodSync(dir, 0o755);
			for (const d of [pgData, pgSocket]) fs.chownSync(d, uid, gid);
		}
		const asPg = { ...(uid === undefined ? {} : { uid, gid }) };
		const init = spawnSync(
			path.join(pgBin, 'initdb'),
			['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'],
			{ encoding: 'utf8', ...asPg, cwd: dir },
		);
		if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
		const pgPort = await lib.freePort();
		const pgLog = path.join(dir, 'postgres.log');
		const isReady = () =>
			spawnSync(path.join(pgBin, 'pg_isready'), ['-h', HOST, '-p', String(pgPort), '-q']).status ===
			0;
		const postgres = await spawnServer(
			'PostgreSQL',
			path.join(pgBin, 'postgres'),
			[
				'-D',
				pgData,
				'-p',
				String(pgPort),
				'-h',
				HOST,
				'-k',
				pgSocket,
				'-c',
				'max_connections=200',
				'-c',
				'fsync=off', // test data, thrown away: speed over durability
				'-c',
				'synchronous_commit=off',
			],
			{
				env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
				logFile: pgLog,
				ready: async () => isReady(),
				...asPg,
			},
		);
		stops.push(() => postgres.stop());
		const psql = (sql, database = 'postgres') => {
			const result = spawnSync(
				'psql',
				[
					'-h',
					HOST,
					'-p',
					String(pgPort),
					'-U',
					'postgres',
					'-d',
					database,
					'-At',
					'-v',
					'ON_ERROR_STOP=1',
					'-c',
					sql,
				],
				{ encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
			);
			if (result.status !== 0)
				throw new Error(
					`psql: ${result.error?.message ?? ''} ${result.stderr || result.stdout.slice(0, 500)}`,
				);
			return result.stdout.trim();
		};
		psql(`CREATE DATABASE ${DATABASE}`);

		const redisPort = await lib.freePort();
		const redisDir = path.join(dir, 'redis');
		fs.mkdirSync(redisDir, { recursive: true });
		const redisCli = (...args) =>
			spawnSync('redis-cli', ['-h', HOST, '-p', String(redisPort), ...args], {
				encoding: 'utf8',
			});
		const redis = await spawnServer(
			'Redis',
			redisServerBin(),
			[
				'--port',
				String(redisPort),
				'--bind',
				HOST,
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				redisDir,
			],
			{
				env: { PATH: process.env.PATH },
				logFile: path.join(dir, 'redis.log'),
				ready: async () => redisCli('ping').stdout?.trim() === 'PONG',
			},
		);
		stops.push(() => redis.stop());
		return {
			dir,
			postgres: {
				host: HOST,
				port: pgPort,
				user: 'postgres',
				database: DATABASE,
				pid: postgres.pid,
				psql,
			},
			redis: { host: HOST, port: redisPort, pid: redis.pid, cli: redisCli },
			stop: async () => {
				await stop();
				fs.rmSync(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await stop();
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}

/** n8n's queue-mode environment for one process (n8n 2.40.7's @n8n/config names). */
function queueEnv({ services, encryptionKey, extra = {} }) {
	return {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: services.postgres.host,
		DB_POSTGRESDB_PORT: String(services.postgres.port),
		DB_POSTGRESDB_DATABASE: services.postgres.database,
		DB_POSTGRESDB_USER: services.postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: services.redis.host,
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		// Production webhooks are the webhook processes' job; the main serves the editor and API.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		...extra,
	};
}

/**
 * Checks that Redis and PostgreSQL answer before n8n is started against them, and says which
 * one does not (n8n itself would retry and log a stack trace).
 */
async function checkReachable({ redisHost, redisPort, pgHost, pgPort }) {
	const net = require('node:net');
	const open = (port, host) =>
		new Promise((resolve) => {
			const socket = net.connect({ port: Number(port), host });
			socket.setTimeout(3000, () => {
				socket.destroy();
				resolve(false);
			});
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
	const missing = [];
	if (!(await open(pgPort, pgHost)))
		missing.push(
			`PostgreSQL does not answer on ${pgHost}:${pgPort} (DB_POSTGRESDB_HOST/PORT): start it, or install it with \`sudo apt-get install -y postgresql\``,
		);
	if (!(await open(redisPort, redisHost)))
		missing.push(
			`Redis does not answer on ${redisHost}:${redisPort} (QUEUE_BULL_REDIS_HOST/PORT): start it, or install it with \`sudo apt-get install -y redis-server\``,
		);
	if (missing.length)
		throw new Error(`n8n queue mode needs PostgreSQL and Redis:\n  ${missing.join('\n  ')}`);
}

/**
 * n8n main + `webhooks` webhook processes + `workers` workers, each in its own user folder with
 * this package installed (the same tarball), all on one database, one Redis and one key.
 * `tgz` is the packed package; `logDir` keeps one log per process.
 * Returns { main, webhooks: [..], workers: [..], encryptionKey, env(extra), stop() }; each
 * process is { name, baseUrl, port, pid, stop(), kill(), exited, userFolder }.
 * @param {{ services: any, tgz: string, logDir: string, webhooks?: number, workers?: number,
 *   concurrency?: number, encryptionKey?: string, extra?: Record<string, string>, mainPort?: number,
 *   mainUserFolder?: string, echo?: boolean }} options
 */
async function startCluster({
	services,
	tgz,
	logDir,
	webhooks = 2,
	workers = 1,
	concurrency = 10,
	encryptionKey = crypto.randomBytes(24).toString('base64'),
	extra = {},
	mainPort,
	mainUserFolder,
	echo = false,
}) {
	await checkReachable({
		redisHost: services.redis.host,
		redisPort: services.redis.port,
		pgHost: services.postgres.host,
		pgPort: services.postgres.port,
	});
	fs.mkdirSync(logDir, { recursive: true });
	const base = fs.mkdtempSync(path.join(os.tmpdir(), 'bri-queue-n8n-'));
	const processes = [];
	const stop = async () => {
		// Workers and webhook processes first, the main last (it owns the leader key in Redis).
		for (const p of processes.splice(0).reverse()) await p.stop().catch(() => undefined);
		fs.rmSync(base, { recursive: true, force: true });
	};
	const shared = queueEnv({ services, encryptionKey, extra });
	// The webhook processes' ports are chosen first, so the main's editor shows production
	// webhook URLs on the first one (WEBHOOK_URL: in production, the load balancer in front).
	const webhookPorts = [];
	for (let i = 0; i < webhooks; i++) webhookPorts.push(await lib.freePort());
	const webhookBase = webhookPorts.length ? `http://${HOST}:${webhookPorts[0]}/` : '';

	/**
	 * @param {string} name @param {string | string[]} command
	 * @param {{ port?: number, userFolder?: string, health?: boolean }} [options]
	 */
	async function launch(name, command, { port, userFolder, health } = {}) {
		userFolder ??= path.join(base, name);
		fs.mkdirSync(userFolder, { recursive: true });
		lib.installCommunityPackage({ userFolder, tgz });
		port ??= await lib.freePort();
		const healthPort = health ? await lib.freePort() : undefined;
		const env = runtime.n8nEnv({
			userFolder,
			port,
			brokerPort: await lib.freePort(),
			extra: {
				...shared,
				...(webhookBase ? { WEBHOOK_URL: webhookBase } : {}),
				...(health
					? {
							QUEUE_HEALTH_CHECK_ACTIVE: 'true',
							QUEUE_HEALTH_CHECK_PORT: String(healthPort),
							N8N_WORKER_SERVER_ADDRESS: HOST,
						}
					: {}),
			},
		});
		const server = await lib.startServer({
			env,
			logFile: path.join(logDir, `${name}.log`),
			command,
			healthPort,
			echo,
		});
		const proc = {
			name,
			port,
			baseUrl: server.baseUrl,
			pid: server.child.pid,
			userFolder,
			exited: server.exited,
			stop: () => server.stop(),
			output: () => server.output(),
			/** SIGKILL, as a crash or an OOM kill would end it. */
			kill: async () => {
				try {
					process.kill(-(server.child.pid ?? 0), 'SIGKILL');
				} catch {
					/* gone */
				}
				await server.exited;
			},
		};
		processes.push(proc);
		return proc;
	}

	try {
		const main = await launch('main', 'start', { port: mainPort, userFolder: mainUserFolder });
		const webhookProcs = [];
		for (let i = 1; i <= webhooks; i++)
			webhookProcs.push(await launch(`webhook-${i}`, 'webhook', { port: webhookPorts[i - 1] }));
		const workerProcs = [];
		for (let i = 1; i <= workers; i++)
			workerProcs.push(
				await launch(`worker-${i}`, ['worker', `--concurrency=${concurrency}`], { health: true }),
			);
		return {
			main,
			webhooks: webhookProcs,
			workers: workerProcs,
			encryptionKey,
			processes: () => [...processes],
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * BRI Smart Billing Trigger → No Op, as the queue suite and bench/queue.js publish it. `credential`
 * is { id, name } of a BRI API credential.
 */
function callbackWorkflow({ name, webhookId, settings = {}, credential }) {
	const trigger = 'BRI Smart Billing Trigger';
	return {
		name,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: trigger,
				type: 'n8n-nodes-bri-bpjs.briSmartBillingTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { settings },
				...(credential ? { credentials: { briApi: credential } } : {}),
			},
			{
				id: crypto.randomUUID(),
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [300, 0],
				parameters: {},
			},
		],
		connections: { [trigger]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The key in <userFolder>/.n8n/config (n8n refuses another), or a new one when there is none. */
function encryptionKeyOf(userFolder) {
	try {
		const key = JSON.parse(
			fs.readFileSync(path.join(userFolder, '.n8n', 'config'), 'utf8'),
		).encryptionKey;
		if (key) return key;
	} catch {
		/* first start */
	}
	return crypto.randomBytes(24).toString('base64');
}

/** Resident memory (RSS, MB) of a process and its descendants (n8n's task runners). */
function rssMb(pid) {
	const ps = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' });
	const rows = ps.stdout
		.trim()
		.split('\n')
		.map((l) => l.trim().split(/\s+/).map(Number));
	const tree = new Set([pid]);
	for (let grew = true; grew;) {
		grew = false;
		for (const [p, pp] of rows)
			if (tree.has(pp) && !tree.has(p)) {
				tree.add(p);
				grew = true;
			}
	}
	return Math.round(
		rows.filter(([p]) => tree.has(p)).reduce((sum, [, , rss]) => sum + rss, 0) / 1024,
	);
}

module.exports = {
	missingServices,
	ensureServices,
	startServices,
	startCluster,
	queueEnv,
	checkReachable,
	encryptionKeyOf,
	callbackWorkflow,
	rssMb,
};
