import {
	CATAPA_MAX_PAGE_SIZE,
	employeeLabel,
	listQuery,
	listResults,
	referenceLabel,
} from '../../../../nodes/Catapa/BpjsMembership/listing';

describe('listQuery', () => {
	it('asks for page 0 of 50 and searches by name', () => {
		expect(listQuery()).toEqual({ page: 0, size: CATAPA_MAX_PAGE_SIZE });
		expect(listQuery('  John Doe ')).toEqual({ page: 0, size: 50, query: 'name:John Doe' });
	});
	it('takes the page from the pagination token', () => {
		expect(listQuery('', '3')).toEqual({ page: 3, size: 50 });
		expect(listQuery(undefined, 'nonsense')).toEqual({ page: 0, size: 50 });
	});
});

describe('listResults', () => {
	const page = (number: number, totalPages: number) => ({
		content: [
			{ id: 'e1', name: 'Budi Santoso', identificationNo: 'EMP0001' },
			{ id: 'e2', name: 'Siti' },
			{ name: 'no id, skipped' },
		],
		number,
		size: 50,
		numberOfElements: 3,
		totalElements: 3,
		totalPages,
	});
	it('labels employees and hands the next page as token', () => {
		expect(listResults(page(0, 2), employeeLabel)).toEqual({
			results: [
				{ name: 'Budi Santoso (EMP0001)', value: 'e1' },
				{ name: 'Siti', value: 'e2' },
			],
			paginationToken: '1',
		});
	});
	it('stops on the last page', () => {
		expect(listResults(page(1, 2), employeeLabel).paginationToken).toBeUndefined();
		expect(listResults({}, employeeLabel)).toEqual({ results: [] });
	});
	it('labels providers and templates with their code', () => {
		expect(referenceLabel({ id: 'p', name: 'Jakarta', code: 'JKT' })).toBe('Jakarta (JKT)');
		expect(referenceLabel({ id: 'p' })).toBe('p');
	});
});
