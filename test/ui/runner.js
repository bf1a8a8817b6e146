/**
 * A tiny sequential test runner for the browser suite: the steps share one browser page and build
 * on each other (log in, add the node, create its credential, run it), so they run in order and
 * the first failure skips the rest. Prints one line per step and `N passed, M failed` at the end.
 */

/**
 * @param {Array<{ name: string, run: () => Promise<void> }>} steps
 * @param {object} [options]
 * @param {(line: string) => void} [options.log]
 * @param {(step: { name: string }, error: Error) => Promise<void>} [options.onFailure]  e.g. a screenshot
 * @returns {Promise<{ passed: number, failed: number, skipped: number }>}
 */
async function runSteps(steps, { log = console.log, onFailure } = {}) {
	let passed = 0;
	let failed = 0;
	let skipped = 0;
	for (const step of steps) {
		if (failed) {
			skipped++;
			log(`- skipped  ${step.name}`);
			continue;
		}
		const started = Date.now();
		try {
			await step.run();
			passed++;
			log(`ok         ${step.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		} catch (error) {
			failed++;
			log(`NOT OK     ${step.name}\n           ${String(error?.message ?? error).split('\n').join('\n           ')}`);
			if (onFailure) await onFailure(step, error).catch(() => undefined);
		}
	}
	log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
	return { passed, failed, skipped };
}

/** Throws with `message` and what was found, when `condition` is false. */
function check(condition, message, actual) {
	if (!condition) throw new Error(actual === undefined ? message : `${message}; found: ${JSON.stringify(actual)}`);
}

module.exports = { runSteps, check };
