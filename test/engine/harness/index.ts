/*
 * Engine test harness: runs real workflows through n8n-core's WorkflowExecute (the engine of
 * n8n 2.40.7) with this package's nodes and credentials. Credentials go through a
 * CredentialsHelper that reimplements n8n's own (packages/cli/src/credentials-helper.ts), so
 * preAuthentication and authenticate run exactly where and when n8n runs them; HTTP goes out
 * through n8n's OutboundHttp over real sockets. Nothing here is mocked.
 *
 * Usage:
 *   import { CredentialStore, runNode, runWorkflow, testCredentials } from './harness';
 *   const store = new CredentialStore();
 *   const briApi = store.set('briApi', { environment: 'custom', customUrl: emu.url,
 *     consumerKey, consumerSecret, accessToken: '' });            // → { id, name }
 *   const { items, error } = await runNode({
 *     node: new BriSmartBilling(),                                 // type defaults to n8n-nodes-bri-bpjs.<name>
 *     parameters: { resource: 'customerGroup', operation: 'getAll' },
 *     credentials: { briApi }, store,
 *     items: [{ a: 1 }, { json: { a: 2 } }],                       // plain objects or n8n items
 *     continueOnFail: false,
 *   });
 *   // Whole workflows (n8n's export JSON): runWorkflow({ workflow, nodeTypes: { briSmartBilling: new BriSmartBilling() },
 *   //   credentials: store }) → { runData, lastNodeOutput, error, execution }
 *   // Credential test as n8n's "Test" button runs it: testCredentials({ type: 'briApi', credentials: briApi, store })
 *   // Webhook triggers as a published workflow serves them: serveWebhookWorkflow({ workflow, nodeTypes,
 *   //   credentials: store }) → { url(path), activate(), executions, settle(), close() } (webhook.ts)
 *
 * SSRF: n8n 2.40 ships SSRF protection off (N8N_SSRF_PROTECTION_ENABLED=false, @n8n/config
 * SsrfProtectionConfig); when it is on, 127.0.0.0/8 is in the default blocked ranges. The harness
 * keeps n8n's default; `ssrf: 'allow-loopback'` turns protection on with 127.0.0.1/32 and ::1/128 allowed
 * (N8N_SSRF_PROTECTION_ENABLED=true + N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32,::1/128), and
 * `ssrf: 'enforced'` turns it on with the default ranges, so loopback is refused.
 */
// One module per concern; tests import this index ('…/harness').
export * from './env';
export * from './credentials';
export * from './credentialsHelper';
export * from './nodeTypes';
export * from './additionalData';
export * from './workflow';
export * from './node';
export * from './credentialTest';
export * from './webhook';
