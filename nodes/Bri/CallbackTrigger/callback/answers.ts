// The answers BRI expects from the partner (spec sections 24–25) and the trigger's defaults.

/** Spec section 25, error table: 401 / 0004. Used for every authentication failure alike. */
export const UNAUTHORIZED = { responseCode: '0004', responseMessage: 'Unauthorized' } as const;
/** Spec section 24, error table: 400 / 01. */
export const INVALID_PROVIDER = {
	responseCode: '01',
	responseMessage: 'Invalid providerId or secretKey',
} as const;

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 180;
export const DEFAULT_TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_DUPLICATE_MEMORY = 1000;

export interface BsbValidationErrorBody {
	responseCode: '0012';
	responseMessage: 'Error Validation';
	errors: { error: string; issueAt: string; validationError: Record<string, string[]> };
}

/** BSB's own error envelope (docs/spec-readings.md#bri-api-platform), section 25: 400 / 0012. */
export function validationErrorBody(
	validationError: Record<string, string[]>,
	now: number,
): BsbValidationErrorBody {
	return {
		responseCode: '0012',
		responseMessage: 'Error Validation',
		errors: { error: 'Error Validation', issueAt: new Date(now).toISOString(), validationError },
	};
}

/** The success answer of spec section 25: the payload echoed under `data`. */
export function successBody(payload: unknown) {
	return { responseCode: '0000', responseMessage: 'Success', data: payload };
}
