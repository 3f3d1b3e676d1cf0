// n8n's request helpers wrap what went wrong (NodeApiError around an HTTP client error around a
// socket error …); the HTTP status, the answer and the network code sit at different depths.

/**
 * The error and every error below it, outermost first, each once (the links may form a cycle):
 * `cause`, or `errorResponse` where an n8n error keeps the original there.
 */
export function causeChain(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && !chain.includes(current as never)) {
		const link = current as Record<string, unknown>;
		chain.push(link);
		current = link.cause ?? link.errorResponse;
	}
	return chain;
}

/** An HTTP client's answer on one link (`response.status`, with headers and body), if it has one. */
export function answerOf(
	link: Record<string, unknown>,
): { status: number; headers?: Record<string, unknown>; body: unknown } | undefined {
	const response = link.response as Record<string, unknown> | undefined;
	if (!response || typeof response !== 'object' || typeof response.status !== 'number') {
		return undefined;
	}
	return {
		status: response.status,
		headers: response.headers as Record<string, unknown> | undefined,
		body: response.data ?? response.body,
	};
}

/** A NodeApiError's HTTP status (its `httpCode`, three digits), if it has one. */
export function httpCodeOf(link: Record<string, unknown>): number | undefined {
	const code = String(link.httpCode ?? '');
	return /^\d{3}$/.test(code) ? Number(code) : undefined;
}
