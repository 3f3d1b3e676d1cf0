// Imported first by every module of the harness, before anything loads n8n-core.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core's InstanceSettings writes <N8N_USER_FOLDER>/.n8n/config on first use: keep it out of $HOME.
process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'n8n-engine-harness-'));
// n8n logs every node error through its ErrorReporter; N8N_LOG_LEVEL=error shows them.
process.env.N8N_LOG_LEVEL ??= 'silent';

export const PACKAGE_NAME = 'n8n-nodes-bri-bpjs';
export const REPO_ROOT = path.resolve(__dirname, '../../..');
