// @ts-check
'use strict';
// Starting an emulator's server, shared by both emulators. Node built-ins only.

/**
 * Listens on host:port (0 picks a free port) and resolves with the URL to reach it.
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<{ url: string, port: number }>}
 */
async function listen(server, port, host) {
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return { url: `http://${urlHost}:${address.port}`, port: address.port };
}

module.exports = { listen };
