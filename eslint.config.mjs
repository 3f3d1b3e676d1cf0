// n8n's own lint config for community nodes (`@n8n/node-cli/eslint`, what `n8n-node lint` runs
// and what n8n's scanner enforces), on the package's sources and package.json only.
// Not n8n's strict mode: strict requires this file to be n8n's template verbatim, which would
// lint the tests, emulators and scripts with the community-node rules too (no `process`,
// `setTimeout` or Node built-ins), and those are not shipped.
import { config } from '@n8n/node-cli/eslint';

export default [
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			'test/**',
			'emulator/**',
			'scripts/**',
			'bench/**',
			'examples/**',
			'.n8n-runtime/**',
			'.n8n-data/**',
			'test-output/**',
			'*.js',
			'*.mjs',
		],
	},
	...config,
];
