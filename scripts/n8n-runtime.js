/**
 * A real n8n for the demo, the e2e tests and the benchmark: installs a pinned n8n from the npm
 * registry into a cache outside the repo (once), packs this package and installs the tarball the
 * way n8n installs a community package, and runs n8n's CLI against a throwaway user folder.
 */
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

// The n8n line that matches the pinned n8n-workflow 2.8.0 / n8n-core 2.8.1 pair and runs on Node 20;
// scripts/n8n-pinned/package.json pins the same version.
const N8N_VERSION = '2.8.4';
const REPO_DIR = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-spacely';
const PINNED_DIR = path.join(__dirname, 'n8n-pinned');
const CACHE_DIR =
	process.env.SPACELY_N8N_CACHE ??
	path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), PACKAGE_NAME, `n8n-${N8N_VERSION}`);
const N8N_BIN = path.join(CACHE_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const READY_MARKER = path.join(CACHE_DIR, '.ready');

const runningChildren = new Set();

/**
 * Stops every command still running (on Ctrl-C or a failure). `n8n execute` answers SIGTERM with
 * a graceful shutdown that waits for its run to end, so whatever is left after a moment is killed.
 */
async function stopAll() {
	for (const child of runningChildren) child.kill('SIGTERM');
	if (runningChildren.size === 0) return;
	await new Promise((resolve) => setTimeout(resolve, 500));
	for (const child of runningChildren) child.kill('SIGKILL');
}

/** Runs a command; resolves with its output, rejects with the reason in one line when it fails. */
function run(command, args, { cwd = REPO_DIR, env = process.env, echo = false } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		runningChildren.add(child);
		child.on('close', () => runningChildren.delete(child));
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (echo) process.stdout.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			if (echo) process.stderr.write(chunk);
		});
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) return resolve({ stdout, stderr });
			const error = new Error(`${command} ${args.join(' ')} exited with ${code}: ${lastLine(stderr || stdout)}`);
			Object.assign(error, { stdout, stderr, code });
			reject(error);
		});
	});
}

function lastLine(text) {
	return text.trim().split('\n').filter(Boolean).pop() ?? '(no output)';
}

/** Installs the pinned n8n (scripts/n8n-pinned, lock file included) into the cache once. */
async function ensureN8n(log = console.log) {
	const lock = readFileSync(path.join(PINNED_DIR, 'package-lock.json'));
	const lockHash = createHash('sha256').update(lock).digest('hex');
	if (existsSync(READY_MARKER) && readFileSync(READY_MARKER, 'utf8') === lockHash) return N8N_BIN;

	log(`Installing n8n ${N8N_VERSION} into ${CACHE_DIR}`);
	log('This happens once per machine: it takes about 5-10 minutes and 2.5 GB of disk.');
	rmSync(CACHE_DIR, { recursive: true, force: true });
	mkdirSync(CACHE_DIR, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) {
		copyFileSync(path.join(PINNED_DIR, file), path.join(CACHE_DIR, file));
	}
	const heartbeat = setInterval(() => log(`  ...still installing n8n (${countPackages()} packages so far)`), 20_000);
	try {
		// Only n8n's native modules need install scripts: skip them all, then build sqlite3 alone.
		await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: CACHE_DIR });
		log('  n8n downloaded; building its SQLite driver');
		await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: CACHE_DIR });
	} finally {
		clearInterval(heartbeat);
	}
	writeFileSync(READY_MARKER, lockHash);
	log(`  n8n ${N8N_VERSION} is ready`);
	return N8N_BIN;
}

function countPackages() {
	try {
		return readdirSync(path.join(CACHE_DIR, 'node_modules')).length;
	} catch {
		return 0;
	}
}

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
 * A throwaway n8n home with this package installed. `execute` runs a workflow through n8n's CLI
 * and returns its run data, its exit code and everything n8n printed.
 */
async function createN8nHome({ log = console.log, tarball } = {}) {
	const n8nBin = await ensureN8n(log);
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
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'spacely-demo-encryption-key',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
	};
	const n8n = (args, options = {}) => run(process.execPath, [n8nBin, ...args], { env, ...options });

	return {
		userFolder,
		env,
		n8nBin,
		async importCredentials(credentials) {
			const file = path.join(userFolder, 'credentials.json');
			writeFileSync(file, JSON.stringify(credentials));
			await n8n(['import:credentials', `--input=${file}`]);
			rmSync(file);
		},
		async importWorkflow(file) {
			await n8n(['import:workflow', `--input=${file}`]);
		},
		async execute(workflowId) {
			const result = await n8n(['execute', `--id=${workflowId}`, '--rawOutput']).catch((error) => error);
			const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
			return { ok: !(result instanceof Error), output, run: extractRunData(result.stdout ?? '') };
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

/**
 * Runs a script's `main(cleanups)`, where `cleanups` is an array of functions that undo what it
 * started. They run, newest first, when main ends, when it fails (exit 1 with the reason in one
 * line) and on Ctrl-C (exit 130).
 */
function runScript(name, main) {
	const cleanups = [];
	let interrupted = false;
	const cleanup = async () => {
		await stopAll();
		while (cleanups.length) {
			try {
				await cleanups.pop()();
			} catch {
				// best effort: keep removing the rest
			}
		}
	};
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, async () => {
			interrupted = true;
			await cleanup();
			console.error(`${name} stopped by ${signal}`);
			process.exit(130);
		});
	}
	main(cleanups)
		.then(cleanup)
		.catch(async (error) => {
			if (interrupted) return;
			await cleanup();
			console.error(`${name} failed: ${error.message.split('\n')[0]}`);
			process.exit(1);
		});
}

module.exports = {
	N8N_VERSION,
	CACHE_DIR,
	REPO_DIR,
	ensureN8n,
	packPackage,
	createN8nHome,
	freePort,
	run,
	runScript,
	lastLine,
};
