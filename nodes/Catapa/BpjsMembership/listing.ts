// CATAPA list endpoints: `page` from 0, `size` at most 50, `query=name:<text>` search, and pages
// shaped {content, number, size, numberOfElements, totalElements, totalPages}
// (docs/spec-readings.md#catapa).

export const CATAPA_MAX_PAGE_SIZE = 50;

export const CATAPA_LISTS = {
	employees: '/core/v1/employees',
	healthcareProviders: '/core/v1/bpjs-healthcare-providers',
	healthcareTemplates: '/core/v1/bpjs-healthcare-templates',
	manpowerProviders: '/core/v1/bpjs-manpower-providers',
	manpowerTemplates: '/core/v1/bpjs-manpower-templates',
} as const;

export type CatapaList = keyof typeof CATAPA_LISTS;

/** Query string for one page of a list; the page number travels as n8n's pagination token. */
export function listQuery(
	filter?: string,
	paginationToken?: string,
): Record<string, string | number> {
	const page = Number(paginationToken);
	const qs: Record<string, string | number> = {
		page: Number.isInteger(page) && page > 0 ? page : 0,
		size: CATAPA_MAX_PAGE_SIZE,
	};
	const text = (filter ?? '').trim();
	if (text !== '') qs.query = `name:${text}`;
	return qs;
}

export interface ListEntry {
	name: string;
	value: string;
}

type Labeller = (entry: Record<string, unknown>) => string;

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== ''
		? value
		: typeof value === 'number'
			? String(value)
			: undefined;
}

/** "Name (identification number)" for an employee. */
export const employeeLabel: Labeller = (employee) => {
	const name = str(employee.name) ?? str(employee.fullName) ?? str(employee.id) ?? '';
	const number = str(employee.identificationNo) ?? str(employee.employeeNo);
	return number ? `${name} (${number})` : name;
};

/** "Name (code)" for a provider or template. */
export const referenceLabel: Labeller = (entry) => {
	const name = str(entry.name) ?? str(entry.id) ?? '';
	const code = str(entry.code);
	return code && code !== name ? `${name} (${code})` : name;
};

/** One page of a CATAPA list as n8n list-search results; the token names the next page, if any. */
export function listResults(
	page: unknown,
	labeller: Labeller,
): { results: ListEntry[]; paginationToken?: string } {
	const record = (page && typeof page === 'object' ? page : {}) as Record<string, unknown>;
	const content = Array.isArray(record.content) ? record.content : Array.isArray(page) ? page : [];
	const results = content
		.filter(
			(entry): entry is Record<string, unknown> =>
				!!entry &&
				typeof entry === 'object' &&
				str((entry as Record<string, unknown>).id) !== undefined,
		)
		.map((entry) => ({ name: labeller(entry), value: str(entry.id) as string }));
	const number = Number(record.number ?? 0);
	const totalPages = Number(record.totalPages ?? 0);
	const next =
		Number.isFinite(number) && Number.isFinite(totalPages) && number + 1 < totalPages
			? String(number + 1)
			: undefined;
	return next === undefined ? { results } : { results, paginationToken: next };
}
