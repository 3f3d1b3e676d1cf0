// The vendor specs sit in `shared/specs/` beside the checkout (../shared/specs); a git worktree
// sits deeper, so each parent folder is tried in turn.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function specFile(name: string): string {
	for (let dir = path.resolve(__dirname, '../..'); ; dir = path.dirname(dir)) {
		const file = path.join(dir, '..', 'shared', 'specs', name);
		if (existsSync(file) || path.dirname(dir) === dir) return file;
	}
}
