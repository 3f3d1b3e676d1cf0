// maskSecrets: what both the node's errors and the credential test run answers' text through.
import { maskSecrets } from '../../../../nodes/Bri/shared/answer';

describe('maskSecrets', () => {
	it('masks each secret and its URL-encoded form, wherever they stand', () => {
		const secret = 's3cr/t+key=';
		const text = `a ${secret} b ${encodeURIComponent(secret)} c ${secret}`;
		expect(maskSecrets(text, [secret, 'token-abcd'])).toBe('a *** b *** c ***');
		expect(maskSecrets('Bearer token-abcd', [secret, 'token-abcd'])).toBe('Bearer ***');
	});

	it('leaves secrets under 4 characters, and empty ones, alone', () => {
		expect(maskSecrets('abc of abc', ['abc', ''])).toBe('abc of abc');
	});
});
