/**
 * Child processes for the scripts: run a command to its end, keep track of long-running ones, and
 * stop whatever is still running when a script ends, fails or is interrupted.
 */
const { spawn } = require('node:child_process');
const { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..');
const runningChildren = new Set();

/** Remembers a child process so that stopAll() stops it; forgets it once it has exited. */
function track(child) {
	runningChildren.add(child);
	child.on('close', () => runningChildren.delete(child));
	return child;
}

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

/**
 * Runs a command; resolves with its output, rejects with the reason in one line when it fails.
 * `onSpawn` gets the child process as it starts (the benchmark watches its memory).
 * `stdoutViaFile`: the command's stdout goes to a temporary file, read once it has exited. n8n
 * ends `n8n execute` with process.exit(), which cut megabytes of run data short on a pipe.
 */
function run(command, args, { cwd = REPO_DIR, env = process.env, echo = false, onSpawn, stdoutViaFile = false } = {}) {
	return new Promise((resolve, reject) => {
		const stdoutFile = stdoutViaFile ? path.join(mkdtempSync(path.join(os.tmpdir(), 'spacely-run-')), 'stdout') : undefined;
		const stdoutFd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
		const removeStdoutFile = () => stdoutFile && rmSync(path.dirname(stdoutFile), { recursive: true, force: true });
		let child;
		try {
			child = track(spawn(command, args, { cwd, env, stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'] }));
		} catch (error) {
			removeStdoutFile();
			return reject(error);
		} finally {
			if (stdoutFd !== undefined) closeSync(stdoutFd);
		}
		onSpawn?.(child);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk) => {
			stdout += chunk;
			if (echo) process.stdout.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			if (echo) process.stderr.write(chunk);
		});
		child.on('error', (error) => {
			removeStdoutFile();
			reject(error);
		});
		child.on('close', (code, signal) => {
			if (stdoutFile && existsSync(stdoutFile)) {
				stdout = readFileSync(stdoutFile, 'utf8');
				removeStdoutFile();
			}
			if (code === 0) return resolve({ stdout, stderr });
			const error = new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${lastLine(stderr || stdout)}`);
			Object.assign(error, { stdout, stderr, code, signal });
			reject(error);
		});
	});
}

function lastLine(text) {
	return text.trim().split('\n').filter(Boolean).pop() ?? '(no output)';
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

module.exports = { REPO_DIR, track, run, lastLine, runScript, stopAll };
