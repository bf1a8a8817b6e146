#!/usr/bin/env node
/**
 * `npm run test:queue`: the Spacely node in n8n's queue mode, on the newest supported n8n. Redis
 * (Debian's redis-server, installed with apt-get when missing), an n8n main and two `n8n worker`
 * processes on 127.0.0.1, all with the packed package installed, and the fake Spacely server. A
 * webhook-started workflow (test/queue/workflows/) renders rooms on both workers at once; the
 * checks are in test/queue/renders-on-workers.js.
 *
 *   npm run test:queue
 *   SPACELY_QUEUE_TARBALL=x.tgz      install that package file instead of building and packing
 *   SPACELY_REDIS_SERVER=/path       another redis-server (default /usr/bin/redis-server)
 *
 * Everything it starts (Redis, n8n, the fake server, temporary folders) is stopped and removed at
 * the end, on failure and on Ctrl-C.
 */
const { randomBytes } = require('node:crypto');
const { mkdirSync } = require('node:fs');
const path = require('node:path');

const { createN8nHome, describeLine, run, runScript } = require('./n8n-runtime');
const { n8nLine } = require('./n8n-versions');
const { startFakeSpacely } = require('../test/fake-spacely/server');
const { startQueueDeployment } = require('../test/queue/deployment');
const { ensureRedisServer, startRedis } = require('../test/queue/redis');
const { BUDGET, CREDENTIAL, WORKFLOW_FILE, WORKFLOW_ID, queueSteps } = require('../test/queue/renders-on-workers');
const { runSteps } = require('../test/ui/runner');

const WORKERS = 2;
// Two executions at a time a worker: four calls are then shared two and two.
const WORKER_CONCURRENCY = 2;
// Renders are done at the third poll: the workers' renders are waited for side by side.
const POLLS_UNTIL_DONE = 2;
const log = (line) => console.log(line);

async function main(cleanups) {
	const line = n8nLine('newest');
	await ensureRedisServer(log);
	const parseFlatted = loadFlatted(line);

	const apiKey = `queue-${randomBytes(4).toString('hex')}`;
	const fake = await startFakeSpacely({ apiKeys: [apiKey], pollsUntilDone: POLLS_UNTIL_DONE });
	cleanups.push(() => fake.close());

	log(`Preparing ${describeLine(line)} with this package installed`);
	const home = await createN8nHome({ log, n8nVersion: line.name, tarball: process.env.SPACELY_QUEUE_TARBALL || undefined });
	cleanups.push(() => home.cleanup());
	await home.importCredentials([{ ...CREDENTIAL, type: 'spacelyApi', data: { apiKey, baseUrl: fake.url, ...BUDGET } }]);
	await home.importWorkflow(WORKFLOW_FILE);
	// Published before the main starts, which then registers its webhook.
	await run(home.nodeBin, [home.n8nBin, 'publish:workflow', `--id=${WORKFLOW_ID}`], { env: home.env });

	const redisDir = path.join(home.userFolder, 'redis');
	mkdirSync(redisDir);
	const redis = await startRedis(redisDir);
	cleanups.push(() => redis.stop());
	log(`Redis on 127.0.0.1:${redis.port}; starting the n8n main and ${WORKERS} workers in queue mode`);
	const { server, workers } = await startQueueDeployment(home, {
		redisPort: redis.port,
		workers: WORKERS,
		concurrency: WORKER_CONCURRENCY,
		cleanups,
	});
	log(`n8n main on ${server.url}, fake Spacely server on ${fake.url}\n`);

	const steps = queueSteps({ server, workers, fake, apiKey, parseFlatted, log });
	const { failed } = await runSteps(steps, {
		log,
		onFailure: async () => {
			for (const { name, output } of [{ name: 'main', output: server.output }, ...workers]) {
				log(`           last lines of the ${name}:\n             ${tail(output()).join('\n             ')}`);
			}
		},
	});
	if (failed) throw new Error(`${failed} queue-mode check(s) failed`);
}

/** n8n sends execution data in its `flatted` format; the parser comes with n8n. */
function loadFlatted(line) {
	const from = path.join(line.cacheDir, 'node_modules', 'n8n');
	return (text) => require(require.resolve('flatted', { paths: [from] })).parse(text);
}

function tail(text, lines = 8) {
	return text.trim().split('\n').slice(-lines);
}

runScript('Queue-mode test', main);
