import { PollSchedule } from '../../../../nodes/Spacely/scheduling/pollSchedule';

test('renders seen running in the same round of polls as others seen done wait a worthwhile time to poll again', () => {
	let now = 0;
	const schedule = new PollSchedule(() => now);
	// 60 renders started 20 ms apart, as POSTs go out under the rate cap.
	const renders = Array.from({ length: 60 }, (_, i) => {
		now = 20 * i;
		return schedule.startWaiting(3_000);
	});
	// One round of polls at 26 s, answered over 600 ms: every third render is done.
	renders.forEach((render, i) => {
		now = 26_000 + 10 * i;
		render.polled(now - 100, now, i % 3 === 2);
		if (i % 3 === 2) render.end();
	});

	const running = renders.filter((_, i) => i % 3 !== 2);
	const planned = running.map((render) => ({ inMs: render.nextPollInMs() ?? Infinity, scout: render.isScout }));
	const nextPolls = planned.filter(({ scout }) => !scout).map(({ inMs }) => inMs);
	// Not at once: a second look is worth it only 10% of the 26 s later, less the 600 ms of the round.
	// (Taken literally, the round said every running render was done within it.)
	expect(Math.min(...nextPolls)).toBeGreaterThanOrEqual(2_600 - 600);
});
