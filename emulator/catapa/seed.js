// @ts-check
'use strict';
// Seed data for the CATAPA emulator: a demo tenant's employees, BPJS providers, templates and
// memberships. Deterministic, so tests and screenshots can name IDs.

const FIRST = [
	'Budi',
	'Siti',
	'Agus',
	'Dewi',
	'Rizky',
	'Putri',
	'Andi',
	'Rina',
	'Joko',
	'Wulan',
	'Hendra',
	'Sri',
];
const LAST = [
	'Santoso',
	'Rahayu',
	'Wijaya',
	'Lestari',
	'Pratama',
	'Kusuma',
	'Hidayat',
	'Permata',
	'Saputra',
	'Anggraini',
];

/**
 * UUID-shaped IDs; employee 0 carries the spec's example ID.
 * @param {string} prefix @param {number} n
 */
function uuid(prefix, n) {
	return `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

const SPEC_EXAMPLE_EMPLOYEE_ID = '0ab1c2d3-e4f5-6789-0123-456789abcdef';

/** @param {number} n */
function pad(n) {
	return String(n).padStart(2, '0');
}

function seedState() {
	const employees = [];
	for (let i = 0; i < 120; i++) {
		const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
		employees.push({
			id: i === 0 ? SPEC_EXAMPLE_EMPLOYEE_ID : uuid('e0000000', i),
			identificationNo: `EMP${String(i + 1).padStart(4, '0')}`,
			name,
			email: `${name.toLowerCase().replace(/\s+/g, '.')}${i}@demo-tenant.example`,
			joinDate: `20${pad(15 + (i % 9))}-${pad(1 + (i % 12))}-01`,
			birthDate: `19${pad(70 + (i % 28))}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`,
		});
	}
	const healthcareProviders = [
		{
			id: uuid('b1000000', 1),
			code: 'BPJSKES-JKT',
			name: 'PT Demo Sejahtera - BPJS Kesehatan Jakarta Pusat',
		},
		{
			id: uuid('b1000000', 2),
			code: 'BPJSKES-SBY',
			name: 'PT Demo Sejahtera - BPJS Kesehatan Surabaya',
		},
	];
	const healthcareTemplates = [
		{
			id: uuid('b2000000', 1),
			code: 'KES-STD',
			name: 'BPJS Kesehatan Standard (4% company, 1% employee)',
		},
		{
			id: uuid('b2000000', 2),
			code: 'KES-FAM',
			name: 'BPJS Kesehatan with Additional Family (4% + 1% + 1% per member)',
		},
	];
	const manpowerProviders = [
		{
			id: uuid('b3000000', 1),
			code: 'BPJSTK-JKT',
			name: 'PT Demo Sejahtera - BPJS Ketenagakerjaan Jakarta',
		},
		{
			id: uuid('b3000000', 2),
			code: 'BPJSTK-BDG',
			name: 'PT Demo Sejahtera - BPJS Ketenagakerjaan Bandung',
		},
	];
	const manpowerTemplates = [
		{ id: uuid('b4000000', 1), code: 'TK-FULL', name: 'JHT + JKK + JKM + JP' },
		{ id: uuid('b4000000', 2), code: 'TK-NOJP', name: 'JHT + JKK + JKM (no pension)' },
		{ id: uuid('b4000000', 3), code: 'TK-BPU', name: 'Bukan Penerima Upah (JKK + JKM)' },
	];
	/** @type {Map<string, any>} */
	const healthcareMemberships = new Map();
	/** @type {Map<string, any>} */
	const manpowerMemberships = new Map();
	for (let i = 0; i < 10; i++) {
		const employee = employees[i];
		healthcareMemberships.set(employee.id, {
			id: uuid('c1000000', i + 1),
			employeeId: employee.id,
			bpjsHealthcareProviderId: healthcareProviders[0].id,
			bpjsHealthcareTemplateId: healthcareTemplates[0].id,
			bpjsHealthcareTreatmentClassId: null,
			membershipNumber: `000${String(1234567000 + i)}`,
			startDate: employee.joinDate,
			endDate: null,
			effectiveDate: employee.joinDate,
			firstLevelHealthcareFacility: 'Puskesmas Menteng',
			dentalHealthcareFacility: 'Klinik Gigi Sehat',
			additionalFamilyMemberships: [],
		});
	}
	for (let i = 0; i < 5; i++) {
		const employee = employees[i];
		manpowerMemberships.set(employee.id, {
			id: uuid('c2000000', i + 1),
			employeeId: employee.id,
			bpjsManpowerProviderId: manpowerProviders[0].id,
			bpjsManpowerTemplateId: manpowerTemplates[0].id,
			membershipNumber: String(21000000000 + i),
			startDate: employee.joinDate,
			endDate: null,
			effectiveDate: employee.joinDate,
			pensionEnd: pensionEnd(employee.birthDate),
		});
	}
	return {
		employees,
		healthcareProviders,
		healthcareTemplates,
		manpowerProviders,
		manpowerTemplates,
		healthcareMemberships,
		manpowerMemberships,
	};
}

/**
 * Pension age 58 (Jaminan Pensiun, 2024): the month after the 58th birthday.
 * @param {string} birthDate yyyy-MM-dd
 */
function pensionEnd(birthDate) {
	const [year, month] = birthDate.split('-').map(Number);
	const next = month === 12 ? { y: year + 59, m: 1 } : { y: year + 58, m: month + 1 };
	return `${next.y}-${pad(next.m)}-01`;
}

module.exports = { seedState, pensionEnd, SPEC_EXAMPLE_EMPLOYEE_ID };
