// BRI Smart Billing Trigger: BSB payment callbacks, BRI → partner (spec sections 24–25). This class
// is the node under its first type name, briCallbackTrigger, kept registered and hidden for saved
// workflows; BriSmartBillingCallbackTrigger.node.ts is the same node under the type users add. The checks
// themselves are pure, in ./callback/; the description, HTTP plumbing and settings sit beside this file.
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { briApiCredentialTest } from '../shared/credentialTest';
import {
	INVALID_PROVIDER,
	type OutputMode,
	UNAUTHORIZED,
	callbackItems,
	callbackSignedPath,
	callbackTokenKey,
	checkCallbackAuth,
	checkProviderPair,
	issueCallbackToken,
	rememberTransaction,
	successBody,
	transactionKey,
	verifyCallbackRequest,
} from './callback';
import { triggerPanel, triggerProperties, triggerWebhooks } from './description';
import {
	WORKFLOW_FAILED,
	answer,
	answerWhenWorkflowFinishes,
	type N8nRequest,
	readRawBody,
	refuse,
} from './http';
import { audience, providerPair, readSettings } from './settings';

type ResponseMode = 'onReceived' | 'lastNode';

/** The access-token request is two short strings; anything bigger is not BRI. */
const ACCESS_TOKEN_MAX_BYTES = 16 * 1024;
const STATIC_DATA_KEY = 'seenTransactionIds';

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
		displayName: 'BRI Smart Billing Trigger',
		// n8n's node panel files a trigger under the app whose TYPE name it has without "Trigger"
		// (briSmartBilling), which briSmartBillingTrigger matches and this first name does not: so
		// this type is hidden from the panel and still runs saved workflows.
		name: 'briCallbackTrigger',
		hidden: true,
		icon: {
			light: 'file:briSmartBillingTrigger.svg',
			dark: 'file:briSmartBillingTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["version"] + "/payment/callback"}}',
		// n8n's node panel shows it as the description of the BRI Smart Billing app it joins.
		description:
			'Bill customers on BRIVA virtual accounts with BRI Smart Billing (BSB), and start workflows when they pay',
		defaults: { name: 'BRI Smart Billing Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'briApi', required: true, testedBy: 'briApiConnection' }],
		webhooks: triggerWebhooks,
		triggerPanel,
		properties: triggerProperties,
	};

	// n8n's credential test may pick any node that names it (nodes/Bri/shared/credentialTest.ts).
	methods = { credentialTest: briApiCredentialTest };

	// Every webhook (setup: the base URL and the access-token endpoint; default: the payment
	// callback) shares it.
	webhookMethods = { setup: credentialCheckLifecycle, default: credentialCheckLifecycle };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		try {
			if (this.getWebhookName() === 'default') return await paymentCallback.call(this);
			return this.getRequestObject().method === 'POST'
				? await accessToken.call(this)
				: baseUrlAnswer.call(this);
		} catch (error) {
			// Never rethrow: n8n records a thrown webhook error as a failed execution.
			this.logger.error(
				`BRI Smart Billing Trigger: request not handled (${(error as Error).message})`,
			);
			if (!res.headersSent) answer(res, 500, WORKFLOW_FAILED);
			return { noWebhookResponse: true };
		}
	}
}

async function credentialReady(this: IHookFunctions): Promise<boolean> {
	const credentials = await this.getCredentials('briApi');
	const settings = this.getNodeParameter('settings', {}) as IDataObject;
	const signatureKey =
		settings.signatureKey === 'callbackSecretKey' ? 'callbackSecretKey' : 'consumerSecret';
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

/**
 * A GET on the base URL registered with BRI: what it is and the two URLs BRI calls under it
 * (docs/spec-readings.md#24-callback-get-token), no secret. Without workflowData it starts no
 * execution, and a test registration keeps listening.
 */
function baseUrlAnswer(this: IWebhookFunctions): IWebhookResponseData {
	const res = this.getResponseObject();
	// The first setup webhook is this base: its URL as Webhook URLs shows it, test or production
	// as called (an older n8n without getWebhookResourceUrl gives the production one).
	const base =
		(typeof this.getWebhookResourceUrl === 'function'
			? this.getWebhookResourceUrl('setup')
			: undefined) ?? this.getNodeWebhookUrl('setup');
	res.setHeader('Cache-Control', 'no-store');
	return answer(res, 200, {
		service: 'BRI Smart Billing payment callbacks (n8n, BRI Smart Billing Trigger)',
		registerWithBri:
			'This URL, with the Callback Provider ID and Callback Secret Key of the trigger’s credential. BRI calls the two URLs below.',
		accessToken: { method: 'POST', url: `${base}/access-token` },
		paymentCallback: { method: 'POST', url: `${base}/payment/callback` },
	});
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
		this.logger.debug(
			'BRI Smart Billing Trigger: access token refused (wrong providerId or secretKey)',
		);
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
		signedPath: callbackSignedPath(settings.publicBasePath, version, req.originalUrl ?? req.url),
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
	// Authenticated and JSON: the payment happened, so from here on it is never refused.
	const { body: received, callback } = verdict;
	const transactionId = transactionKey(callback);

	// Duplicates only in "on receipt" mode: after a failed run ("after the workflow finishes"),
	// BRI's retry must run the workflow again, not be dropped.
	if (settings.dropDuplicates && responseMode === 'onReceived' && transactionId !== undefined) {
		const staticData = this.getWorkflowStaticData('node');
		const seen = rememberTransaction(
			staticData[STATIC_DATA_KEY],
			transactionId,
			settings.duplicateMemory,
		);
		if (seen.duplicate) {
			this.logger.debug('BRI Smart Billing Trigger: duplicate transactionID, workflow not started');
			return answer(res, 200, successBody(received));
		}
		staticData[STATIC_DATA_KEY] = seen.memory as unknown as IDataObject;
	}

	const items = callbackItems(callback, output, settings.parseAmounts) as IDataObject[];
	const workflowData = [this.helpers.returnJsonArray(items)];
	if (responseMode === 'lastNode') {
		answerWhenWorkflowFinishes(res, received);
		return { workflowData };
	}
	return { workflowData, webhookResponse: successBody(received) };
}
