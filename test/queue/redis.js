/**
 * Debian's redis-server on a free 127.0.0.1 port, for the queue-mode test: installed with apt-get
 * when missing (as root, else through sudo), started in the foreground with nothing persisted.
 */
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const net = require('node:net');

const { freePort } = require('../../scripts/n8n-runtime');
const { lastLine, run, track } = require('../../scripts/processes');

const REDIS_SERVER = process.env.SPACELY_REDIS_SERVER || '/usr/bin/redis-server';
const STARTUP_TIMEOUT_MS = 30_000;

async function ensureRedisServer(log) {
	if (existsSync(REDIS_SERVER)) return;
	if (process.env.SPACELY_REDIS_SERVER) throw new Error(`SPACELY_REDIS_SERVER=${REDIS_SERVER} does not exist`);
	log(`${REDIS_SERVER} is missing: installing Debian's redis-server (apt-get install -y redis-server)`);
	// CI runs as root; elsewhere sudo must not ask for a password (-n), since nobody may be there to type it.
	const command = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
	if (process.getuid?.() !== 0) command.unshift('sudo', '-n');
	const aptGet = (args) => run(command[0], [...command.slice(1), ...args]);
	try {
		await aptGet(['update']);
		await aptGet(['install', '-y', '--no-install-recommends', 'redis-server']);
	} catch (error) {
		throw new Error(`could not install redis-server (run as root or with sudo on Debian, or set SPACELY_REDIS_SERVER): ${error.message}`);
	}
	if (!existsSync(REDIS_SERVER)) throw new Error(`apt-get installed redis-server, but ${REDIS_SERVER} is still missing`);
}

/**
 * Starts redis-server on 127.0.0.1 with its working folder in `dir` and nothing saved to disk.
 * Resolves with `{ port, stop }` once it answers PING.
 */
async function startRedis(dir) {
	const port = await freePort();
	const child = track(
		spawn(
			REDIS_SERVER,
			['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		),
	);
	const killOnExit = () => child.kill('SIGKILL');
	process.on('exit', killOnExit);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.on('close', resolve));
	child.on('close', () => process.off('exit', killOnExit));

	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		await exited;
	};
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	while (!(await answersPing(port))) {
		if (child.exitCode !== null) throw new Error(`redis-server exited: ${lastLine(output)}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not answer within ${STARTUP_TIMEOUT_MS / 1000} s: ${lastLine(output)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return { port, stop };
}

function answersPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(1000);
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.on('error', () => resolve(false));
		socket.on('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

module.exports = { ensureRedisServer, startRedis };
