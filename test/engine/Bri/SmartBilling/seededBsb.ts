// One seeded BSB emulator per test file, reset before each test, with a fresh BRI API credential
// pointing at it, and a runner of the BRI Smart Billing node through n8n-core's engine.
import type { IDataObject } from 'n8n-workflow';

import { BriSmartBilling } from '../../../../nodes/Bri/SmartBilling/BriSmartBilling.node';
import { CredentialStore, runNode } from '../../harness';
import type { RunNodeResult } from '../../harness';

import { startBsbEmulator, DEMO } from '../../../../emulator/bsb';
import type { BsbEmulator } from '../../../../emulator';

/** Invoice → Create with its values from the item: `{ ref, customer, amount }`, fee type IPL001. */
export const invoiceParams = {
	resource: 'invoice',
	operation: 'create',
	referenceNumInvoice: '={{ $json.ref }}',
	referenceNumCustomer: '={{ $json.customer }}',
	referenceNumFeetype: { __rl: true, mode: 'id', value: 'IPL001' },
	amount: '={{ $json.amount }}',
	expDate: '2026-12-31',
};

export interface SeededBsb {
	emu: BsbEmulator;
	store: CredentialStore;
	briApi: { id: string; name: string };
	/** The requests BSB received (the token requests left out). */
	bsbCalls(): BsbEmulator['requests'];
	run(
		parameters: Record<string, unknown>,
		items?: IDataObject[],
		continueOnFail?: boolean,
	): Promise<RunNodeResult>;
}

/** Registers the file's hooks; the fields are set once `beforeAll` has run. */
export function useSeededBsb(): SeededBsb {
	const env = {
		bsbCalls: () => env.emu.requests.filter((r) => r.path.startsWith('/v1/bsb')),
		run: (
			parameters: Record<string, unknown>,
			items: IDataObject[] = [{}],
			continueOnFail = false,
		) =>
			runNode({
				node: new BriSmartBilling(),
				parameters: parameters as never,
				credentials: { briApi: env.briApi },
				store: env.store,
				items,
				continueOnFail,
			}),
	} as SeededBsb;
	beforeAll(async () => {
		env.emu = await startBsbEmulator({
			port: 0,
			consumerKey: DEMO.consumerKey,
			consumerSecret: DEMO.consumerSecret,
			seed: true,
			randomSeed: 7,
		});
	});
	afterAll(async () => await env.emu.close());
	beforeEach(() => {
		env.emu.reset({ seed: true, knobs: true });
		env.store = new CredentialStore();
		env.briApi = env.store.set('briApi', {
			environment: 'custom',
			customUrl: env.emu.url,
			consumerKey: DEMO.consumerKey,
			consumerSecret: DEMO.consumerSecret,
			accessToken: '',
		});
	});
	return env;
}
