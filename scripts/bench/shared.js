/**
 * What both benchmarks share: the report's output, the machine and commit it ran on, a throwaway
 * n8n with this package and the benchmark workflows, and the peak memory of an n8n process.
 */
const { execFileSync } = require('node:child_process');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO_DIR, createN8nHome, describeLine, lastLine, n8nLine } = require('../n8n-runtime');
const { formatTable } = require('../table');

const KEY = 'bench-key';
const CREDENTIAL_ID = 'benchCred';

const progress = (line) => process.stderr.write(`${line}\n`);
const out = (line = '') => process.stdout.write(`${line}\n`);
const verdict = (pass) => (pass ? 'PASS' : 'FAIL');

function printTable(header, rows, leftColumns = 1) {
	for (const line of formatTable(header, rows, leftColumns)) out(line);
}

function gitDescription() {
	try {
		const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, stdio: 'pipe' }).toString().trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], { cwd: REPO_DIR, stdio: 'pipe' }).toString().trim();
		return `commit ${commit}${dirty ? ' + uncommitted changes in nodes/ or credentials/' : ''}`;
	} catch {
		return 'not a git checkout';
	}
}

/** The report's first lines: what ran, where, on which machine. */
function printHeader(title) {
	const cpus = os.cpus();
	out(`${title}, ${new Date().toISOString()}`);
	out(`Runs in a real ${describeLine(n8nLine())} through its CLI (one "n8n execute" process per row), against the fake Spacely server on 127.0.0.1.`);
	out(`Machine: ${cpus[0]?.model ?? 'unknown CPU'}, nproc ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version} (this script), ${os.platform()} ${os.release()}, load average ${os.loadavg()[0].toFixed(2)} at start`);
	out(`Package: n8n-nodes-spacely (${gitDescription()})`);
}

/**
 * A throwaway n8n home with this package, the Spacely credential (budget `requestsPerSecond`)
 * and `workflows` imported.
 */
async function benchN8n(cleanups, fake, requestsPerSecond, workflows) {
	progress('Building and packing this package, then installing it into a throwaway n8n');
	const n8n = await createN8nHome({ log: progress });
	cleanups.push(() => n8n.cleanup());
	progress('Importing the credential and the benchmark workflows');
	await n8n.importCredentials([
		{ id: CREDENTIAL_ID, name: 'Spacely (bench)', type: 'spacelyApi', data: { apiKey: KEY, baseUrl: fake.url, requestsPerSecond } },
	]);
	const folder = path.join(n8n.userFolder, 'bench-workflows');
	mkdirSync(folder);
	for (const wf of workflows) {
		const file = path.join(folder, `${wf.id}.json`);
		writeFileSync(file, JSON.stringify(wf));
		await n8n.importWorkflow(file);
	}
	return n8n;
}

/**
 * Runs a workflow with `n8n execute`; returns its run data and the n8n process's peak resident
 * memory in MB (VmHWM, read from /proc while it runs; undefined where there is no /proc).
 */
async function executeWatched(n8n, id) {
	let pid;
	let peakKb;
	const readPeak = () => {
		try {
			const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
			if (kb) peakKb = Math.max(peakKb ?? 0, kb);
		} catch {
			// the process has ended, or there is no /proc: keep what was read
		}
	};
	const watcher = setInterval(() => pid && readPeak(), 100);
	try {
		const execution = await n8n.execute(id, { onSpawn: (child) => (pid = child.pid) });
		const { ok, run } = execution;
		if (!ok || !run) throw executionFailure(id, execution);
		return { run, peakRssMb: peakKb === undefined ? undefined : peakKb / 1024 };
	} finally {
		clearInterval(watcher);
	}
}

/**
 * Why `n8n execute` failed: the node and n8n's error when the run data has them, else the last
 * line n8n printed. Its whole output, often megabytes, is kept in a file rather than the message.
 */
function executionFailure(id, { run, output, exitCode, signal }) {
	const error = run?.data.resultData.error;
	const where = error?.node?.name ? ` in node "${error.node.name}"` : '';
	const why = error ? [error.message, error.description].filter(Boolean).join(': ') : lastLine(output);
	const log = path.join(os.tmpdir(), `spacely-bench-${id}.log`);
	writeFileSync(log, output);
	return new Error(`workflow ${id} failed${where}: ${why} (n8n exited with ${exitCode ?? signal}; its output: ${log})`);
}

/** Builds a workflow: Manual Trigger -> `rooms` as items -> the given nodes, connected by `connections`. */
function workflow(id, rooms, nodes, connections) {
	const chain = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{ name: 'Rooms', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rooms }), options: {} } },
		{ name: 'One Item per Room', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'rooms', options: {} } },
	];
	const all = [...chain, ...nodes];
	const link = (node, index = 0) => ({ node, type: 'main', index });
	const wired = {
		Start: { main: [[link('Rooms')]] },
		Rooms: { main: [[link('One Item per Room')]] },
		'One Item per Room': { main: [[link(nodes[0].name)]] },
		...connections,
	};
	const placed = all.map((n, i) => ({ id: `${id}-${i}`, position: [i * 220, 0], ...n }));
	return { id, name: `Bench: ${id}`, active: false, settings: { executionOrder: 'v1' }, pinData: {}, nodes: placed, connections: wired };
}

module.exports = { KEY, CREDENTIAL_ID, progress, out, verdict, printTable, printHeader, benchN8n, executeWatched, workflow };
