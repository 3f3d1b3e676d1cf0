// n8n's community-node rules: the current plugin (the one `n8n-node lint` runs) and the
// classic eslint-plugin-n8n-nodes-base sets for package.json, credentials and nodes.
import tseslint from 'typescript-eslint';
import * as jsoncParser from 'jsonc-eslint-parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const sources = ['credentials/**/*.ts', 'nodes/**/*.ts'];
const recommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
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
	{
		files: sources,
		languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } },
	},
	{ files: ['package.json'], languageOptions: { parser: jsoncParser } },
	{ ...recommended, files: [...sources, 'package.json'] },
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.credentials.rules,
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.nodes.rules,
	},
	{
		files: sources,
		rules: {
			// The current plugin's node-connection-type-literal rule asks for NodeConnectionTypes.Main;
			// the classic rules still ask for ['main']. Follow the current one.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// Community credentials need a full documentation URL (credential-documentation-url);
			// the classic rule expects an n8n docs slug.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
);
