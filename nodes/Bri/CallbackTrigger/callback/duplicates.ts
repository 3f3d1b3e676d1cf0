// Duplicate transactionIDs: a bounded first-in-first-out list, kept by the caller (the
// workflow's static data). Pure: returns a new list, never mutates the one given.
import { isRecord } from '../../../shared/json';

export interface SeenTransactions {
	/** Oldest first; at most `capacity` entries. */
	ids: string[];
}

export function rememberTransaction(
	memory: unknown,
	transactionId: string,
	capacity: number,
): { duplicate: boolean; memory: SeenTransactions } {
	const ids =
		isRecord(memory) && Array.isArray(memory.ids)
			? memory.ids.filter((id): id is string => typeof id === 'string')
			: [];
	if (ids.includes(transactionId)) return { duplicate: true, memory: { ids } };
	const limit = Math.max(1, Math.floor(capacity));
	const next = [...ids, transactionId];
	return { duplicate: false, memory: { ids: next.slice(Math.max(0, next.length - limit)) } };
}
