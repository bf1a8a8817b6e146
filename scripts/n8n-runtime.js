/**
 * A real n8n for the demo, the e2e tests and the benchmark: installs a pinned n8n from the npm
 * registry into a cache outside the repo (once, scripts/n8n-install.js), packs this package and
 * installs the tarball the way n8n installs a community package, and runs n8n's CLI against a
 * throwaway user folder.
 *
 * Two n8n versions are pinned, by name (scripts/n8n-versions.js): 'newest' (the default) and
 * 'oldest', each in scripts/n8n-pinned/<name>/ with its lock file. To move the newest to another
 * n8n, change "n8n" in scripts/n8n-pinned/newest/package.json (and "node" if it needs another
 * Node.js), then regenerate its lock file, without installing anything into the repo:
 *
 *   cd scripts/n8n-pinned/newest && rm package-lock.json && npm install --package-lock-only --ignore-scripts --no-audit --no-fund
 *
 * The next run installs it into its own cache folder (the lock file's hash marks a finished install).
 */
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n } = require('./n8n-install');
const { describeLine, n8nLine } = require('./n8n-versions');
const { REPO_DIR, lastLine, run, runScript } = require('./processes');

const PACKAGE_NAME = 'n8n-nodes-spacely';

/** Builds and packs this package; returns the tarball path. */
async function packPackage(destination) {
	await run('npm', ['run', 'build']);
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination]);
	const [{ filename }] = JSON.parse(stdout);
	return path.join(destination, filename);
}

/**
 * Installs the tarball as n8n's community package installer does: unpacked into
 * <user folder>/.n8n/nodes/node_modules/<name>, dev and peer dependencies dropped, then
 * `npm install` inside it with n8n's flags (a no-op here: the package has no runtime dependencies).
 */
async function installCommunityPackage(tarball, userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(packageDir, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		readFileSync(manifestPath, 'utf8'),
	);
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	await run(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: packageDir },
	);
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: manifest.version } }, null, 2),
	);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * A throwaway n8n home with this package installed, for the n8n version named `n8nVersion`
 * ('newest' or 'oldest'; default: SPACELY_N8N_LINE, else 'newest'). `execute` runs a workflow
 * through n8n's CLI and returns its run data, its exit code and everything n8n printed.
 * `tarball` installs that package file instead of building and packing the working tree.
 */
async function createN8nHome({ log = console.log, tarball, n8nVersion } = {}) {
	const line = await ensureN8n(n8nLine(n8nVersion), log);
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'spacely-n8n-'));
	try {
		const packed = tarball ?? (await packPackage(userFolder));
		await installCommunityPackage(packed, userFolder);
		if (!tarball) rmSync(packed);
	} catch (error) {
		rmSync(userFolder, { recursive: true, force: true });
		throw error;
	}
	const env = {
		...withoutTestRunnerVariables(process.env),
		// Whatever n8n starts by the name `node` runs on n8n's own Node.js too.
		PATH: [path.dirname(line.nodeBin), process.env.PATH].join(path.delimiter),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'spacely-demo-encryption-key',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
	};
	const n8n = (args, options = {}) => run(line.nodeBin, [line.n8nBin, ...args], { env, ...options });

	return {
		line,
		description: describeLine(line),
		userFolder,
		env,
		n8nBin: line.n8nBin,
		nodeBin: line.nodeBin,
		async importCredentials(credentials) {
			const file = path.join(userFolder, 'credentials.json');
			writeFileSync(file, JSON.stringify(credentials));
			await n8n(['import:credentials', `--input=${file}`]);
			rmSync(file);
		},
		async importWorkflow(file) {
			await n8n(['import:workflow', `--input=${file}`]);
		},
		/** `onSpawn` gets the `n8n execute` process as it starts. */
		async execute(workflowId, { onSpawn } = {}) {
			const result = await n8n(['execute', `--id=${workflowId}`, '--rawOutput'], { onSpawn, stdoutViaFile: true }).catch((error) => error);
			const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
			return { ok: !(result instanceof Error), exitCode: result.code, signal: result.signal, output, run: extractRunData(result.stdout ?? '') };
		},
		cleanup() {
			rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

/** Under jest, NODE_ENV=test would make n8n behave as in its own unit tests (it skips loading nodes). */
function withoutTestRunnerVariables(env) {
	return Object.fromEntries(
		Object.entries(env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('JEST_')),
	);
}

/** n8n prints log lines around the run data; the run data is the JSON object that starts a line with "{". */
function extractRunData(stdout) {
	const start = stdout.search(/^\{$/m);
	const end = stdout.search(/^\}$/m);
	if (start === -1 || end === -1) return undefined;
	return JSON.parse(stdout.slice(start, end + 1));
}

module.exports = {
	REPO_DIR,
	describeLine,
	n8nLine,
	ensureN8n,
	packPackage,
	createN8nHome,
	freePort,
	run,
	runScript,
	lastLine,
};
