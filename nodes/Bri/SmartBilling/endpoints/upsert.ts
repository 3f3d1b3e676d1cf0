// Create or Update, for the four resources BSB creates by a reference number of the partner's:
// the create's request with the create's rules, then, when BSB answers 0005 (already exists),
// the update's request (docs/spec-readings.md#create-or-update).
import type { EndpointDescriptor } from './types';

export function createOrUpdate(endpoints: EndpointDescriptor[]): EndpointDescriptor[] {
	return (['customer', 'customerGroup', 'feeType', 'invoice'] as const).map((resource) => {
		const create = endpoints.find((e) => e.resource === resource && e.operation === 'create')!;
		const noun = create.action.replace(/^Create /, '');
		return {
			...create,
			operation: 'upsert',
			name: 'Create or Update',
			action: `Create or update ${noun}`,
			description: `Create ${noun}, or update it when its reference number already exists`,
			default: false,
			// Create, then update on 0005: sending the pair again gives the same record, so it is
			// retried after an unknown outcome like an update; a retry that meets 0005 updates.
			idempotent: true,
			onRetry: undefined,
			upsert: { create: 'create', update: 'update' },
		};
	});
}
