// One n8n 2.40.7 (the pinned runtime) for the whole bench run, with this package installed as the
// Community Nodes screen installs it, a BRI API credential pointing at the BSB emulator, and
// helpers to run workflows and to watch the n8n processes' memory and CPU through /proc.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const runtime = require('../../scripts/n8n-runtime');
const lib = require('../../scripts/lib/n8n');
const demo = require('../../scripts/lib/demo');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const CLOCK_TICKS = 100; // USER_HZ on Linux

// ------------------------------------------------------------------ /proc

function readProc(pid, file) {
	try {
		return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return '';
	}
}

/** The pid and every descendant (n8n main, its JS task runner, and anything they start). */
function processTree(rootPid) {
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = readProc(entry, 'stat');
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		if (!children.has(ppid)) children.set(ppid, []);
		children.get(ppid).push(Number(entry));
	}
	const out = [];
	const walk = (pid) => {
		out.push(pid);
		for (const child of children.get(pid) ?? []) walk(child);
	};
	walk(rootPid);
	return out;
}

function statusKb(pid, field) {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readProc(pid, 'status'));
	return match ? Number(match[1]) : 0;
}

/** utime + stime in seconds. */
function cpuSeconds(pid) {
	const stat = readProc(pid, 'stat');
	if (!stat) return 0;
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function commandOf(pid) {
	return readProc(pid, 'cmdline').split('\0').join(' ');
}

/**
 * Watches n8n's processes during one measured run: peak RSS of the main process, of the task
 * runner and of both together, sampled every `everyMs`, plus VmHWM of the main process after
 * resetting it (clear_refs 5) at the start, and CPU seconds used.
 */
function memoryWatch(rootPid, everyMs = 50) {
	const pids = () => processTree(rootPid);
	const canReset = (() => {
		try {
			fs.writeFileSync(`/proc/${rootPid}/clear_refs`, '5');
			return true;
		} catch {
			return false;
		}
	})();
	const cpuStart = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
	const peak = { mainKb: 0, runnerKb: 0, totalKb: 0 };
	const sample = () => {
		let total = 0;
		for (const pid of pids()) {
			const rss = statusKb(pid, 'VmRSS');
			total += rss;
			if (pid === rootPid) peak.mainKb = Math.max(peak.mainKb, rss);
			else peak.runnerKb = Math.max(peak.runnerKb, rss);
		}
		peak.totalKb = Math.max(peak.totalKb, total);
	};
	sample();
	const timer = setInterval(sample, everyMs);
	return {
		stop() {
			clearInterval(timer);
			sample();
			const hwm = canReset ? statusKb(rootPid, 'VmHWM') : 0;
			const cpu = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuStart;
			return {
				mainPeakMb: Math.max(peak.mainKb, hwm) / 1024,
				runnerPeakMb: peak.runnerKb / 1024,
				totalPeakMb: peak.totalKb / 1024,
				cpuSeconds: cpu,
			};
		},
	};
}

// ------------------------------------------------------------------ n8n

/**
 * Starts n8n with the package installed and a BRI API credential for the emulator at bsbUrl.
 * @param {{ bsbUrl: string, env?: NodeJS.ProcessEnv, log?: (message: string) => void }} options
 */
async function startN8n({ bsbUrl, env = {}, log = () => {} }) {
	runtime.ensureRuntime({ quiet: true });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));
	const logFile = path.join(
		runtime.REPO_ROOT,
		'test-output',
		'bench',
		`n8n-${path.basename(userFolder)}.log`,
	);
	const cleanups = [() => fs.rmSync(userFolder, { recursive: true, force: true })];
	const stop = async () => {
		for (const fn of cleanups.splice(0).reverse()) {
			try {
				await fn();
			} catch {
				/* best effort */
			}
		}
	};
	try {
		log('packing and installing the package into a fresh n8n user folder');
		const tgz = lib.packPackage(path.join(userFolder, 'pack'));
		lib.installCommunityPackage({ userFolder, tgz });
		const port = await lib.freePort();
		const brokerPort = await lib.freePort();
		const n8nEnv = runtime.n8nEnv({ userFolder, port, brokerPort, extra: env });
		log(`starting n8n on 127.0.0.1:${port} (log: ${path.relative(runtime.REPO_ROOT, logFile)})`);
		const server = await lib.startServer({ env: n8nEnv, logFile, timeoutMs: 240000 });
		cleanups.push(() => server.stop());
		const rest = new lib.RestClient(server.baseUrl);
		// Polling reads are retried: under load a kept-alive socket is sometimes closed by n8n
		// just as a request goes out ("fetch failed"); a read is safe to send again.
		const get = rest.get.bind(rest);
		rest.get = async (urlPath) => {
			for (let attempt = 0; ; attempt++) {
				try {
					return await get(urlPath);
				} catch (error) {
					if (attempt >= 4 || error.status !== undefined) throw error;
					await sleep(250);
				}
			}
		};
		await rest.setupOwner(demo.OWNER);
		await rest.login(demo.OWNER.email, demo.OWNER.password);
		const [briCredential] = demo.emulatorCredentials({ bsbUrl, catapaUrl: undefined });
		const created = await rest.post('/credentials', {
			name: briCredential.name,
			type: 'briApi',
			data: briCredential.data,
		});
		const credential = { id: created.id, name: briCredential.name };

		const instance = {
			baseUrl: server.baseUrl,
			pid: server.child.pid,
			rest,
			credential,
			logFile,
			stop,
			output: () => server.output(),
			webhookUrl: (p) => `${server.baseUrl}/webhook/${p.replace(/^\/+/, '')}`,

			/** Creates a workflow; our nodes get the BRI credential, webhook nodes a webhookId. */
			async importWorkflow(workflow) {
				const nodes = JSON.parse(JSON.stringify(workflow.nodes));
				for (const node of nodes) {
					if (demo.NODE_CREDENTIAL[node.type] === 'briApi')
						node.credentials = { briApi: credential };
					if (/webhook|Trigger$/i.test(node.type) && !/manualTrigger/.test(node.type))
						node.webhookId ??= randomUUID();
					node.id ??= randomUUID();
				}
				const saved = await rest.post('/workflows', {
					name: workflow.name,
					nodes,
					connections: workflow.connections,
					settings: workflow.settings ?? { executionOrder: 'v1' },
					pinData: {},
				});
				return { id: saved.id, nodes };
			},

			async activate(workflowId) {
				const workflow = await rest.get(`/workflows/${workflowId}`);
				await rest.post(`/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
			},

			/** Starts a manual run from the Manual Trigger; resolves the execution id. */
			async startRun(workflowId, triggerName = 'Start') {
				const started = await rest.post(`/workflows/${workflowId}/run`, {
					triggerToStartFrom: { name: triggerName },
				});
				if (!started?.executionId)
					throw new Error(`n8n did not start the workflow: ${JSON.stringify(started)}`);
				return String(started.executionId);
			},

			/** Polls the executions list (light) until the execution is no longer running. */
			async waitFinished(workflowId, executionId, timeoutMs = 600000, everyMs = 100) {
				const deadline = Date.now() + timeoutMs;
				for (;;) {
					const summary = (await instance.executions(workflowId, 20)).results.find(
						(e) => String(e.id) === executionId,
					);
					if (summary && !['new', 'running', 'waiting'].includes(summary.status)) return summary;
					if (Date.now() > deadline)
						throw new Error(`execution ${executionId} still running after ${timeoutMs} ms`);
					await sleep(everyMs);
				}
			},

			/** { count, results } of a workflow's executions (newest first), optionally by status. */
			async executions(workflowId, limit = 1, status) {
				const filter = { workflowId, ...(status ? { status } : {}) };
				const page = await rest.get(
					`/executions?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=${limit}`,
				);
				return { count: Number(page.count ?? 0), results: page.results ?? [] };
			},

			/** One execution with its run data decoded. */
			async getExecution(executionId) {
				const execution = await rest.get(`/executions/${executionId}`);
				if (typeof execution.data === 'string') {
					const flatted = require(path.join(runtime.RUNTIME_DIR, 'node_modules', 'flatted'));
					execution.data = flatted.parse(execution.data);
				}
				return execution;
			},
		};
		return instance;
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startN8n, memoryWatch, processTree, commandOf, cpuSeconds, sleep };
