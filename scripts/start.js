#!/usr/bin/env node
// `npm start` (after `npm run build`): a real n8n 2.40.7 with this package loaded, the BSB and
// CATAPA emulators, an owner account, credentials that point at the emulators, and the
// example workflows. Ctrl-C stops everything it started; a second start reuses the data.
//
// Options (flag or environment variable):
//   --port <n>          N8N_PORT              n8n editor/API/webhooks (default 5678)
//   --user-folder <d>   N8N_USER_FOLDER       n8n data (default .n8n-data/ in the repo)
//   --bsb-port <n>      BSB_EMULATOR_PORT     BSB emulator (default 4010)
//   --catapa-port <n>   CATAPA_EMULATOR_PORT  CATAPA emulator (default 4020)
//   --broker-port <n>   N8N_RUNNERS_BROKER_PORT  n8n task-runner broker (default: a free port)
//   --verbose                                 echo n8n's own log (always in <user folder>/n8n.log)
//   --queue                                   queue mode: main + 2 webhook processes + 1 worker on
//                                             PostgreSQL and Redis (own processes; data thrown away)
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('./n8n-runtime');
const lib = require('./lib/n8n');
const demo = require('./lib/demo');
const queueLib = require('./lib/queue');

// The order a new user meets the examples in: bill from the table, see callbacks mark rows paid,
// then the report, BPJS and the agent. Ids are the examples' own (examples/*.json).
const TRY_ORDER = [
	'briMonthlyInv001',
	'briMarkPaid00001',
	'briDailyReport01',
	'bpjsHrTable00001',
	'briBillingAgent1',
];
function tryOrder(id) {
	const rank = TRY_ORDER.indexOf(id);
	return rank === -1 ? TRY_ORDER.length : rank;
}

function parseArgs(argv) {
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--'))
			throw new Error(`unexpected argument ${a} (see the top of scripts/start.js)`);
		const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
		if (inline !== undefined) out[name] = inline;
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[name] = argv[++i];
		else out[name] = true;
	}
	return out;
}

function portOption(value, name) {
	if (value === undefined || value === '') return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0 || n > 65535)
		throw new Error(`${name} must be a port number, got ${value}`);
	return n;
}

/** What this start imported, and what an earlier start had imported already. */
function examplesLines(workflows) {
	const now = workflows.filter((w) => w.importedNow).map((w) => w.name);
	const before = workflows.filter((w) => !w.importedNow).map((w) => w.name);
	return [
		...(now.length > 0 ? [`  Examples imported now: ${now.join('; ')}`] : []),
		...(before.length > 0
			? [`  Examples already there (your edits kept): ${before.join('; ')}`]
			: []),
		...(workflows.length === 0 ? ['  Examples: none found in examples/'] : []),
	];
}

/** Whether the emulators' data came back from the data folder or started fresh. */
function emulatorDataLine({ bsb, catapa }, userFolder) {
	const r = bsb.restored;
	const c = catapa?.restored;
	const where = path.join(userFolder, 'emulator-*.json');
	return r
		? `  Emulator data restored from ${where}: ${r.invoices} invoice(s), ${r.payments} payment(s)${c ? `, ${c.memberships} BPJS membership(s)` : ''} (delete those files to start the emulators afresh)`
		: `  Emulator data started fresh (demo data), saved in ${where} for the next start`;
}

function say(line = '') {
	process.stdout.write(`${line}\n`);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		say(
			fs
				.readFileSync(__filename, 'utf8')
				.split('\n')
				.slice(1, 15)
				.join('\n')
				.replace(/^\/\/ ?/gm, ''),
		);
		return;
	}
	const port = portOption(args.port ?? process.env.N8N_PORT, 'N8N_PORT') ?? 5678;
	const bsbPort =
		portOption(args['bsb-port'] ?? process.env.BSB_EMULATOR_PORT, 'BSB_EMULATOR_PORT') ?? 4010;
	const catapaPort =
		portOption(args['catapa-port'] ?? process.env.CATAPA_EMULATOR_PORT, 'CATAPA_EMULATOR_PORT') ??
		4020;
	const queueMode = Boolean(args.queue);
	const userFolder = path.resolve(
		args['user-folder'] ??
			process.env.N8N_USER_FOLDER ??
			path.join(runtime.REPO_ROOT, queueMode ? '.n8n-data-queue' : '.n8n-data'),
	);
	const verbose = Boolean(args.verbose);

	// Everything started below is stopped on Ctrl-C, in reverse order.
	const cleanups = [];
	let stopping = false;
	const stopAll = async (code) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the emulators …');
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (error) {
				process.stderr.write(`  while stopping: ${error.message}\n`);
			}
		}
		process.exit(code);
	};
	process.on('SIGINT', () => stopAll(0));
	process.on('SIGTERM', () => stopAll(0));

	try {
		const started = Date.now();
		say('n8n-nodes-bri-bpjs: starting a real n8n with these nodes');
		say(`1/5 n8n ${runtime.N8N_VERSION} runtime`);
		runtime.ensureRuntime();
		let services;
		if (queueMode) {
			say('   queue mode: PostgreSQL and Redis (own processes on free ports)');
			services = await queueLib.startServices();
			cleanups.push(() => services.stop());
		}

		say('2/5 emulators');
		// Their data lives in the user folder too, so a restart finds the invoices the table names.
		const emulators = await require('../emulator/index.js').startAll({
			bsbPort,
			catapaPort,
			quiet: true,
			stateDir: userFolder,
		});
		cleanups.push(() => emulators.close());
		const brokerPort =
			portOption(
				args['broker-port'] ?? process.env.N8N_RUNNERS_BROKER_PORT,
				'N8N_RUNNERS_BROKER_PORT',
			) ?? (await lib.freePort());

		const shownFolder = path.relative(process.cwd(), userFolder).startsWith('..')
			? userFolder
			: path.relative(process.cwd(), userFolder) || '.';
		say(
			`3/5 install this package into ${shownFolder}/.n8n/nodes (as Settings → Community Nodes does)`,
		);
		fs.mkdirSync(userFolder, { recursive: true });
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bri-bpjs-pack-'));
		let installed;
		try {
			installed = lib.installCommunityPackage({ userFolder, tgz: lib.packPackage(packDir) });
		} finally {
			fs.rmSync(packDir, { recursive: true, force: true });
		}
		if (installed.missing.length > 0) {
			say(
				`  WARNING: package.json names files the build did not make: ${installed.missing.join(', ')}`,
			);
			say('  n8n will not load the package until they exist.');
		}

		say('4/5 credentials and example workflows');
		// CLI commands run beside no server yet, but get their own broker port all the same.
		// Queue mode: a fresh database each start, so the examples are imported again.
		if (queueMode) fs.rmSync(path.join(userFolder, 'bri-bpjs-demo.json'), { force: true });
		const queueEnv = queueMode
			? queueLib.queueEnv({ services, encryptionKey: queueLib.encryptionKeyOf(userFolder) })
			: {};
		const cliEnv = runtime.n8nEnv({
			userFolder,
			port,
			brokerPort: await lib.freePort(),
			extra: queueEnv,
		});
		const seeded = await demo.seedUserFolder({
			userFolder,
			env: cliEnv,
			bsbUrl: emulators.bsb.url,
			catapaUrl: emulators.catapa?.url,
			examplesDir: path.join(runtime.REPO_ROOT, 'examples'),
		});

		say(
			`5/5 n8n on http://127.0.0.1:${port} (log: ${path.join(userFolder, queueMode ? 'logs' : 'n8n.log')})`,
		);
		await lib.waitPortFree(port).catch(() => {
			throw new Error(`port ${port} is in use: stop what runs there or pass --port <another>`);
		});
		let server;
		let cluster;
		if (queueMode) {
			say('   queue mode: n8n main, 2 webhook processes and 1 worker');
			const clusterPack = fs.mkdtempSync(path.join(os.tmpdir(), 'bri-bpjs-pack-'));
			try {
				cluster = await queueLib.startCluster({
					services,
					tgz: lib.packPackage(clusterPack),
					logDir: path.join(userFolder, 'logs'),
					mainPort: port,
					mainUserFolder: userFolder,
					encryptionKey: queueEnv.N8N_ENCRYPTION_KEY,
					echo: verbose,
				});
			} finally {
				fs.rmSync(clusterPack, { recursive: true, force: true });
			}
			cleanups.push(() => cluster.stop());
			server = { ...cluster.main, output: () => cluster.main.output() };
		} else {
			const env = runtime.n8nEnv({ userFolder, port, brokerPort });
			server = await lib.startServer({
				env,
				logFile: path.join(userFolder, 'n8n.log'),
				echo: verbose,
			});
			cleanups.push(() => server.stop());
		}
		for (const proc of cluster ? cluster.processes() : [server]) {
			proc.exited.then(({ code, signal }) => {
				if (stopping) return;
				process.stderr.write(
					`\nn8n${proc.name ? ` ${proc.name}` : ''} stopped on its own (exit ${code ?? signal}); last output:\n${lib.tail(proc.output(), 30)}\n`,
				);
				stopAll(1);
			});
		}
		const client = new lib.RestClient(server.baseUrl);
		const ownerCreated = await client.setupOwner(demo.OWNER);
		const callbackUrl = await demo.wireCallbacks({
			client,
			emulators,
			// In queue mode the webhook processes serve the callback URLs, not the main.
			baseUrl: cluster ? cluster.webhooks[0].baseUrl : server.baseUrl,
			owner: demo.OWNER,
		});
		const exampleData = await require('./lib/examples')
			.prepareDemo({ client, bsbUrl: emulators.bsb.url, owner: demo.OWNER })
			.then((data) => ({ ...data, error: undefined }))
			.catch((/** @type {Error} */ error) => ({ error, brivaNos: {}, tables: undefined }));

		const editorUrl = `${server.baseUrl}/`;
		const quickLook =
			seeded.workflows.find((w) => w.file === 'smart-billing-quick-look.json') ??
			seeded.workflows[0];
		const b = emulators.bsb.url;
		const lines = [
			'',
			'='.repeat(72),
			`n8n ${runtime.N8N_VERSION} with n8n-nodes-bri-bpjs ${installed.version} is ready (${Math.round((Date.now() - started) / 1000)} s)`,
			'',
			`  Editor   ${editorUrl}`,
			`  Login    ${demo.OWNER.email}  /  ${demo.OWNER.password}${ownerCreated ? '' : '   (created on the first start)'}`,
			'',
			'  Try first:',
			quickLook
				? `    open ${editorUrl}workflow/${quickLook.id}  ("${quickLook.name}") and click Execute workflow`
				: '    create a workflow, add the BRI Smart Billing node, pick the "BRI API (emulator)" credential',
			...seeded.workflows
				.filter((w) => w !== quickLook)
				.sort((a, b) => tryOrder(a.id) - tryOrder(b.id))
				.map((w) => `    or ${editorUrl}workflow/${w.id}  ("${w.name}")`),
			'    then add BRI Smart Billing / BPJS Membership nodes from the node panel (search "BRI" or "BPJS")',
			'',
			'  Credentials (demo values of the local emulators only):',
			`    BRI API (emulator)     Custom URL ${b}, Consumer Key ${demo.BRI.consumerKey}, Consumer Secret ${demo.BRI.consumerSecret}`,
			`                           Callback Provider ID ${demo.BRI.providerId}, Callback Secret Key ${demo.BRI.callbackSecretKey}`,
			...(emulators.catapa
				? [
						`    CATAPA (emulator)      Base URL ${emulators.catapa.url}, Tenant ${demo.CATAPA.tenant}, Client ID ${demo.CATAPA.clientId}, Client Secret ${demo.CATAPA.clientSecret}`,
					]
				: []),
			'',
			`  BSB emulator     ${b}   (POST ${b}/_emulator/pay {"brivaNo":"…"} simulates a payment)`,
			...(emulators.catapa ? [`  CATAPA emulator  ${emulators.catapa.url}`] : []),
			emulatorDataLine(emulators, userFolder),
			...(callbackUrl ? [`  Payment callbacks from the BSB emulator go to ${callbackUrl}`] : []),
			...examplesLines(seeded.workflows),
			exampleData.error
				? `  WARNING: the examples' Data Table or demo tenants could not be set up: ${exampleData.error.message}`
				: `  Data table "${exampleData.tables.invoices.name}" ${exampleData.tables.invoices.created ? `created with ${exampleData.tables.invoices.rows} demo rows` : 'kept as it was'}; demo tenants ${Object.keys(exampleData.brivaNos).join(', ')} in the BSB emulator`,
			...(cluster
				? [
						'',
						'  Queue mode (EXECUTIONS_MODE=queue; see README "Scaling"):',
						...cluster
							.processes()
							.map(
								(p) =>
									`    ${p.name.padEnd(10)} ${p.baseUrl}${p.name.startsWith('worker') ? '  (health)' : ''}  pid ${p.pid}`,
							),
						`    PostgreSQL 127.0.0.1:${services?.postgres.port}, Redis 127.0.0.1:${services?.redis.port}; logs in ${path.join(userFolder, 'logs')}`,
						'    Production webhooks and payment callbacks: the webhook processes (main has N8N_DISABLE_PRODUCTION_MAIN_PROCESS)',
						'    The database lives only as long as this run.',
					]
				: []),
			`  Data: ${userFolder} (delete it to start from scratch)`,
			'',
			'  Ctrl-C stops n8n and the emulators.',
			'='.repeat(72),
			'',
		];
		say(lines.join('\n'));
	} catch (error) {
		const hint =
			error.code === 'EADDRINUSE'
				? ' (a port is taken: pass --bsb-port / --catapa-port / --port with free ones)'
				: '';
		process.stderr.write(`\nnpm start failed: ${error.message}${hint}\n`);
		await stopAll(1);
	}
}

main();
