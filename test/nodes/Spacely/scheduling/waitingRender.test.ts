import { PollSchedule } from '../../../../nodes/Spacely/scheduling/pollSchedule';

test('renders seen running in the same round of polls as others seen done wait a worthwhile time to poll again', () => {
	let now = 0;
	const schedule = new PollSchedule(() => now);
	// 60 renders started 12 ms apart, as POSTs go out under the rate cap.
	const renders = Array.from({ length: 60 }, (_, i) => {
		now = 12 * i;
		return schedule.startWaiting(3_000);
	});
	// One round of polls at 26 s, answered 20 ms apart: every third render is done. Counted from
	// each render's start, the answers are spread over 470 ms, and interleave.
	renders.forEach((render, i) => {
		now = 26_000 + 20 * i;
		render.polled(now - 100, now, i % 3 === 2);
		if (i % 3 === 2) render.end();
	});

	const running = renders.filter((_, i) => i % 3 !== 2);
	const planned = running.map((render) => ({ inMs: render.nextPollInMs() ?? Infinity, scout: render.isScout }));
	const nextPolls = planned.filter(({ scout }) => !scout).map(({ inMs }) => inMs);
	// Not at once: a second look is worth it only 10% of the 26 s later, and some 30% on unknown
	// ground. (Taken literally, the round said every running render was done within it.)
	expect(Math.min(...nextPolls)).toBeGreaterThanOrEqual(2_600);
});

test('a render seen done at its first poll, at First Poll After, is a close look: no more scouts', () => {
	let now = 0;
	const schedule = new PollSchedule(() => now);
	const first = schedule.startWaiting(3_000);
	expect(first.nextPollInMs()).toBe(3_000);
	now = 3_100;
	first.polled(3_000, 3_100, true);
	first.end();

	const next = schedule.startWaiting(3_000);
	// Done by 3.1 s, and no poll could have seen it sooner: the next render just polls at 3 s.
	expect(next.nextPollInMs()).toBe(3_000);
	expect(next.isScout).toBe(false);
});
