/**
 * `npm run verify`: n8n's verification toolchain for community nodes, on a fresh build and pack.
 *   1. `n8n-node cloud-support`: strict mode and n8n's default ESLint config (eligible for Cloud);
 *   2. `n8n-node lint`: n8n's rules on every .ts file, with zero errors and zero warnings;
 *   3. @n8n/scan-community-package's analysis, as n8n's scanner runs it before verifying a
 *      package: on the source (nodes, credentials, package.json) and on the packed tarball.
 * The scanner's other checks (npm provenance, fetching the source from GitHub) need a published
 * version; the publish workflow (.github/workflows/publish.yml) provides the provenance.
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, readdirSync, rmSync } = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const { packPackage } = require('./n8n-runtime');
const { REPO_DIR } = require('./processes');

// @n8n/scan-community-package 0.32.0 (the only version on the registry) depends on typescript
// 7.0.2, which its own @typescript-eslint/parser refuses to load ("does not support TS 7.0"). It
// is pointed at this package's typescript instead; an `overrides` field would do it too, but the
// scanner itself rejects any package.json that has one.
const ownTypescript = require.resolve('typescript');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
	return request === 'typescript' ? ownTypescript : resolveFilename.call(this, request, ...rest);
};

const failures = [];

/** Runs a command; its output comes without colour codes, which some terminals and CI force on. */
function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: REPO_DIR, encoding: 'utf8', ...options });
	if (result.error) throw result.error;
	const output = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
	return { code: result.status, output };
}

function check(name, passed, details) {
	console.log(`${passed ? 'PASS' : 'FAIL'}  ${name}`);
	if (!passed) {
		failures.push(name);
		if (details) console.log(details.trim().replace(/^/gm, '      '));
	}
}

function checkCloudSupport() {
	const { code, output } = run('npx', ['n8n-node', 'cloud-support'], { input: '' });
	const eligible = code === 0 && /Status: eligible/.test(output) && !/NOT eligible/.test(output);
	check('n8n-node cloud-support: eligible for n8n Cloud verification', eligible, output);
}

function checkLint() {
	const { code, output } = run('npx', ['n8n-node', 'lint']);
	const clean = code === 0 && !/\b(error|warning)s?\b/i.test(output.replace(/n8n-node lint/g, ''));
	check('n8n-node lint: no errors, no warnings', clean, output);
}

/**
 * n8n loads every node version's icon from beside Spacely.node.ts, while n8n's lint looks for it
 * beside the version's own file: the copies there must be the same icons.
 */
function checkVersionIcons() {
	const nodeDir = path.join(REPO_DIR, 'nodes', 'Spacely');
	const differing = readdirSync(nodeDir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && /^v\d+$/.test(entry.name))
		.flatMap((version) =>
			['spacely.svg', 'spacely.dark.svg']
				.map((icon) => path.join(version.name, icon))
				.filter((copy) => !readFileSync(path.join(nodeDir, copy)).equals(readFileSync(path.join(nodeDir, path.basename(copy))))),
		);
	check('node version icons are copies of nodes/Spacely/spacely{,.dark}.svg', differing.length === 0, differing.join('\n'));
}

async function checkScanner() {
	const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scannerPath);

	const source = await analyzePackage(REPO_DIR, SOURCE_FILE_PATTERNS);
	check('scanner analysis of the source (nodes, credentials, package.json)', source.passed, describe(source));

	const packDir = mkdtempSync(path.join(os.tmpdir(), 'spacely-verify-'));
	try {
		const tarballFile = await packPackage(packDir).catch((error) => {
			check('npm run build and npm pack', false, error.message);
		});
		if (!tarballFile) return;
		const packageDir = path.join(packDir, 'package');
		run('tar', ['-xzf', tarballFile, '-C', packDir]);
		const tarball = await analyzePackage(packageDir, ['**/*.js', 'package.json']);
		check(`scanner analysis of the packed tarball (${path.basename(tarballFile)})`, tarball.passed, describe(tarball));
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

function describe(result) {
	return [result.message, result.details].filter(Boolean).join('\n');
}

async function main() {
	checkCloudSupport();
	checkLint();
	checkVersionIcons();
	await checkScanner();
	if (failures.length > 0) {
		console.log(`\nverify: ${failures.length} check(s) failed`);
		process.exit(1);
	}
	console.log('\nverify: all checks passed');
}

main().catch((error) => {
	console.error(`verify failed: ${error.message}`);
	process.exit(1);
});
