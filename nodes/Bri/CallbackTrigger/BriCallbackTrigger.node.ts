// BRI Callback Trigger: BSB payment callbacks, BRI → partner (spec sections 24–25). The checks
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
		// n8n files a trigger under the app whose display name it has without " Trigger", so this
		// one shows among BRI Smart Billing's triggers in the node panel.
		displayName: 'BRI Smart Billing Trigger',
		name: 'briCallbackTrigger',
		icon: { light: 'file:briCallbackTrigger.svg', dark: 'file:briCallbackTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["version"] + "/payment/callback"}}',
		description:
			'Starts the workflow when BRI Smart Billing reports a BRIVA payment (BSB callback)',
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
			this.logger.debug('BRI Callback Trigger: duplicate transactionID, workflow not started');
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
