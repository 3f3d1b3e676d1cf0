// The n8n Data Tables behind the example workflows (examples/*.json), and their demo rows.
// Used by `npm start` (after n8n is up: tables are made through n8n's REST API) and by the
// e2e tests of the examples. The examples find their table by name ("By Name" in the Data
// table node), so nothing in the workflow files depends on ids of one n8n instance.
'use strict';

const { DEMO: BSB_DEMO } = require('../../emulator/bsb');
const { briSign } = require('../../emulator/bsb/util');

/** The invoices table of flows 1 and 2: one row per bill to send, written back as it goes. */
const INVOICES_TABLE = Object.freeze({
	name: 'BRI invoices',
	columns: [
		// Filled in by you (or your sheet): who pays what.
		{ name: 'tenant', type: 'string' },
		{ name: 'unit', type: 'string' },
		{ name: 'referenceNumCustomer', type: 'string' },
		{ name: 'referenceNumFeetype', type: 'string' },
		{ name: 'amount', type: 'number' },
		{ name: 'expDate', type: 'string' },
		{ name: 'remarks', type: 'string' },
		// Written by the workflows: new → unpaid (or error) → paid.
		{ name: 'status', type: 'string' },
		{ name: 'referenceNumInvoice', type: 'string' },
		{ name: 'brivaNo', type: 'string' },
		{ name: 'error', type: 'string' },
		{ name: 'paidAmount', type: 'number' },
		{ name: 'transactionID', type: 'string' },
		{ name: 'paidAt', type: 'string' },
	],
});

/**
 * Demo tenants, created in the BSB emulator (on top of its own CUST001..003) so that invoices
 * spread over a handful of BRIVA numbers, several invoices on each.
 */
const DEMO_CUSTOMERS = Object.freeze(
	[
		['TENANT01', 'TOWERA', 'Rina Kusuma', 'A-0301'],
		['TENANT02', 'TOWERA', 'Dimas Pratama', 'A-0302'],
		['TENANT03', 'TOWERA', 'Putri Lestari', 'A-0405'],
		['TENANT04', 'TOWERB', 'Hendra Gunawan', 'B-0110'],
		['TENANT05', 'TOWERB', 'Maya Sari', 'B-0212'],
		['TENANT06', 'TOWERB', 'Yusuf Hakim', 'B-0315'],
	].map(([referenceNumCustomer, referenceNumCustomergroup, name, unit], i) => ({
		referenceNumCustomer,
		referenceNumCustomergroup,
		name,
		unit,
		phone: `0812345679${String(i + 10)}`,
		email: `${referenceNumCustomer.toLowerCase()}@example.com`,
	})),
);

const FEES = Object.freeze([
	{ referenceNumFeetype: 'SEWA01', amount: 4500000, remarks: 'Sewa unit' },
	{ referenceNumFeetype: 'IPL001', amount: 750000, remarks: 'Iuran pengelolaan lingkungan' },
	{ referenceNumFeetype: 'AIR001', amount: 125000, remarks: 'Tagihan air' },
]);

/** What is wrong with each of the invalid demo rows, in turn; each ends in the errors branch. */
const INVALID_KINDS = Object.freeze([
	{ kind: 'amount', patch: { amount: 1250000.5 }, error: /amount/ },
	{ kind: 'expDate', patch: { expDate: '31/12/2026' }, error: /expDate/ },
	{
		kind: 'customer',
		patch: { referenceNumCustomer: 'TENANT99', tenant: 'Unknown tenant', unit: 'X-0000' },
		error: /BSB 0006|not found/i,
	},
]);

/**
 * Demo rows for the invoices table: `count` rows over the demo tenants and fee types, status
 * "new"; the rows at `invalidAt` (0-based) are broken as INVALID_KINDS says, in turn.
 */
function demoInvoiceRows({ count = 12, invalidAt = [4, 9] } = {}) {
	const rows = [];
	for (let i = 0; i < count; i++) {
		const customer = DEMO_CUSTOMERS[i % DEMO_CUSTOMERS.length];
		const fee = FEES[Math.floor(i / DEMO_CUSTOMERS.length) % FEES.length];
		rows.push({
			tenant: customer.name,
			unit: customer.unit,
			referenceNumCustomer: customer.referenceNumCustomer,
			referenceNumFeetype: fee.referenceNumFeetype,
			// Amounts differ a little per row, so a wrong row mapping shows in the tests.
			amount: fee.amount + i * 1000,
			expDate: '',
			remarks: `${fee.remarks} ${customer.unit}`,
			status: 'new',
		});
	}
	invalidAt.forEach((index, n) =>
		Object.assign(rows[index], INVALID_KINDS[n % INVALID_KINDS.length].patch),
	);
	return rows;
}

/** The project the owner's tables live in (their personal project). */
async function personalProjectId(client) {
	const project = await client.get('/projects/personal');
	return project.id;
}

async function findTable(client, projectId, name) {
	const filter = encodeURIComponent(JSON.stringify({ name }));
	const page = await client.get(`/projects/${projectId}/data-tables?filter=${filter}&take=50`);
	const list = Array.isArray(page) ? page : (page?.data ?? []);
	return list.find((t) => t.name === name);
}

/** Every row of a table (ordered by id). */
async function readRows(client, projectId, tableId) {
	const rows = [];
	for (let skip = 0; ; skip += 500) {
		const page = await client.get(
			`/projects/${projectId}/data-tables/${tableId}/rows?skip=${skip}&take=500&sortBy=${encodeURIComponent('id:asc')}`,
		);
		rows.push(...page.data);
		if (rows.length >= page.count || page.data.length === 0) return rows;
	}
}

async function insertRows(client, projectId, tableId, rows) {
	for (let i = 0; i < rows.length; i += 500) {
		await client.post(`/projects/${projectId}/data-tables/${tableId}/insert`, {
			data: rows.slice(i, i + 500),
			returnType: 'count',
		});
	}
}

/**
 * Creates the examples' tables through n8n's REST API (the owner's session in `client`) when
 * they are missing, and fills a new table with demo rows. A table that exists is left alone
 * (it holds the user's data), unless `replace` is set: then it is emptied and refilled.
 * Returns { projectId, invoices: { id, name, created, rows } }.
 */
async function setUpDataTables(client, { rows = demoInvoiceRows(), replace = false } = {}) {
	const projectId = await personalProjectId(client);
	let table = await findTable(client, projectId, INVOICES_TABLE.name);
	let created = false;
	if (table && replace) {
		await client.request('DELETE', `/rest/projects/${projectId}/data-tables/${table.id}`);
		table = undefined;
	}
	if (!table) {
		table = await client.post(`/projects/${projectId}/data-tables`, {
			name: INVOICES_TABLE.name,
			columns: INVOICES_TABLE.columns,
		});
		created = true;
		await insertRows(client, projectId, table.id, rows);
	}
	return {
		projectId,
		invoices: { id: table.id, name: table.name, created, rows: created ? rows.length : undefined },
	};
}

/**
 * A partner's client of a BSB emulator, as the node does it: a token, then signed requests.
 * Returns `call(path, payload)` (path below /v1/bsb), resolving to BSB's JSON answer.
 */
async function bsbPartner({
	bsbUrl,
	consumerKey = BSB_DEMO.consumerKey,
	consumerSecret = BSB_DEMO.consumerSecret,
}) {
	const base = bsbUrl.replace(/\/+$/, '');
	const tokenResponse = await fetch(
		`${base}/oauth/client_credential/accesstoken?grant_type=client_credentials`,
		{
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_id: consumerKey,
				client_secret: consumerSecret,
			}).toString(),
		},
	);
	const token = /** @type {{ access_token?: string }} */ (await tokenResponse.json()).access_token;
	if (!token) throw new Error(`BSB emulator gave no token (HTTP ${tokenResponse.status})`);
	/** @returns {Promise<any>} BSB's JSON answer */
	return async (path, payload) => {
		const body = JSON.stringify(payload);
		const timestamp = new Date().toISOString();
		const signature = briSign(consumerSecret, {
			path: `/v1/bsb${path}`,
			verb: 'POST',
			token,
			timestamp,
			body,
		});
		const response = await fetch(`${base}/v1/bsb${path}`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${token}`,
				'BRI-Timestamp': timestamp,
				'BRI-Signature': signature,
				'Content-Type': 'application/json',
			},
			body,
		});
		return response.json();
	};
}

/**
 * Adds the demo tenants to a BSB emulator through its API, as a partner would (token, signed
 * requests). Tenants that exist already are kept. Returns their BRIVA numbers by reference.
 */
async function createDemoCustomers(options) {
	const call = await bsbPartner(options);
	const brivaNos = {};
	for (const c of DEMO_CUSTOMERS) {
		const answer = await call('/customers', {
			referenceNumCustomer: c.referenceNumCustomer,
			referenceNumCustomergroup: c.referenceNumCustomergroup,
			name: c.name,
			phone: c.phone,
			pic: c.name,
			email: c.email,
			address: `Unit ${c.unit}, Jl. Jenderal Sudirman No. 1, Jakarta`,
			customerStatusNotif: 'WA',
			labelOwner: [c.unit],
			labelPartner: [],
		});
		if (answer.responseCode !== '0000' && answer.responseCode !== '0005') {
			throw new Error(
				`BSB emulator refused demo customer ${c.referenceNumCustomer}: ${JSON.stringify(answer)}`,
			);
		}
		const detail =
			answer.data?.detail ??
			(await call('/customers/getRefNum', { referenceNumCustomer: c.referenceNumCustomer })).data
				?.detail;
		brivaNos[c.referenceNumCustomer] = detail?.find(
			(d) => d.referenceNumCustomergroup === c.referenceNumCustomergroup,
		)?.brivaNo;
	}
	return brivaNos;
}

/**
 * `npm start`, once n8n is up: the demo tenants in the BSB emulator (kept if a restored emulator
 * has them already) and the examples' Data Table (once; later starts keep its rows).
 */
async function prepareDemo({ client, bsbUrl, owner }) {
	if (!client.cookie) await client.login(owner.email, owner.password);
	const brivaNos = await createDemoCustomers({ bsbUrl });
	const tables = await setUpDataTables(client);
	return { brivaNos, tables };
}

module.exports = {
	prepareDemo,
	INVOICES_TABLE,
	DEMO_CUSTOMERS,
	INVALID_KINDS,
	demoInvoiceRows,
	personalProjectId,
	findTable,
	readRows,
	setUpDataTables,
	createDemoCustomers,
	bsbPartner,
};
