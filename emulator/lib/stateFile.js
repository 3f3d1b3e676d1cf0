// @ts-check
'use strict';
// An emulator's data kept in one JSON file (the `stateFile` option, set by `npm start`), so a
// restart brings the same data back. Node built-ins only.
const fs = require('node:fs');
const path = require('node:path');

/** Maps are stored as `{ "$map": [[key, value], …] }`, keeping key order. */
const toJson = (/** @type {unknown} */ value) =>
	JSON.stringify(value, (_k, v) => (v instanceof Map ? { $map: [...v.entries()] } : v));
const fromJson = (/** @type {string} */ text) =>
	JSON.parse(text, (_k, v) =>
		v && typeof v === 'object' && !Array.isArray(v) && Array.isArray(v.$map) ? new Map(v.$map) : v,
	);

/**
 * The saved data, or undefined when there is no file yet. A file that cannot be read as saved
 * data throws, naming the file and how to start afresh.
 * @param {string} file
 * @param {string} emulator the emulator's name, for the message
 * @param {(data: any) => boolean} looksRight a check of the data's shape
 * @returns {any}
 */
function readStateFile(file, emulator, looksRight) {
	let text;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (e) {
		if (/** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT') return undefined;
		throw e;
	}
	let data;
	let why = 'it does not hold the emulator data';
	try {
		data = fromJson(text);
	} catch (e) {
		why = `it is not valid JSON (${/** @type {Error} */ (e).message})`;
	}
	if (data === undefined || data === null || typeof data !== 'object' || !looksRight(data))
		throw new Error(
			`the ${emulator} emulator cannot restore its data from ${file}: ${why}. ` +
				`Delete that file to start the emulator with fresh demo data.`,
		);
	return data;
}

/** Writes the data atomically: a temporary file beside it, then a rename over it. */
function writeStateFile(/** @type {string} */ file, /** @type {unknown} */ data) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, `${toJson(data)}\n`);
	fs.renameSync(tmp, file);
}

module.exports = { readStateFile, writeStateFile };
