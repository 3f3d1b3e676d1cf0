// A partner's HTTP server on 127.0.0.1 for the emulator's callback client to call: records every
// request as received and answers with `answer`.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface Partner {
	url: string;
	/** Every request, oldest first; empty it between tests with `got.length = 0`. */
	got: Received[];
	close(): Promise<void>;
}

export async function startPartner(
	answer: (request: Received, res: http.ServerResponse) => void,
): Promise<Partner> {
	const got: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const request = {
				path: String(req.url),
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			got.push(request);
			res.setHeader('Content-Type', 'application/json');
			answer(request, res);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		got,
		close: () => new Promise((r) => server.close(() => r())),
	};
}
