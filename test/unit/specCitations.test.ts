// Code comments cite docs/spec-readings.md by heading anchor; every cited anchor must be a heading
// there (GitHub's anchors: lower case, punctuation dropped, spaces as dashes).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function anchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s-]/gu, '')
		.replace(/\s/g, '-');
}

describe('citations of docs/spec-readings.md', () => {
	it('name headings that exist', () => {
		const doc = readFileSync(path.join(ROOT, 'docs/spec-readings.md'), 'utf8');
		const anchors = new Set([...doc.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1])));
		expect(anchors).toContain('13-customers-update');
		const cited = ['nodes', 'credentials'].flatMap((dir) =>
			readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
				.filter((file) => file.endsWith('.ts'))
				.flatMap((file) =>
					[
						...readFileSync(path.join(ROOT, dir, file), 'utf8').matchAll(
							/docs\/spec-readings\.md#([\w-]+)/g,
						),
					].map((match) => ({ file: path.join(dir, file), anchor: match[1] })),
				),
		);
		expect(cited.length).toBeGreaterThan(10);
		expect(cited.filter((c) => !anchors.has(c.anchor))).toEqual([]);
	});
});
