// The BRI API credential's test, run by n8n's "Test" button through the nodes that use the
// credential (`testedBy`): a fresh token, then Customer Group Get All (section 7) signed as the
// node signs it, GET and, when the answer calls for it, once more as a body-less POST
// (docs/spec-readings.md#7-customers-group-get-all). A credential's own `test` would be one request.
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { fetchToken } from '../../shared/tokenFetch';
import { classifyAnswer, maskSecrets, wantsPost } from './answer';
import type { Outcome } from './answer';
import { briAuthHeaders } from './signature';
import { BSB_PREFIX, briHost, parseTokenResponse, tokenRequest } from './token';

const TEST_PATH = `${BSB_PREFIX}/customers-group`;
const TIMEOUT_MS = 30000;

/** The gateway's refusals of a fresh token, at any HTTP status (section 5 lists 0601 at 200). */
const GATEWAY_HINTS: Record<string, string> = {
	'0601':
		'BRI gateway 0601: the access token was refused. Check the Consumer Key, Consumer Secret and Environment.',
	'0602':
		'BRI gateway 0602: the request signature was refused. Check the Consumer Secret, and that the n8n server’s clock is right.',
	'0603':
		'BRI gateway 0603: this Consumer Key’s application has no access to BRI Smart Billing in this environment; ask BRI to enable it.',
};

const CHECK_HOST = 'Check the Environment or Custom URL of the BRI API credential.';

interface Answer {
	statusCode: number;
	body: unknown;
}

/** The Get All request got no answer at all. */
export interface Unreachable {
	kind: 'unreachable';
	message: string;
}

/**
 * n8n's `httpRequest` as fetchToken calls it, over the one request helper n8n gives a credential
 * test: the request-promise style `helpers.request` (n8n-core CredentialTestContext has no
 * `httpRequest`). It goes through n8n's outbound HTTP (proxy, SSRF protection) like any node
 * request, and always resolves with the full answer, whatever its status, the body as text.
 */
function answerHelpers(
	helpers: ICredentialTestFunctions['helpers'],
): IHttpRequestHelper['helpers'] {
	const httpRequest = async (options: IHttpRequestOptions): Promise<Answer> => {
		const response = (await helpers.request({
			method: options.method ?? 'GET',
			uri: options.url,
			headers: options.headers,
			...(options.body === undefined ? {} : { body: options.body }),
			timeout: options.timeout ?? TIMEOUT_MS,
			json: false,
			simple: false,
			resolveWithFullResponse: true,
		})) as { statusCode: number; body: unknown };
		const body = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : response.body;
		return { statusCode: response.statusCode, body };
	};
	return { httpRequest } as unknown as IHttpRequestHelper['helpers'];
}

/** What a failed connection says: n8n's SSRF refusal names only the host, else the error code. */
function unreachable(error: unknown): string {
	const { name, message, description, code } = error as {
		name?: string;
		message?: string;
		description?: string;
		code?: string;
	};
	if (name?.startsWith('SsrfBlocked')) {
		return `BRI Smart Billing request refused by n8n: ${message} ${description ?? ''}`.trim();
	}
	return `BRI Smart Billing could not be reached (${code ?? 'network error'}). ${CHECK_HOST}`;
}

/** The test's verdict on the Get All answer. Pure. */
export function connectionVerdict(outcome: Outcome | Unreachable): INodeCredentialTestResult {
	const where = 'Customer Group Get All';
	switch (outcome.kind) {
		case 'unreachable':
			return { status: 'Error', message: outcome.message };
		case 'ok':
			return { status: 'OK', message: 'Connection successful!' };
		case 'gateway':
			return {
				status: 'Error',
				message:
					GATEWAY_HINTS[outcome.code] ??
					`BRI gateway ${outcome.code}: ${outcome.desc || 'request refused'} (HTTP ${outcome.status}, ${where}). ${CHECK_HOST}`,
			};
		case 'bsb':
			return {
				status: 'Error',
				message: `BSB ${outcome.envelope.responseCode}: ${outcome.envelope.responseMessage ?? 'error'} (HTTP ${outcome.status}, ${where})`,
			};
		case 'refused':
			return {
				status: 'Error',
				message: `BRI refused the request: HTTP ${outcome.status}${outcome.excerpt ? ` (${outcome.excerpt})` : ''}, ${where}. ${CHECK_HOST}`,
			};
		case 'unknown':
			return {
				status: 'Error',
				message: `BRI gave no clear answer (${outcome.reason}, ${where}); try again later.`,
			};
	}
}

async function connectionTest(
	helpers: IHttpRequestHelper['helpers'],
	data: ICredentialDataDecryptedObject,
	secrets: string[],
): Promise<INodeCredentialTestResult> {
	const host = briHost(data);
	const consumerSecret = String(data.consumerSecret ?? '');
	const tokenAnswer = await fetchToken(
		helpers,
		tokenRequest(host, String(data.consumerKey ?? ''), consumerSecret),
		'BRI',
		'the BRI API host',
	);
	const token = parseTokenResponse(tokenAnswer.statusCode, tokenAnswer.body).accessToken;
	secrets.push(token);

	const url = `${host}${TEST_PATH}`;
	const getAll = async (verb: 'GET' | 'POST'): Promise<Outcome | Unreachable> => {
		const headers = briAuthHeaders(consumerSecret, { url, verb, token, body: '' });
		secrets.push(headers['BRI-Signature']);
		let answer: Answer;
		try {
			answer = (await helpers.httpRequest({
				method: verb,
				url,
				headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
			})) as Answer;
		} catch (error) {
			return { kind: 'unreachable', message: unreachable(error) };
		}
		return classifyAnswer(answer.statusCode, answer.body);
	};

	const first = await getAll('GET');
	if (first.kind === 'unreachable' || !wantsPost(first)) return connectionVerdict(first);
	const again = await getAll('POST');
	// A JSON answer to the POST says more than the GET's refusal page.
	return connectionVerdict(again.kind === 'refused' ? first : again);
}

/** n8n calls this with the credential's data, defaults applied and expressions resolved. */
export async function briApiConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const secrets = [String(data.consumerSecret ?? ''), String(data.callbackSecretKey ?? '')];
	let result: INodeCredentialTestResult;
	try {
		result = await connectionTest(answerHelpers(this.helpers), data, secrets);
	} catch (error) {
		// Only our own errors get here (host, token), worded without the request.
		result = { status: 'Error', message: String((error as Error).message) };
	}
	return { status: result.status, message: maskSecrets(result.message, secrets) };
}

/**
 * `methods.credentialTest` of every node that uses the BRI API credential, each declaring
 * `credentials: [{ name: 'briApi', required: true, testedBy: 'briApiConnection' }]`.
 */
export const briApiCredentialTest = { briApiConnection };
