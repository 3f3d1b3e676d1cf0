// BRI Callback Trigger: BSB payment callbacks, BRI → partner (spec sections 24–25; NOTES.md
// "BSB callbacks" and "n8n facts"). The checks themselves are pure, in ../shared/briCallback.ts.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_DUPLICATE_MEMORY,
	DEFAULT_MAX_BODY_BYTES,
	DEFAULT_TIMESTAMP_TOLERANCE_MS,
	DEFAULT_TOKEN_LIFETIME_SECONDS,
	INVALID_PROVIDER,
	type OutputMode,
	UNAUTHORIZED,
	callbackItems,
	callbackTokenKey,
	checkCallbackAuth,
	checkProviderPair,
	issueCallbackToken,
	rememberTransaction,
	successBody,
	verifyCallbackRequest,
} from '../shared/briCallback';
import { signedPath } from '../shared/briSignature';

type ResponseMode = 'onReceived' | 'lastNode';

/**
 * Webhook description fields as templates plus native resolvers that compute the same value.
 * n8n 2.40 evaluates every templated field (path, responseMode, responseData) on every request,
 * each through its isolated-vm expression engine; with the resolvers under n8n-workflow's
 * WEBHOOK_RESOLVERS key (Symbol.for, as webhookDescriptionFields() stores them) it reads static
 * parameters directly and only falls back to the engine when a parameter is an expression.
 * bench/ measured this per callback (BENCHMARKS.md). Older n8n ignores the key and uses the templates.
 */
const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');
function nativeFields<K extends string>(
	fields: Record<K, { template: string; resolve: (parameters: IDataObject) => unknown }>,
): Record<K, string> {
	const templates = {} as Record<K, string>;
	for (const name of Object.keys(fields) as K[]) templates[name] = fields[name].template;
	return { ...templates, [WEBHOOK_RESOLVERS]: fields };
}

/** What the express request carries in n8n (middlewares/body-parser: rawBodyReader). */
type N8nRequest = ReturnType<IWebhookFunctions['getRequestObject']> & {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
};
type N8nResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

/** BSB's "Generic service error" (code table of sections 1–23): the workflow failed. */
const WORKFLOW_FAILED = { responseCode: '0009', responseMessage: 'Generic service error' };
/** The access-token request is two short strings; anything bigger is not BRI. */
const ACCESS_TOKEN_MAX_BYTES = 16 * 1024;
const STATIC_DATA_KEY = 'seenTransactionIds';

interface Settings {
	tokenLifetimeSeconds: number;
	toleranceMs: number;
	signatureKey: 'consumerSecret' | 'callbackSecretKey';
	publicBasePath: string;
	maxBodyBytes: number;
	parseAmounts: boolean;
	dropDuplicates: boolean;
	duplicateMemory: number;
}

// BRI has no API to register callback URLs: the partner gives the URL to BRI by hand. The
// lifecycle only checks, on activation and on "Listen for test event", that the credential
// holds what the endpoints need, so a gap shows up there instead of as refused payments.
const credentialCheckLifecycle = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		return await credentialReady.call(this);
	},
	async create(this: IHookFunctions): Promise<boolean> {
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		return true;
	},
};

export class BriCallbackTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BRI Callback Trigger',
		name: 'briCallbackTrigger',
		icon: { light: 'file:briCallbackTrigger.svg', dark: 'file:briCallbackTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["version"] + "/payment/callback"}}',
		description: 'Starts the workflow when BRI Smart Billing reports a BRIVA payment (BSB callback)',
		defaults: { name: 'BRI Callback Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'briApi', required: true }],
		// Two endpoints under one base URL (spec sections 24 and 25); NOTES.md "n8n facts".
		webhooks: [
			{
				name: 'setup',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				...nativeFields({
					path: { template: '={{$parameter["version"]}}/access-token', resolve: (p) => `${p.version}/access-token` },
				}),
			},
			{
				name: 'default',
				httpMethod: 'POST',
				...nativeFields({
					responseMode: { template: '={{$parameter["responseMode"]}}', resolve: (p) => p.responseMode },
					// "" lets n8n answer with our webhookResponse once the execution is registered;
					// "noData" keeps the last node's items out of the answer (we write it, see below).
					responseData: {
						template: '={{$parameter["responseMode"] === "lastNode" ? "noData" : ""}}',
						resolve: (p) => (p.responseMode === 'lastNode' ? 'noData' : ''),
					},
					path: { template: '={{$parameter["version"]}}/payment/callback', resolve: (p) => `${p.version}/payment/callback` },
				}),
			},
		],
		properties: [
			{
				displayName:
					'Register with BRI the production URL below up to the version (…/webhook/{ID}/v1), with the credential’s Callback Provider ID and Callback Secret Key',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'API Version',
				name: 'version',
				type: 'string',
				default: 'v1',
				required: true,
				description: 'The {version} part of the callback paths BRI calls, without slashes',
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'On Receipt',
						value: 'onReceived',
						description: 'Answer 0000 as soon as the callback is verified and the workflow started',
					},
					{
						name: 'After the Workflow Finishes',
						value: 'lastNode',
						description:
							'Answer 0000 when the workflow succeeds and 0009 when it fails, so BRI learns of a failure',
					},
				],
				default: 'onReceived',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'One Item per Invoice',
						value: 'perInvoice',
						description:
							"Each paid invoice, with the payment's brivaNo, transactionID, transactionDate, paymentType and totalPaymentAmount",
					},
					{
						name: 'One Item per Payment',
						value: 'perPayment',
						description: 'The callback payload as BRI sent it',
					},
				],
				default: 'perInvoice',
			},
			{
				// n8n 2.40 (webhook-helpers parseRequestBody) leaves the body of a version-1 webhook
				// node unparsed when options.binaryData is set. The node then reads the raw bytes
				// itself: it must sign-check them anyway, and can answer malformed JSON with BSB's
				// 0012 instead of n8n's own 422.
				displayName: 'Raw Body',
				name: 'options',
				type: 'hidden',
				default: { binaryData: true },
			},
			{
				displayName: 'Settings',
				name: 'settings',
				type: 'collection',
				placeholder: 'Add Setting',
				default: {},
				options: [
					{
						displayName: 'Drop Duplicate Callbacks',
						name: 'dropDuplicates',
						type: 'boolean',
						default: true,
						description:
							'Whether to answer 0000 without starting the workflow when a transactionID was already accepted. Best effort, see the README.',
						displayOptions: { show: { '/responseMode': ['onReceived'] } },
					},
					{
						displayName: 'Duplicate Memory Size',
						name: 'duplicateMemory',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 100000 },
						default: 1000,
						description: 'How many of the latest transactionIDs to remember',
						displayOptions: { show: { '/responseMode': ['onReceived'] } },
					},
					{
						displayName: 'Max Body Size (KB)',
						name: 'maxBodyKb',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 16384 },
						default: 1024,
						description: 'Larger callbacks are refused with HTTP 400 and code 0012',
					},
					{
						displayName: 'Parse Amounts',
						name: 'parseAmounts',
						type: 'boolean',
						default: false,
						description:
							'Whether to turn numeric amount strings (totalPaymentAmount, amount, discount, paymentAmount, …) into numbers',
					},
					{
						displayName: 'Public Base Path',
						name: 'publicBasePath',
						type: 'string',
						default: '',
						placeholder: '/bri',
						description:
							'Only behind a proxy that rewrites paths: the path of the base URL registered with BRI. The signed path becomes this plus /{version}/payment/callback. Empty: the path as received.',
					},
					{
						displayName: 'Signature Key',
						name: 'signatureKey',
						type: 'options',
						options: [
							{
								name: 'Consumer Secret',
								value: 'consumerSecret',
								description: 'The BRI API signature rule: HMAC key = Consumer Secret',
							},
							{
								name: 'Callback Secret Key',
								value: 'callbackSecretKey',
							},
						],
						default: 'consumerSecret',
						description: 'Which secret BRI uses as the HMAC key of BRI-Signature',
					},
					{
						displayName: 'Timestamp Tolerance (Minutes)',
						name: 'timestampToleranceMinutes',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 1440 },
						default: 5,
						description: 'How far BRI-Timestamp may be from this server’s clock, either way',
					},
					{
						displayName: 'Token Lifetime (Seconds)',
						name: 'tokenLifetime',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 86400 },
						default: 180,
						description: 'The expiredIn given with each access token',
					},
				],
			},
		],
	};

	// Both webhooks (setup: the access-token endpoint; default: the payment callback) share it.
	webhookMethods = { setup: credentialCheckLifecycle, default: credentialCheckLifecycle };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		try {
			return this.getWebhookName() === 'setup'
				? await accessToken.call(this)
				: await paymentCallback.call(this);
		} catch (error) {
			// Never rethrow: n8n records a thrown webhook error as a failed execution.
			this.logger.error(`BRI Callback Trigger: request not handled (${(error as Error).message})`);
			if (!res.headersSent) answer(res, 500, WORKFLOW_FAILED);
			return { noWebhookResponse: true };
		}
	}
}

async function credentialReady(this: IHookFunctions): Promise<boolean> {
	const credentials = await this.getCredentials('briApi');
	const settings = this.getNodeParameter('settings', {}) as IDataObject;
	const signatureKey = settings.signatureKey === 'callbackSecretKey' ? 'callbackSecretKey' : 'consumerSecret';
	const missing = [
		['callbackProviderId', 'Callback Provider ID'],
		['callbackSecretKey', 'Callback Secret Key'],
		[signatureKey, signatureKey === 'consumerSecret' ? 'Consumer Secret' : 'Callback Secret Key'],
	]
		.filter(([field]) => String(credentials[field] ?? '') === '')
		.map(([, label]) => label);
	if (missing.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`The BRI API credential needs ${[...new Set(missing)].join(' and ')} for the callback trigger`,
		);
	}
	return true;
}

/** Spec section 24: providerId + secretKey in, a short-lived access token out. */
async function accessToken(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const credentials = await this.getCredentials('briApi');
	const settings = readSettings(this);
	const body = await readRawBody(this.getRequestObject() as N8nRequest, ACCESS_TOKEN_MAX_BYTES);
	let request: unknown;
	try {
		request = body.tooLarge ? undefined : JSON.parse(body.bytes.toString('utf8'));
	} catch {
		request = undefined;
	}
	const pair = providerPair(credentials);
	if (!checkProviderPair(request, pair)) {
		this.logger.debug('BRI Callback Trigger: access token refused (wrong providerId or secretKey)');
		return answer(res, 400, INVALID_PROVIDER);
	}
	const token = issueCallbackToken(
		callbackTokenKey(pair.secretKey, pair.providerId, audience(this)),
		settings.tokenLifetimeSeconds,
		Date.now(),
	);
	res.setHeader('Cache-Control', 'no-store');
	return answer(res, 200, {
		responseCode: '00',
		responseMessage: 'success',
		accessToken: token.accessToken,
		expiredIn: token.expiredIn,
	});
}

/** Spec section 25: verify, then start the workflow, or refuse without starting it. */
async function paymentCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as N8nRequest;
	const res = this.getResponseObject();
	const credentials = await this.getCredentials('briApi');
	const settings = readSettings(this);
	const version = String(this.getNodeParameter('version', 'v1'));
	const responseMode = this.getNodeParameter('responseMode', 'onReceived') as ResponseMode;
	const output = this.getNodeParameter('output', 'perInvoice') as OutputMode;

	const pair = providerPair(credentials);
	const now = Date.now();
	const verifySettings = {
		tokenKey: callbackTokenKey(pair.secretKey, pair.providerId, audience(this)),
		signatureSecret: String(credentials[settings.signatureKey] ?? ''),
		toleranceMs: settings.toleranceMs,
		maxBodyBytes: settings.maxBodyBytes,
		now,
	};
	const request = {
		method: req.method,
		signedPath: settings.publicBasePath
			? `${settings.publicBasePath}/${version}/payment/callback`
			: signedPath(req.originalUrl ?? req.url),
		headers: req.headers,
	};

	// Without its secrets the credential can accept nothing.
	if (verifySettings.signatureSecret === '' || pair.secretKey === '' || pair.providerId === '') {
		return refuse(this, res, { status: 401, body: UNAUTHORIZED, reason: 'credential incomplete' });
	}
	// Headers, token and timestamp first: an unauthenticated caller gets 401 before any body is read.
	const auth = checkCallbackAuth(request, verifySettings);
	if (!auth.ok) return refuse(this, res, auth);

	const body = await readRawBody(req, settings.maxBodyBytes);
	const verdict = verifyCallbackRequest(
		{ ...request, rawBody: body.tooLarge ? undefined : body.bytes, bodyTooLarge: body.tooLarge },
		verifySettings,
	);
	if (!verdict.ok) return refuse(this, res, verdict);
	const payload = verdict.payload;

	// Duplicates only in "on receipt" mode: after a failed run ("after the workflow finishes"),
	// BRI's retry must run the workflow again, not be dropped.
	if (settings.dropDuplicates && responseMode === 'onReceived') {
		const staticData = this.getWorkflowStaticData('node');
		const seen = rememberTransaction(
			staticData[STATIC_DATA_KEY],
			String(payload.transactionID),
			settings.duplicateMemory,
		);
		if (seen.duplicate) {
			this.logger.debug('BRI Callback Trigger: duplicate transactionID, workflow not started');
			return answer(res, 200, successBody(payload));
		}
		staticData[STATIC_DATA_KEY] = seen.memory as unknown as IDataObject;
	}

	const items = callbackItems(payload, output, settings.parseAmounts) as IDataObject[];
	const workflowData = [this.helpers.returnJsonArray(items)];
	if (responseMode === 'lastNode') {
		answerWhenWorkflowFinishes(res, payload);
		return { workflowData };
	}
	return { workflowData, webhookResponse: successBody(payload) };
}

function answer(res: N8nResponse, status: number, body: object): IWebhookResponseData {
	res.status(status).json(body);
	// Without workflowData n8n starts no execution (NOTES.md "n8n facts").
	return { noWebhookResponse: true };
}

function refuse(
	context: IWebhookFunctions,
	res: N8nResponse,
	refusal: { status: number; body: object; reason: string },
): IWebhookResponseData {
	// The reason names the failed check only, never a token, key or signature.
	context.logger.debug(`BRI Callback Trigger: callback refused (${refusal.reason})`);
	return answer(res, refusal.status, refusal.body);
}

/**
 * In "after the workflow finishes" mode n8n answers from the last node once the run ends:
 * status 200 with no body (responseData "noData") on success, 500 on failure. The answer BRI
 * expects is BSB's envelope, so the first body n8n writes to this response is replaced:
 * 0000 with the payload for a success status, 0009 otherwise, n8n's status kept.
 */
function answerWhenWorkflowFinishes(res: N8nResponse, payload: unknown) {
	const original = { json: res.json, send: res.send };
	const reply = function () {
		res.json = original.json;
		res.send = original.send;
		return original.json.call(res, res.statusCode < 400 ? successBody(payload) : WORKFLOW_FAILED);
	};
	res.json = reply as N8nResponse['json'];
	res.send = reply as N8nResponse['send'];
}

type RawBody = { tooLarge: false; bytes: Buffer } | { tooLarge: true };

/** The raw request bytes, or tooLarge past the limit (by Content-Length before reading, when sent). */
async function readRawBody(req: N8nRequest, limit: number): Promise<RawBody> {
	if (!Buffer.isBuffer(req.rawBody)) {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) return { tooLarge: true };
		if (typeof req.readRawBody === 'function') {
			try {
				await req.readRawBody();
			} catch (error) {
				// Past n8n's own N8N_PAYLOAD_SIZE_MAX (raw-body's "entity.too.large"), or a broken
				// stream: either way the body cannot be checked, and is refused as too large.
				return { tooLarge: true };
			}
		} else {
			req.rawBody = await readStream(req, limit);
		}
	}
	const bytes = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
	return bytes.length > limit ? { tooLarge: true } : { tooLarge: false, bytes };
}

async function readStream(req: N8nRequest, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		chunks.push(chunk);
		length += chunk.length;
		if (length > limit) break;
	}
	return Buffer.concat(chunks);
}

function providerPair(credentials: ICredentialDataDecryptedObject) {
	return {
		providerId: String(credentials.callbackProviderId ?? ''),
		secretKey: String(credentials.callbackSecretKey ?? ''),
	};
}

/** Tokens are bound to this trigger: its webhook ID is the same in every process and restart. */
function audience(context: IWebhookFunctions): string {
	const node = context.getNode();
	return node.webhookId ?? `${context.getWorkflow().id ?? ''}/${node.name}`;
}

function readSettings(context: IWebhookFunctions): Settings {
	const raw = context.getNodeParameter('settings', {}) as IDataObject;
	const base = String(raw.publicBasePath ?? '').trim().replace(/\/+$/, '');
	return {
		tokenLifetimeSeconds: bounded(raw.tokenLifetime, DEFAULT_TOKEN_LIFETIME_SECONDS, 1, 86400),
		toleranceMs: bounded(raw.timestampToleranceMinutes, DEFAULT_TIMESTAMP_TOLERANCE_MS / 60000, 0, 1440) * 60000,
		signatureKey: raw.signatureKey === 'callbackSecretKey' ? 'callbackSecretKey' : 'consumerSecret',
		publicBasePath: base === '' ? '' : base.startsWith('/') ? base : `/${base}`,
		maxBodyBytes: bounded(raw.maxBodyKb, DEFAULT_MAX_BODY_BYTES / 1024, 1, 16384) * 1024,
		parseAmounts: raw.parseAmounts === true,
		dropDuplicates: raw.dropDuplicates === true,
		duplicateMemory: bounded(raw.duplicateMemory, DEFAULT_DUPLICATE_MEMORY, 1, 100000),
	};
}

function bounded(value: unknown, fallback: number, min: number, max: number): number {
	const number = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return Math.min(max, Math.max(min, number));
}
