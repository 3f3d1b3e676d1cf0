// The node descriptions are a public contract (parameter names, option values, display options,
// defaults): saved workflows and examples/ depend on them. Any change shows here as a diff against
// the committed snapshot (compared as JSON, so formatting and key order do not count); refresh it
// with UPDATE_DESCRIPTIONS=1, then Prettier, only for a deliberate change.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { BriSmartBillingCallbackTrigger } from '../../nodes/Bri/CallbackTrigger/BriSmartBillingCallbackTrigger.node';
import { BriSmartBilling } from '../../nodes/Bri/SmartBilling/BriSmartBilling.node';
import { BpjsMembership } from '../../nodes/Catapa/BpjsMembership/BpjsMembership.node';

// The trigger's first type name (BriCallbackTrigger) has the same description but for name and
// hidden: test/unit/Bri/CallbackTrigger/nodeTypes.test.ts.
const nodes = { BriSmartBilling, BpjsMembership, BriSmartBillingCallbackTrigger };

describe.each(Object.entries(nodes))('%s description', (name, NodeClass) => {
	it('equals the committed snapshot', () => {
		const file = path.join(__dirname, 'snapshots', `${name}.description.json`);
		const actual = JSON.stringify(new NodeClass().description, null, '\t');
		if (process.env.UPDATE_DESCRIPTIONS === '1') writeFileSync(file, `${actual}\n`);
		expect(JSON.parse(actual)).toStrictEqual(JSON.parse(readFileSync(file, 'utf8')));
	});
});
