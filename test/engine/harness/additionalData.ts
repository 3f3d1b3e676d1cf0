// DI and additional data: SSRF settings, outbound HTTP, the credentials helper.
import './env';
import { SsrfProtectionService } from '@n8n/backend-network';
import { GlobalConfig, SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type { IDataObject, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { ICredentialsHelper, UserError, Workflow } from 'n8n-workflow';

/**
 * - 'n8n-default': n8n's own configuration (SSRF protection off unless N8N_SSRF_PROTECTION_ENABLED=true).
 * - 'enforced': N8N_SSRF_PROTECTION_ENABLED=true with the default blocked ranges (127.0.0.0/8 among them).
 * - 'allow-loopback': the same plus N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32,::1/128.
 */
export type SsrfMode = 'n8n-default' | 'enforced' | 'allow-loopback';

let ssrfApplied: SsrfMode | undefined;

/**
 * Sets n8n's SSRF configuration (@n8n/config SsrfProtectionConfig) as its environment variables
 * would. OutboundHttp and SsrfProtectionService are DI singletons built from that config, so a
 * change of mode resets the container and lets them be built again.
 */
export function configureSsrf(mode: SsrfMode = 'n8n-default') {
	if (mode === ssrfApplied) return;
	Container.reset();
	const config = Container.get(SsrfProtectionConfig);
	if (mode !== 'n8n-default') config.enabled = true;
	if (mode === 'allow-loopback') config.allowedIpRanges = ['127.0.0.1/32', '::1/128'];
	ssrfApplied = mode;
}

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	workflowId?: string;
	userId?: string;
	variables?: IDataObject;
	executionTimeoutTimestamp?: number;
}

/** The base additional data of packages/cli/src/workflow-execute-additional-data.ts (getBase). */
export function buildAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	const { endpoints } = Container.get(GlobalConfig);
	const base = 'http://localhost:5678/'; // UrlService default (N8N_PROTOCOL://N8N_HOST:N8N_PORT/)
	const unavailable = (what: string) => async () => {
		throw new UserError(`${what} is not available in the engine test harness`);
	};
	const additionalData = {
		currentNodeExecutionIndex: 0,
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		workflowId: options.workflowId,
		userId: options.userId ?? 'engine-test-user',
		variables: options.variables ?? {},
		executionTimeoutTimestamp: options.executionTimeoutTimestamp,
		restApiUrl: base + endpoints.rest,
		instanceBaseUrl: base,
		formWaitingBaseUrl: base + endpoints.formWaiting,
		formBaseUrl: base + endpoints.form,
		formTestBaseUrl: base + endpoints.formTest,
		webhookBaseUrl: base + endpoints.webhook,
		webhookWaitingBaseUrl: base + endpoints.webhookWaiting,
		webhookTestBaseUrl: base + endpoints.webhookTest,
		mcpBaseUrl: base + endpoints.mcp,
		mcpTestBaseUrl: base + endpoints.mcpTest,
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		executeWorkflow: unavailable('Execute Workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unavailable('The task runner (Code node)'),
		logAiEvent: () => {},
		setExecutionStatus: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	// As getBase does: hand the SSRF bridge to the engine when protection is on.
	if (Container.get(SsrfProtectionConfig).enabled) {
		additionalData.ssrfBridge = Container.get(SsrfProtectionService);
	}
	return additionalData;
}
