/**
 * n8n in queue mode on loopback, for one n8n home (scripts/n8n-runtime.js): a main (`n8n start`,
 * scripts/n8n-server.js) that takes the webhook calls and queues their executions in Redis, and
 * `n8n worker` processes that run them. Manual executions are offloaded to the workers, so the
 * main runs no node at all and the workers are the only n8n processes that send to Spacely.
 *
 * They share the home's SQLite database (n8n warns that it supports queue mode on PostgreSQL only;
 * on one machine SQLite serves) and store binary data in it (n8n's default in queue mode).
 */
const { spawn } = require('node:child_process');

const { freePort } = require('../../scripts/n8n-runtime');
const { startServer } = require('../../scripts/n8n-server');
const { lastLine } = require('../../scripts/processes');

const WORKER_READY = 'n8n worker is now ready';
const STARTUP_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the main, then `workers` workers that each run up to `concurrency` executions at once.
 * Pushes what stops them onto `cleanups`. Resolves with `{ server, workers }`: the main's
 * startServer() handle, and per worker `{ name, output() }`.
 */
async function startQueueDeployment(home, { redisPort, workers = 2, concurrency, cleanups }) {
	const queueEnv = {
		...home.env,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_LOG_LEVEL: 'info',
	};
	// Each process with a task runner needs a broker port of its own.
	const server = await startServer({ ...home, env: { ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) } });
	cleanups.push(() => server.stop());
	const started = [];
	for (let i = 1; i <= workers; i++) {
		const env = { ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		const worker = startWorker(home, `worker ${i}`, env, concurrency);
		cleanups.push(() => worker.stop());
		started.push(worker);
	}
	await Promise.all(started.map((worker) => worker.ready));
	return { server, workers: started.map(({ name, output }) => ({ name, output })) };
}

/**
 * `n8n worker` in a process group of its own, with the task runner it starts: stop() ends the
 * whole group (SIGTERM lets it finish its executions; what is left after a while is killed).
 */
function startWorker(home, name, env, concurrency) {
	const args = [home.n8nBin, 'worker', ...(concurrency ? [`--concurrency=${concurrency}`] : [])];
	const child = spawn(home.nodeBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const signalGroup = (signal) => {
		try {
			process.kill(-child.pid, signal);
		} catch {
			// the group has ended
		}
	};
	// Should this process exit without stopping it, the worker must not outlive it.
	const killOnExit = () => signalGroup('SIGKILL');
	process.on('exit', killOnExit);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.on('close', resolve));

	const stop = async () => {
		signalGroup('SIGTERM');
		const done = await Promise.race([exited.then(() => true), wait(STOP_TIMEOUT_MS).then(() => false)]);
		signalGroup('SIGKILL');
		if (!done) await exited;
		process.off('exit', killOnExit);
	};
	const ready = (async () => {
		const deadline = Date.now() + STARTUP_TIMEOUT_MS;
		while (!output.includes(WORKER_READY)) {
			if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited: ${lastLine(output)}`);
			if (Date.now() > deadline) throw new Error(`${name} did not start within ${STARTUP_TIMEOUT_MS / 1000} s: ${lastLine(output)}`);
			await wait(250);
		}
	})();
	return { name, ready, stop, output: () => output };
}

module.exports = { startQueueDeployment };
