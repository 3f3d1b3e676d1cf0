// What the editor shows of the BRI Smart Billing Trigger, and its webhooks (spec sections 24–25).
import type { IDataObject, INodeProperties, IWebhookDescription } from 'n8n-workflow';

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

// Both endpoints under one base URL (spec sections 24–25), and the base itself: the only URL
// n8n's Webhook URLs panel lists (ndvHideUrl on the others, as n8n's Form Trigger does), so its Test
// and Production URL are exactly what BRI is given (docs/spec-readings.md#24-callback-get-token).
// n8n's types allow only the names setup and default (its Wait node repeats one): the GET shares
// setup with the token endpoint, and the node tells them apart by method.
export const triggerWebhooks: IWebhookDescription[] = [
	{
		name: 'setup',
		httpMethod: 'GET',
		responseMode: 'onReceived',
		ndvHideMethod: true,
		...nativeFields({
			path: {
				template: '={{$parameter["version"]}}',
				resolve: (p) => p.version,
			},
		}),
	},
	{
		name: 'setup',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		ndvHideUrl: true,
		...nativeFields({
			path: {
				template: '={{$parameter["version"]}}/access-token',
				resolve: (p) => `${p.version}/access-token`,
			},
		}),
	},
	{
		name: 'default',
		httpMethod: 'POST',
		ndvHideUrl: true,
		...nativeFields({
			responseMode: {
				template: '={{$parameter["responseMode"]}}',
				resolve: (p) => p.responseMode,
			},
			// "" lets n8n answer with our webhookResponse once the execution is registered;
			// "noData" keeps the last node's items out of the answer (we write it, see below).
			responseData: {
				template: '={{$parameter["responseMode"] === "lastNode" ? "noData" : ""}}',
				resolve: (p) => (p.responseMode === 'lastNode' ? 'noData' : ''),
			},
			path: {
				template: '={{$parameter["version"]}}/payment/callback',
				resolve: (p) => `${p.version}/payment/callback`,
			},
		}),
	},
];

/** The panel beside the parameters, where "Listen for test event" is. */
export const triggerPanel = {
	executionsHelp: {
		inactive:
			'<b>While you build</b>: click <b>Listen for test event</b>, then have BRI (or the BSB emulator) send a payment to the <b>Test URL</b> under <i>Webhook URLs</i>. One callback per click.<br /><br /><b>In production</b>: publish the workflow and give BRI the <b>Production URL</b> under <i>Webhook URLs</i>, with the credential’s Callback Provider ID and Callback Secret Key; every callback then starts an execution. Behind a proxy (<i>Public Base Path</i>), give BRI the proxy’s URL instead.',
		active:
			'The workflow is published: BRI’s callbacks to the <b>Production URL</b> under <i>Webhook URLs</i> start executions. For a test, click <b>Listen for test event</b> and send to the <b>Test URL</b>.',
	},
};

export const triggerProperties: INodeProperties[] = [
	{
		// n8n renders a notice as static text (no expressions), so it points at the Webhook URLs
		// panel, which shows exactly the base to register (docs/spec-readings.md#24-callback-get-token).
		displayName:
			'<b>URL to give BRI</b>: the one under <i>Webhook URLs</i> above, the <b>Production URL</b> once the workflow is published, the <b>Test URL</b> while you listen for a test event. BRI adds <code>/access-token</code> and <code>/payment/callback</code> to it. Give BRI with it the credential’s Callback Provider ID and Callback Secret Key. Behind a proxy (<i>Settings → Public Base Path</i>), give BRI the proxy’s URL instead.',
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
					"Each paid invoice, with the payment's brivaNo, transactionID, transactionDate, paymentType, totalPaymentAmount and additionalInfo",
			},
			{
				name: 'One Item per Payment',
				value: 'perPayment',
				description:
					'The whole payment, with its invoice list, under the sample payload’s field names',
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
				placeholder: 'e.g. /bri',
				description:
					'Only behind a proxy that rewrites paths: the path of the base URL registered with BRI, or / when the proxy maps the domain root onto this webhook. The signed path becomes this plus /{version}/payment/callback. Empty: the path as received.',
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
];
