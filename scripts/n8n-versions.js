/**
 * The n8n versions this package is tested on, by name: 'newest' and 'oldest'. Each is pinned, lock
 * file included, in scripts/n8n-pinned/<name>/; the n8n version and the Node.js that runs it are
 * read from there, so that folder is the only place that names them.
 *
 * A pinned package.json with a `node` dependency runs n8n on that Node.js, which the registry's
 * `node` package brings into the install (n8n 2.41 needs Node.js 24 and n8n 1.123 Node.js 22 or
 * newer, the tests and scripts run on the machine's Node.js 20); without one, n8n runs on the
 * Node.js that runs the script.
 */
const { readFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NAMES = ['newest', 'oldest'];
const DEFAULT_NAME = 'newest';
const CACHE_ROOT =
	process.env.SPACELY_N8N_CACHE ??
	path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'n8n-nodes-spacely');

/**
 * @typedef {object} N8nLine
 * @property {string} name         'newest' or 'oldest'
 * @property {string} version      the pinned n8n version
 * @property {string} nodeVersion  the Node.js version that runs it
 * @property {string} pinnedDir    scripts/n8n-pinned/<name>
 * @property {string} cacheDir     where it is installed
 * @property {string} n8nBin       n8n's CLI entry point (a JavaScript file)
 * @property {string} nodeBin      the node binary that runs it
 * @property {boolean} ownNode     whether that node comes with the install
 */

/**
 * The pinned n8n called `name`; without a name, the one SPACELY_N8N_LINE names, else the newest.
 * @param {string} [name]
 * @returns {N8nLine}
 */
function n8nLine(name = process.env.SPACELY_N8N_LINE || DEFAULT_NAME) {
	if (!NAMES.includes(name)) throw new Error(`unknown n8n version "${name}": use one of ${NAMES.join(', ')}`);
	const pinnedDir = path.join(__dirname, 'n8n-pinned', name);
	const { dependencies } = JSON.parse(readFileSync(path.join(pinnedDir, 'package.json'), 'utf8'));
	const version = dependencies.n8n;
	const cacheDir = path.join(CACHE_ROOT, `n8n-${version}`);
	const ownNode = typeof dependencies.node === 'string';
	return {
		name,
		version,
		nodeVersion: ownNode ? dependencies.node : process.versions.node,
		pinnedDir,
		cacheDir,
		n8nBin: path.join(cacheDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: ownNode ? path.join(cacheDir, 'node_modules', 'node', 'bin', 'node') : process.execPath,
		ownNode,
	};
}

/** The pinned n8n named by `--n8n <name>` among a script's arguments, else as n8nLine() picks it. */
function n8nLineFromArgs(args = process.argv) {
	const index = args.indexOf('--n8n');
	return n8nLine(index === -1 ? undefined : args[index + 1]);
}

/** "n8n 2.41.1 (newest, Node.js 24.21.0)" */
function describeLine(line) {
	return `n8n ${line.version} (${line.name}, Node.js ${line.nodeVersion})`;
}

module.exports = { N8N_LINE_NAMES: NAMES, CACHE_ROOT, n8nLine, n8nLineFromArgs, describeLine };
