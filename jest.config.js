// Four suites: unit (pure functions, emulators), engine (workflows through n8n-core against the
// emulators over HTTP), e2e (a real n8n server), compat (the package on every n8n version it
// claims, scripts/n8n-runtime.js COMPAT_VERSIONS). All run under the Node 24 that npm puts first on
// PATH from node_modules/.bin (the `node` devDependency).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }];
const common = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest } };

module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{
			...common,
			displayName: 'engine',
			testMatch: ['<rootDir>/test/engine/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/setup/timeout-engine.ts'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/setup/timeout-e2e.ts'],
		},
		{
			...common,
			displayName: 'compat',
			testMatch: ['<rootDir>/test/compat/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/setup/timeout-e2e.ts'],
		},
		// Queue mode: n8n main + webhook processes + worker on our own PostgreSQL and Redis.
		{
			...common,
			displayName: 'queue',
			testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/setup/timeout-e2e.ts'],
		},
	],
};
