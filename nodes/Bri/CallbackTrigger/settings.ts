// The trigger's settings, read once per request and bounded to what the editor allows.
import type { ICredentialDataDecryptedObject, IDataObject, IWebhookFunctions } from 'n8n-workflow';

import {
	DEFAULT_DUPLICATE_MEMORY,
	DEFAULT_MAX_BODY_BYTES,
	DEFAULT_TIMESTAMP_TOLERANCE_MS,
	DEFAULT_TOKEN_LIFETIME_SECONDS,
	publicBasePath,
} from './callback';

export interface Settings {
	tokenLifetimeSeconds: number;
	toleranceMs: number;
	signatureKey: 'consumerSecret' | 'callbackSecretKey';
	/** See publicBasePath(): null = the path as received, '' = the domain root. */
	publicBasePath: string | null;
	maxBodyBytes: number;
	parseAmounts: boolean;
	dropDuplicates: boolean;
	duplicateMemory: number;
}

export function providerPair(credentials: ICredentialDataDecryptedObject) {
	return {
		providerId: String(credentials.callbackProviderId ?? ''),
		secretKey: String(credentials.callbackSecretKey ?? ''),
	};
}

/** Tokens are bound to this trigger: its webhook ID is the same in every process and restart. */
export function audience(context: IWebhookFunctions): string {
	const node = context.getNode();
	return node.webhookId ?? `${context.getWorkflow().id ?? ''}/${node.name}`;
}

export function readSettings(context: IWebhookFunctions): Settings {
	const raw = context.getNodeParameter('settings', {}) as IDataObject;
	return {
		tokenLifetimeSeconds: bounded(raw.tokenLifetime, DEFAULT_TOKEN_LIFETIME_SECONDS, 1, 86400),
		toleranceMs:
			bounded(raw.timestampToleranceMinutes, DEFAULT_TIMESTAMP_TOLERANCE_MS / 60000, 0, 1440) *
			60000,
		signatureKey: raw.signatureKey === 'callbackSecretKey' ? 'callbackSecretKey' : 'consumerSecret',
		publicBasePath: publicBasePath(raw.publicBasePath),
		maxBodyBytes: bounded(raw.maxBodyKb, DEFAULT_MAX_BODY_BYTES / 1024, 1, 16384) * 1024,
		parseAmounts: raw.parseAmounts === true,
		dropDuplicates: raw.dropDuplicates === true,
		duplicateMemory: bounded(raw.duplicateMemory, DEFAULT_DUPLICATE_MEMORY, 1, 100000),
	};
}

export function bounded(value: unknown, fallback: number, min: number, max: number): number {
	const number = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return Math.min(max, Math.max(min, number));
}
