// @ts-check
'use strict';
// Get and Update of the BPJS Healthcare and Manpower memberships: the request checks and the
// stored record (docs/spec-readings.md#catapa).
const { randomUUID } = require('node:crypto');
const { pensionEnd } = require('./seed');
const { ApiError } = require('./errors');
const { healthcareView, manpowerView, mustExist } = require('./store');

const MEMBERSHIP_PATH = /^\/core\/v1\/employees\/([^/]+)\/bpjs-(healthcare|manpower)-memberships$/;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** @param {unknown} value */
function isDate(value) {
	if (typeof value !== 'string') return false;
	const m = DATE.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return (
		d.getUTCFullYear() === Number(m[1]) &&
		d.getUTCMonth() === Number(m[2]) - 1 &&
		d.getUTCDate() === Number(m[3])
	);
}

/** @param {any} body @param {string} field */
function requireText(body, field) {
	const value = body[field];
	if (typeof value !== 'string' || value.trim() === '') {
		throw new ApiError(400, 'BAD_REQUEST', `${field} must not be blank`);
	}
	return value;
}

/** @param {any} body @param {string} field */
function optionalText(body, field) {
	const value = body[field];
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string')
		throw new ApiError(400, 'BAD_REQUEST', `${field} must be a string`);
	return value;
}

/** @param {any} body */
function dates(body) {
	const startDate = requireText(body, 'startDate');
	if (!isDate(startDate))
		throw new ApiError(400, 'BAD_REQUEST', 'startDate must be a date in yyyy-MM-dd format');
	const effectiveDate = optionalText(body, 'effectiveDate');
	if (effectiveDate !== null && !isDate(effectiveDate)) {
		throw new ApiError(400, 'BAD_REQUEST', 'effectiveDate must be a date in yyyy-MM-dd format');
	}
	// The spec does not forbid an effective date before the start date (docs/spec-readings.md#catapa).
	// Spec: "Effective Date ... default to start date".
	return { startDate, effectiveDate: effectiveDate ?? startDate };
}

/**
 * Get (GET) or Update (PUT) an employee's membership; answers the spec's response fields.
 * @param {import('./store').CatapaState} state
 * @param {string} method
 * @param {string} employeeId
 * @param {'healthcare' | 'manpower'} kind
 * @param {string} raw
 */
function membership(state, method, employeeId, kind, raw) {
	const employee = state.employees.find((e) => e.id === employeeId);
	if (!employee) throw new ApiError(404, 'EMPLOYEE_NOT_FOUND', `Employee ${employeeId} not found`);
	const store = kind === 'healthcare' ? state.healthcareMemberships : state.manpowerMemberships;
	const view = kind === 'healthcare' ? healthcareView : manpowerView;
	if (method === 'GET') {
		const current = store.get(employeeId);
		if (!current) {
			throw new ApiError(
				404,
				`BPJS_${kind.toUpperCase()}_MEMBERSHIP_NOT_FOUND`,
				`Employee ${employeeId} has no BPJS ${kind} membership`,
			);
		}
		return view(current);
	}
	if (method !== 'PUT')
		throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Request method '${method}' is not supported`);
	/** @type {any} */
	let body;
	try {
		body = JSON.parse(raw);
	} catch {
		throw new ApiError(400, 'BAD_REQUEST', 'Request body is not valid JSON');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new ApiError(400, 'BAD_REQUEST', 'Request body must be a JSON object');
	}
	const previous = store.get(employeeId);
	/** @type {any} */
	let next;
	if (kind === 'healthcare') {
		const providerId = requireText(body, 'bpjsHealthcareProviderId');
		const templateId = requireText(body, 'bpjsHealthcareTemplateId');
		const membershipNumber = requireText(body, 'membershipNumber');
		const { startDate, effectiveDate } = dates(body);
		mustExist(
			state,
			'healthcareProviders',
			providerId,
			'BPJS_HEALTHCARE_PROVIDER_NOT_FOUND',
			'bpjsHealthcareProviderId',
		);
		mustExist(
			state,
			'healthcareTemplates',
			templateId,
			'BPJS_HEALTHCARE_TEMPLATE_NOT_FOUND',
			'bpjsHealthcareTemplateId',
		);
		const family = body.additionalFamilyMemberships;
		if (
			family !== undefined &&
			family !== null &&
			(!Array.isArray(family) || family.some((f) => !f || typeof f !== 'object'))
		) {
			throw new ApiError(
				400,
				'BAD_REQUEST',
				'additionalFamilyMemberships must be an array of objects',
			);
		}
		next = {
			id: previous?.id ?? randomUUID(),
			employeeId,
			bpjsHealthcareProviderId: providerId,
			bpjsHealthcareTemplateId: templateId,
			bpjsHealthcareTreatmentClassId: optionalText(body, 'bpjsHealthcareTreatmentClassId'),
			membershipNumber,
			startDate,
			endDate: previous?.endDate ?? null,
			effectiveDate,
			firstLevelHealthcareFacility: optionalText(body, 'firstLevelHealthcareFacility'),
			dentalHealthcareFacility: optionalText(body, 'dentalHealthcareFacility'),
			additionalFamilyMemberships: family ?? [],
		};
	} else {
		const providerId = requireText(body, 'bpjsManpowerProviderId');
		const templateId = requireText(body, 'bpjsManpowerTemplateId');
		const { startDate, effectiveDate } = dates(body);
		mustExist(
			state,
			'manpowerProviders',
			providerId,
			'BPJS_MANPOWER_PROVIDER_NOT_FOUND',
			'bpjsManpowerProviderId',
		);
		mustExist(
			state,
			'manpowerTemplates',
			templateId,
			'BPJS_MANPOWER_TEMPLATE_NOT_FOUND',
			'bpjsManpowerTemplateId',
		);
		next = {
			id: previous?.id ?? randomUUID(),
			employeeId,
			bpjsManpowerProviderId: providerId,
			bpjsManpowerTemplateId: templateId,
			// Optional in the spec; keep the number on file when the update leaves it out.
			membershipNumber:
				optionalText(body, 'membershipNumber') ?? previous?.membershipNumber ?? null,
			startDate,
			endDate: previous?.endDate ?? null,
			effectiveDate,
			pensionEnd: pensionEnd(employee.birthDate),
		};
	}
	store.set(employeeId, next);
	return view(next);
}

module.exports = { MEMBERSHIP_PATH, membership };
