import { PollSchedule } from '../../../../nodes/Spacely/scheduling/pollSchedule';

/**
 * A batch of renders waited for on a simulated clock, with the node's own poll schedule: POSTs
 * answered `perSecond` a second, every poll answered `roundTripMs` after it is sent, and seen done
 * when it reaches the server (half way) at or after the render's time. Polls go out when the
 * schedule says, so this measures the schedule alone, not the rate cap or n8n.
 */
function simulateBatch(renderTimesMs: number[], { perSecond = 50, roundTripMs = 200, firstPollAfterMs = 3000 } = {}) {
	let now = 0;
	const events: Array<{ at: number; run: () => void }> = [];
	const later = (at: number, run: () => void) => events.push({ at, run });
	const schedule = new PollSchedule(() => now);
	const renders = renderTimesMs.map((renderMs, i) => ({
		startedAt: Math.floor(i / perSecond) * 1000 + roundTripMs,
		doneAt: Math.floor(i / perSecond) * 1000 + roundTripMs + renderMs,
		polls: 0,
		seenDoneAt: Infinity,
	}));

	for (const render of renders) {
		later(render.startedAt, () => {
			const waiting = schedule.startWaiting(firstPollAfterMs);
			let plan = 0;
			const poll = () => {
				const sentAt = now;
				render.polls++;
				const done = sentAt + roundTripMs / 2 >= render.doneAt;
				later(sentAt + roundTripMs, () => {
					waiting.polled(sentAt, now, done);
					if (!done) return planNext();
					render.seenDoneAt = sentAt + roundTripMs / 2;
					waiting.end();
				});
			};
			// As renderResult.ts: sleep until the planned poll, or plan again when the schedule changes.
			const planNext = () => {
				const thisPlan = ++plan;
				const inMs = waiting.nextPollInMs();
				waiting.changed.addEventListener('abort', () => thisPlan === plan && planNext(), { once: true });
				if (inMs !== undefined) later(now + inMs, () => thisPlan === plan && (plan++, poll()));
			};
			planNext();
		});
	}
	while (events.length > 0) {
		events.sort((a, b) => a.at - b.at);
		const next = events.shift()!;
		now = Math.max(now, next.at);
		next.run();
	}

	const delays = renders.map((r) => r.seenDoneAt - r.doneAt).sort((a, b) => a - b);
	return {
		pollsPerRender: renders.reduce((sum, r) => sum + r.polls, 0) / renders.length,
		medianDelayMs: delays[Math.floor(delays.length / 2)],
		lastSeenAfterLastDoneMs: Math.max(...renders.map((r) => r.seenDoneAt)) - Math.max(...renders.map((r) => r.doneAt)),
	};
}

/** Render times spread over 5-60 s by a fixed hash, as `npm run bench -- --renders --t mix`. */
const spread = (count: number) =>
	Array.from({ length: count }, (_, i) => 5000 + ((Math.imul(i + 1, 2654435761) >>> 0) % 55001));

test('a first batch whose renders take 5 to 60 s costs fewer than 2.7 polls a render, the last seen done soon after', () => {
	// With polls aiming where half of the running renders are done, and 30% steps beyond what was
	// seen, this batch cost 2.94 polls a render.
	const { pollsPerRender, lastSeenAfterLastDoneMs } = simulateBatch(spread(100));

	expect(pollsPerRender).toBeLessThan(2.7);
	expect(lastSeenAfterLastDoneMs).toBeLessThanOrEqual(2000);
});

test('renders that take the same time are still picked up by about one poll each, soon after they are done', () => {
	for (const renderMs of [10_000, 30_000]) {
		const { pollsPerRender, medianDelayMs } = simulateBatch(Array.from({ length: 100 }, () => renderMs));

		expect(pollsPerRender).toBeLessThan(1.35);
		expect(medianDelayMs).toBeLessThanOrEqual(500);
	}
});
