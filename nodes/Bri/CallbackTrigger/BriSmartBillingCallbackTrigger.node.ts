// BRI Smart Billing Trigger under the type name users add, briSmartBillingTrigger: n8n's node panel
// pairs a trigger with its app by type name (briSmartBilling + "Trigger"), so it shows among BRI
// Smart Billing's triggers. The same node as BriCallbackTrigger.node.ts (its first type name, kept
// hidden for saved workflows): one implementation and one description; only the name and the
// visibility differ. The file is not called BriSmartBillingTrigger because n8n's linter, which its
// scanner runs, wants a node file's name to contain its folder's (CallbackTrigger).
import type { INodeTypeDescription } from 'n8n-workflow';

import { BriCallbackTrigger } from './BriCallbackTrigger.node';

export class BriSmartBillingCallbackTrigger extends BriCallbackTrigger {
	constructor() {
		super();
		this.description = visibleAs('briSmartBillingTrigger', this.description);
	}
}

function visibleAs(name: string, description: INodeTypeDescription): INodeTypeDescription {
	const shown = { ...description, name };
	delete shown.hidden;
	return shown;
}
