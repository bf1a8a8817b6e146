#!/usr/bin/env node
/**
 * `npm run bench`: the Spacely node in a real n8n (scripts/n8n-runtime.js) through its CLI, against
 * the fake Spacely server, with n8n's own nodes doing the same work as the baseline in the same run.
 *
 *   npm run bench -- [--items 200] [--latency 100] [--concurrency 1,5,10,25,50] [--cap 50]
 *       starting renders only (POST): the node against n8n's HTTP Request node
 *   npm run bench -- --renders [--n 100,500] [--t 10,30,mix] [--latency 100] [--image-mb 1.5] [--cap 50]
 *       renders waited for and downloaded: the node at its defaults against the hand-built loop
 *       (--flows files,links,loop picks which of the three to run; --concurrency 25 sets the
 *       node's Max Concurrent Requests instead of its default)
 *   npm run bench -- --renders --quick      one small row (N=20, T=3 s, 0.2 MB images, the loop waiting 2 s then 1 s), to try it out
 *   SPACELY_N8N_LINE=oldest npm run bench   on the oldest pinned n8n instead of the newest
 *   BENCH_DUMP=/tmp/run npm run bench -- --renders   also writes the fake server's log of each run
 *       to /tmp/run-<workflow>.json (requests with their times, and when each render was done)
 *
 * Progress goes to stderr, the report to stdout. BENCHMARK.md says what the columns mean.
 */
const { runScript } = require('./processes');
const { parseArgs } = require('./bench/args');
const { benchPosts } = require('./bench/posts');
const { benchRenders } = require('./bench/renders');

runScript('Benchmark', async (cleanups) => {
	const { renders, args } = parseArgs(process.argv.slice(2));
	await (renders ? benchRenders : benchPosts)(cleanups, args);
});
