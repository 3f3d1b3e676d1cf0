// What `npm start` puts into a fresh n8n user folder: the owner, credentials that point at the
// emulators, and the example workflows. Shared with the e2e harness so both create them alike.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const runtime = require('../n8n-runtime');
const lib = require('./n8n');

/** The demo owner (documented in the README). */
const OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'DemoPassword1',
	firstName: 'Demo',
	lastName: 'Owner',
});

// The emulators' demo credentials (their single source is the emulators themselves).
const BRI = require('../../emulator/bsb').DEMO;
const CATAPA = require('../../emulator/catapa').DEMO;

// Fixed ids, so a second start updates these rows instead of adding new ones.
const CREDENTIALS = Object.freeze({
	briApi: {
		id: 'briApiEmulator01',
		name: 'BRI API (emulator)',
		file: 'dist/credentials/BriApi.credentials.js',
	},
	catapaApi: {
		id: 'catapaEmulator01',
		name: 'CATAPA (emulator)',
		file: 'dist/credentials/CatapaApi.credentials.js',
	},
});

// Which credential each of our node types needs.
const NODE_CREDENTIAL = Object.freeze({
	'n8n-nodes-bri-bpjs.briSmartBilling': 'briApi',
	'n8n-nodes-bri-bpjs.briSmartBillingTrigger': 'briApi',
	// The trigger's first type name, hidden in the editor; workflows saved with it still run.
	'n8n-nodes-bri-bpjs.briCallbackTrigger': 'briApi',
	'n8n-nodes-bri-bpjs.bpjsMembership': 'catapaApi',
});

// The trigger under both its type names: a demo folder from before the rename has the old one.
const CALLBACK_TRIGGERS = new Set([
	'n8n-nodes-bri-bpjs.briSmartBillingTrigger',
	'n8n-nodes-bri-bpjs.briCallbackTrigger',
]);

/** Credential objects (plain data, n8n encrypts on import) for the emulators at these URLs. */
/** @param {{ bsbUrl: string, catapaUrl?: string }} urls */
function emulatorCredentials({ bsbUrl, catapaUrl }) {
	/** @type {{ id: string, name: string, type: string, data: Record<string, unknown> }[]} */
	const list = [
		{
			id: CREDENTIALS.briApi.id,
			name: CREDENTIALS.briApi.name,
			type: 'briApi',
			data: {
				environment: 'custom',
				customUrl: bsbUrl,
				consumerKey: BRI.consumerKey,
				consumerSecret: BRI.consumerSecret,
				callbackProviderId: BRI.providerId,
				callbackSecretKey: BRI.callbackSecretKey,
			},
		},
	];
	// Only once the credential type exists in the build: n8n would show an unknown type as broken.
	if (catapaUrl && fs.existsSync(path.join(runtime.REPO_ROOT, CREDENTIALS.catapaApi.file))) {
		list.push({
			id: CREDENTIALS.catapaApi.id,
			name: CREDENTIALS.catapaApi.name,
			type: 'catapaApi',
			data: {
				baseUrl: catapaUrl,
				tenant: CATAPA.tenant,
				clientId: CATAPA.clientId,
				clientSecret: CATAPA.clientSecret,
			},
		});
	}
	return list;
}

/**
 * Points every node of ours at the demo credential of its type (examples may carry other ids)
 * and gives the workflow a stable id. Returns a new object.
 */
function prepareWorkflow(workflow, fallbackIdSeed) {
	const copy = JSON.parse(JSON.stringify(workflow));
	copy.id = copy.id || lib.stableId(`example:${fallbackIdSeed}`);
	for (const node of copy.nodes ?? []) {
		const wanted = NODE_CREDENTIAL[node.type];
		if (wanted) node.credentials = { ...node.credentials, [wanted]: {} };
		for (const key of Object.keys(node.credentials ?? {})) {
			if (CREDENTIALS[key])
				node.credentials[key] = { id: CREDENTIALS[key].id, name: CREDENTIALS[key].name };
		}
	}
	copy.active = false; // published separately (n8n publish:workflow), see seedUserFolder
	return copy;
}

function readExamples(examplesDir) {
	if (!fs.existsSync(examplesDir)) return [];
	return fs
		.readdirSync(examplesDir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const json = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
			return { file, json, workflow: prepareWorkflow(json, file) };
		});
}

/**
 * Before n8n starts: imports the emulator credentials (again only when their URLs changed) and
 * the examples not imported before, then publishes the examples whose file says "active": true.
 * Remembers what it did in <userFolder>/bri-bpjs-demo.json, so a second start adds nothing twice
 * and leaves the user's edits of imported examples alone.
 */
async function seedUserFolder({
	userFolder,
	env,
	bsbUrl,
	catapaUrl,
	examplesDir,
	log = (l) => process.stdout.write(`  ${l}\n`),
}) {
	const stateFile = path.join(userFolder, 'bri-bpjs-demo.json');
	let state = { credentials: {}, workflows: {} };
	try {
		state = { ...state, ...JSON.parse(fs.readFileSync(stateFile, 'utf8')) };
	} catch {
		/* first start */
	}
	const save = () => fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);

	const credentials = emulatorCredentials({ bsbUrl, catapaUrl });
	const fingerprint = (c) =>
		JSON.stringify({ name: c.name, url: c.data.customUrl ?? c.data.baseUrl });
	const changed = credentials.filter(
		(c) => state.credentials[c.type]?.fingerprint !== fingerprint(c),
	);
	if (changed.length > 0) {
		log(`importing credentials: ${changed.map((c) => c.name).join(', ')}`);
		await lib.importCredentials(changed, env);
		for (const c of changed) state.credentials[c.type] = { id: c.id, fingerprint: fingerprint(c) };
		save();
	} else {
		log(`credentials already there: ${credentials.map((c) => c.name).join(', ')}`);
	}

	const examples = readExamples(examplesDir);
	const fresh = examples.filter((e) => !state.workflows[e.file]);
	if (fresh.length > 0) {
		log(`importing example workflows: ${fresh.map((e) => e.file).join(', ')}`);
		await lib.importWorkflows(
			fresh.map((e) => e.workflow),
			env,
		);
		for (const e of fresh) {
			if (e.json.active === true) {
				log(`publishing ${e.file}`);
				await lib.runCliOk(['publish:workflow', `--id=${e.workflow.id}`], env);
			}
			state.workflows[e.file] = { id: e.workflow.id, name: e.workflow.name };
		}
		save();
	} else if (examples.length > 0) {
		log(`example workflows already imported (${examples.length})`);
	}
	return {
		credentials,
		workflows: examples.map((e) => ({
			file: e.file,
			id: state.workflows[e.file]?.id ?? e.workflow.id,
			name: e.workflow.name,
			workflow: e.workflow,
			importedNow: fresh.includes(e),
		})),
	};
}

/**
 * If a published workflow has a BRI Smart Billing Trigger, points the BSB emulator's payment
 * callbacks at it (<n8n>/webhook/<webhookId>, the emulator adds /<version>/...).
 * Returns that base URL, or undefined.
 */
async function wireCallbacks({ client, emulators, baseUrl, owner }) {
	if (typeof emulators.bsb?.configure !== 'function') return undefined;
	await client.login(owner.email, owner.password).catch(() => undefined);
	if (!client.cookie) return undefined;
	let workflows;
	try {
		workflows = await client.get(
			'/workflows?filter=' + encodeURIComponent(JSON.stringify({ active: true })),
		);
	} catch {
		return undefined;
	}
	for (const summary of Array.isArray(workflows) ? workflows : []) {
		const workflow = await client.get(`/workflows/${summary.id}`).catch(() => undefined);
		if (!workflow?.activeVersionId && !workflow?.active) continue;
		const trigger = (workflow.nodes ?? []).find(
			(n) => CALLBACK_TRIGGERS.has(n.type) && !n.disabled && n.webhookId,
		);
		if (!trigger) continue;
		const url = `${baseUrl}/webhook/${trigger.webhookId}`;
		emulators.bsb.configure({
			callback: { baseUrl: url, version: trigger.parameters?.version || 'v1' },
		});
		return url;
	}
	return undefined;
}

module.exports = {
	OWNER,
	BRI,
	CATAPA,
	CREDENTIALS,
	NODE_CREDENTIAL,
	emulatorCredentials,
	prepareWorkflow,
	readExamples,
	seedUserFolder,
	wireCallbacks,
};
