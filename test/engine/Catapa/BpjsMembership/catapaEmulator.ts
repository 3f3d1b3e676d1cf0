// One CATAPA emulator per test file, reset before each test, with a fresh CATAPA API credential
// pointing at it, and a runner of the BPJS Membership node through n8n-core's engine.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BpjsMembership } from '../../../../nodes/Catapa/BpjsMembership/BpjsMembership.node';
import { CredentialStore, runNode } from '../../harness';
import type { RunNodeResult } from '../../harness';

import { startCatapaEmulator, DEMO } from '../../../../emulator/catapa';
import type { CatapaEmulator } from '../../../../emulator';

export interface CatapaFixture {
	emu: CatapaEmulator;
	store: CredentialStore;
	catapaApi: { id: string; name: string };
	run(
		parameters: INodeParameters,
		items?: IDataObject[],
		continueOnFail?: boolean,
	): Promise<RunNodeResult>;
}

/** Registers the file's hooks; the fields are set once `beforeAll` and `beforeEach` have run. */
export function useCatapa(): CatapaFixture {
	const env = {
		run: (parameters: INodeParameters, items: IDataObject[] = [{}], continueOnFail = false) =>
			runNode({
				node: new BpjsMembership(),
				parameters,
				credentials: { catapaApi: env.catapaApi },
				store: env.store,
				items,
				continueOnFail,
			}),
	} as CatapaFixture;
	beforeAll(async () => {
		env.emu = await startCatapaEmulator({ port: 0 });
	});
	afterAll(async () => await env.emu.close());
	beforeEach(() => {
		env.emu.reset();
		env.store = new CredentialStore();
		env.catapaApi = env.store.set('catapaApi', {
			baseUrl: env.emu.url,
			tenant: DEMO.tenant,
			clientId: DEMO.clientId,
			clientSecret: DEMO.clientSecret,
			accessToken: '',
		});
	});
	return env;
}
