import { PollSchedule } from '../../../../nodes/Spacely/scheduling/pollSchedule';
import type { WaitingRender } from '../../../../nodes/Spacely/scheduling/waitingRender';

/** A poll schedule on a clock that the test moves, and the steps the tests here take with it. */
function onTestClock() {
	let now = 0;
	const schedule = new PollSchedule(() => now);
	return {
		schedule,
		at(ms: number) {
			now = ms;
		},
		/** `count` renders start waiting now, then each plans its first poll: the first three scout. */
		start(count: number, firstPollAfterMs: number): WaitingRender[] {
			const renders = Array.from({ length: count }, () => schedule.startWaiting(firstPollAfterMs));
			renders.forEach((render) => render.nextPollInMs());
			return renders;
		},
		/** A poll answered at `answeredAt` (the clock moves there), sent `roundTripMs` before; done ends the wait. */
		look(render: WaitingRender, answeredAt: number, done: boolean, roundTripMs = 100) {
			now = answeredAt;
			render.polled(answeredAt - roundTripMs, answeredAt, done);
			if (done) render.end();
		},
	};
}

test('renders seen running in the same round of polls as others seen done wait a worthwhile time to poll again', () => {
	const { schedule, at, look } = onTestClock();
	// 60 renders started 12 ms apart, as POSTs go out under the rate cap.
	const renders = Array.from({ length: 60 }, (_, i) => {
		at(12 * i);
		return schedule.startWaiting(3_000);
	});
	// One round of polls at 26 s, answered 20 ms apart: every third render is done. Counted from
	// each render's start, the answers are spread over 470 ms, and interleave.
	renders.forEach((render, i) => look(render, 26_000 + 20 * i, i % 3 === 2));

	const running = renders.filter((_, i) => i % 3 !== 2);
	const planned = running.map((render) => ({ inMs: render.nextPollInMs(), scout: render.isScout }));
	const nextPolls = planned.filter(({ scout }) => !scout).map(({ inMs }) => inMs);
	// Not at once: a second look is worth it only 10% of the 26 s later, and some 30% on unknown
	// ground. (Taken literally, the round said every running render was done within it.)
	expect(nextPolls.length).toBeGreaterThan(30);
	expect(nextPolls.every((inMs) => inMs !== undefined && inMs >= 2_600 && inMs < 10_000)).toBe(true);
});

// What three renders seen done at their first poll showed is acted on, also minutes later.
test.each([
	['at once', 0],
	['8 minutes later', 8 * 60_000],
])('renders seen done at their first poll, at First Poll After, are close looks: the next batch (%s) needs no scouts', (_, laterMs) => {
	const { schedule, at, start, look } = onTestClock();
	for (const render of start(3, 3_000)) look(render, 3_100, true);

	at(3_100 + laterMs);
	const next = schedule.startWaiting(3_000);
	// Done by 3.1 s, and no poll could have seen them sooner: the next render just polls at 3 s.
	expect(next.nextPollInMs()).toBe(3_000);
	expect(next.isScout).toBe(false);
});

test('what one render seen done shows is checked by the scouts before the others act on it', () => {
	const { start, look } = onTestClock();
	const renders = start(20, 3_000);
	const [scout, ...others] = renders.filter((render) => render.isScout);
	const waiting = renders.filter((render) => !render.isScout);
	// The scouts were seen running at 20.6, 22 and 24 s, the first of them done at 26 s.
	look(scout, 20_600, false);
	look(others[0], 22_000, false);
	look(others[1], 24_000, false);
	look(scout, 26_000, true);

	// Taken alone, it says every render is done by 26 s: the scouts look again at once, the others wait.
	expect(others.map((render) => render.nextPollInMs())).toEqual([0, 0]);
	const planned = waiting.map((render) => ({ inMs: render.nextPollInMs(), scout: render.isScout }));
	expect(planned.filter(({ scout }) => !scout).every(({ inMs }) => inMs! > 5_000)).toBe(true);

	// Both seen done by then as well: now all act on it.
	for (const render of others) look(render, 26_200, true);
	const acting = waiting.map((render) => ({ inMs: render.nextPollInMs(), scout: render.isScout }));
	expect(acting.filter(({ scout }) => !scout).map(({ inMs }) => inMs)).toEqual(Array(waiting.length).fill(0));
});

test('renders of the same time: one seen running as the others were seen done does not draw the polls ahead of them', () => {
	const { at, start, look } = onTestClock();
	const first = start(4, 200);
	at(400);
	const later = start(20, 200);
	// Renders of 1.2 s, three seen done between 1.2 and 1.31 s. The answer to a poll sent at 1.05 s was
	// read only at 1.25 s (a busy event loop), so one render counts as seen running then.
	const [slowAnswer, a, b, c] = first;
	look(slowAnswer, 260, false, 60);
	look(a, 460, false, 60);
	look(b, 660, false, 60);
	look(a, 1000, false, 60);
	look(b, 1200, true, 60);
	look(c, 1230, true, 60);
	look(slowAnswer, 1250, false, 200);
	look(a, 1310, true, 60);

	// The three say renders take up to 1.2 s: the later ones (at 0.91 s of theirs) are polled to be
	// answered then, not at the middle of what was seen, where they would still be running.
	const waiting = later.map((render) => ({ inMs: render.nextPollInMs(), scout: render.isScout }));
	const answeredAt = waiting.filter(({ scout }) => !scout).map(({ inMs }) => 910 + inMs! + 60);
	expect(answeredAt).toEqual(later.map(() => 1200));
});

test('renders of widely varying times, some still running: a poll aims at the middle of the rest, not seconds later', () => {
	const { schedule, at, start, look } = onTestClock();
	const seen = start(12, 3_000);
	at(5_000);
	const late = schedule.startWaiting(3_000);
	// Ten renders seen done, closely, one every 0.5 s from 40 to 44.5 s; two still running at 44.5 s.
	seen.forEach((render, i) => {
		const seenAt = 39_500 + 500 * Math.min(i, 10);
		look(render, seenAt, false, 50);
		if (i < 10) look(render, seenAt + 500, true, 50);
	});
	look(late, 5_000 + 40_000, false, 50);

	// Half of those left are done by about 43 s: a poll then, not at 44.5 s, where the last was.
	const inMs = late.nextPollInMs()!;
	expect(40_000 + inMs + 50).toBeLessThan(44_000);
});
