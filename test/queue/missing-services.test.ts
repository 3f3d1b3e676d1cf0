// A queue-mode setup without Redis or PostgreSQL: a clear message naming what is missing and
// how to install it, from the library, from n8n's side (servers that do not answer) and from
// `npm start -- --queue` as a user runs it.
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

/* eslint-disable @typescript-eslint/no-require-imports */
const runtime = require('../../scripts/n8n-runtime');
const queue = require('../../scripts/lib/queue');
const lib = require('../../scripts/lib/n8n');
/* eslint-enable @typescript-eslint/no-require-imports */

function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
	const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
	Object.assign(process.env, vars);
	try {
		return fn();
	} finally {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
	}
}

describe('queue mode without Redis or PostgreSQL', () => {
	it('names Redis and how to install it when redis-server is missing', () => {
		expect(() =>
			withEnv({ REDIS_SERVER_BIN: '/nonexistent/redis-server' }, () => queue.ensureServices()),
		).toThrow(
			/Redis is missing \(REDIS_SERVER_BIN=\/nonexistent\/redis-server does not run\): install it with `sudo apt-get install -y redis-server`/,
		);
	});

	it('names PostgreSQL and how to install it when postgres is missing', () => {
		let message = '';
		try {
			withEnv({ POSTGRES_BIN_DIR: '/nonexistent/bin' }, () => queue.ensureServices());
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/^n8n queue mode needs PostgreSQL and Redis:/);
		expect(message).toContain(
			'PostgreSQL is missing (POSTGRES_BIN_DIR=/nonexistent/bin has no working postgres and initdb): install it with `sudo apt-get install -y postgresql`',
		);
		expect(message).not.toContain('Redis is missing'); // Redis is there
	});

	it('names both when neither answers where n8n is told to find them', async () => {
		const [pgPort, redisPort] = [await lib.freePort(), await lib.freePort()];
		await expect(
			queue.checkReachable({ pgHost: '127.0.0.1', pgPort, redisHost: '127.0.0.1', redisPort }),
		).rejects.toThrow(
			new RegExp(
				`PostgreSQL does not answer on 127.0.0.1:${pgPort} \\(DB_POSTGRESDB_HOST/PORT\\).*postgresql\`\\n  Redis does not answer on 127.0.0.1:${redisPort} \\(QUEUE_BULL_REDIS_HOST/PORT\\).*redis-server\``,
			),
		);
	});

	it('`npm start -- --queue` stops with that message and exit code 1, starting nothing', async () => {
		const result = spawnSync(
			runtime.nodeBin(),
			[path.join(runtime.REPO_ROOT, 'scripts', 'start.js'), '--queue'],
			{
				encoding: 'utf8',
				timeout: 120_000,
				env: {
					...process.env,
					REDIS_SERVER_BIN: '/nonexistent/redis-server',
					N8N_PORT: String(await lib.freePort()),
				},
			},
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			'npm start failed: n8n queue mode needs PostgreSQL and Redis:\n  Redis is missing',
		);
		expect(result.stderr).toContain('sudo apt-get install -y redis-server');
	});
});
