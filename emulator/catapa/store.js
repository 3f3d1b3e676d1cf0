// @ts-check
'use strict';
// The emulator's data: seeded or empty state, the paged listings and the membership views.
const { seedState } = require('./seed');
const { ApiError } = require('./errors');

/** @typedef {ReturnType<typeof seedState>} CatapaState */

const MAX_PAGE_SIZE = 50;

const LISTS = {
	'/core/v1/employees': 'employees',
	'/core/v1/bpjs-healthcare-providers': 'healthcareProviders',
	'/core/v1/bpjs-healthcare-templates': 'healthcareTemplates',
	'/core/v1/bpjs-manpower-providers': 'manpowerProviders',
	'/core/v1/bpjs-manpower-templates': 'manpowerTemplates',
};

/** The seed data, or no data at all. @param {boolean} seed @returns {CatapaState} */
function createState(seed) {
	if (seed) return seedState();
	return /** @type {any} */ ({
		employees: [],
		healthcareProviders: [],
		healthcareTemplates: [],
		manpowerProviders: [],
		manpowerTemplates: [],
		healthcareMemberships: new Map(),
		manpowerMemberships: new Map(),
	});
}

/**
 * One page of a listing, `query` filtered.
 * @param {CatapaState} state
 * @param {string} list
 * @param {URLSearchParams} query
 */
function listPage(state, list, query) {
	const page = query.has('page') ? Number(query.get('page')) : 0;
	const size = query.has('size') ? Number(query.get('size')) : 20;
	if (!Number.isInteger(page) || page < 0)
		throw new ApiError(400, 'BAD_REQUEST', 'page must be an integer from 0');
	if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
		throw new ApiError(400, 'BAD_REQUEST', `size must be an integer from 1 to ${MAX_PAGE_SIZE}`);
	}
	/** @type {Array<Record<string, any>>} */
	let rows = /** @type {any} */ (state)[list];
	const search = (query.get('query') ?? '').trim();
	if (search !== '') {
		// `field:text` (e.g. name:John Doe), case-insensitive "contains"; bare text searches names.
		const colon = search.indexOf(':');
		const field = colon < 0 ? 'name' : search.slice(0, colon).trim();
		const text = (colon < 0 ? search : search.slice(colon + 1)).trim().toLowerCase();
		if (!['name', 'code', 'identificationNo', 'email'].includes(field)) {
			throw new ApiError(400, 'BAD_REQUEST', `Unsupported query field: ${field}`);
		}
		rows = rows.filter((row) =>
			String(row[field] ?? '')
				.toLowerCase()
				.includes(text),
		);
	}
	const content = rows.slice(page * size, page * size + size);
	return {
		content,
		number: page,
		size,
		numberOfElements: content.length,
		totalElements: rows.length,
		totalPages: Math.ceil(rows.length / size),
		first: page === 0,
		last: (page + 1) * size >= rows.length,
	};
}

/** Response fields of the spec's "Get/Update BPJS Healthcare Membership". */
function healthcareView(/** @type {any} */ m) {
	return {
		id: m.id,
		employeeId: m.employeeId,
		membershipNumber: m.membershipNumber,
		startDate: m.startDate,
		endDate: m.endDate,
		effectiveDate: m.effectiveDate,
		firstLevelHealthcareFacility: m.firstLevelHealthcareFacility,
		dentalHealthcareFacility: m.dentalHealthcareFacility,
	};
}

/** Response fields of the spec's "Get/Update BPJS Manpower Membership". */
function manpowerView(/** @type {any} */ m) {
	return {
		id: m.id,
		membershipNumber: m.membershipNumber,
		startDate: m.startDate,
		endDate: m.endDate,
		effectiveDate: m.effectiveDate,
		pensionEnd: m.pensionEnd,
	};
}

/**
 * @param {CatapaState} state
 * @param {string} list
 * @param {string} id
 * @param {string} code
 * @param {string} field
 */
function mustExist(state, list, id, code, field) {
	if (!(/** @type {any} */ (state)[list].some((/** @type {any} */ row) => row.id === id))) {
		throw new ApiError(400, code, `${field} ${id} does not exist`);
	}
}

/** Plain JSON copy of the state (Maps become objects). */
function stateJson(/** @type {CatapaState} */ state) {
	return {
		...state,
		healthcareMemberships: Object.fromEntries(state.healthcareMemberships),
		manpowerMemberships: Object.fromEntries(state.manpowerMemberships),
	};
}

module.exports = {
	LISTS,
	createState,
	listPage,
	healthcareView,
	manpowerView,
	mustExist,
	stateJson,
};
