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
	let now = 0;
	const schedule = new PollSchedule(() => now);
	const first = Array.from({ length: 3 }, () => schedule.startWaiting(3_000));
	first.forEach((render) => render.nextPollInMs());
	now = 3_100;
	for (const render of first) {
		render.polled(3_000, 3_100, true);
		render.end();
	}

	now += laterMs;
	const next = schedule.startWaiting(3_000);
	// Done by 3.1 s, and no poll could have seen them sooner: the next render just polls at 3 s.
	expect(next.nextPollInMs()).toBe(3_000);
	expect(next.isScout).toBe(false);
});

test('what one render seen done shows is checked by the scouts before the others act on it', () => {
	let now = 0;
	const schedule = new PollSchedule(() => now);
	const renders = Array.from({ length: 20 }, () => schedule.startWaiting(3_000));
	renders.forEach((render) => render.nextPollInMs());
	const [scout, ...others] = renders.filter((render) => render.isScout);
	const waiting = renders.filter((render) => !render.isScout);
	// The scouts were seen running at 20.6, 22 and 24 s, the first of them done at 26 s.
	now = 20_600;
	scout.polled(now - 100, now, false);
	now = 22_000;
	others[0].polled(now - 100, now, false);
	now = 24_000;
	others[1].polled(now - 100, now, false);
	now = 26_000;
	scout.polled(now - 100, now, true);
	scout.end();

	// Taken alone, it says every render is done by 26 s: the scouts look again at once, the others wait.
	expect(others.map((render) => render.nextPollInMs())).toEqual([0, 0]);
	const planned = waiting.map((render) => ({ inMs: render.nextPollInMs(), scout: render.isScout }));
	expect(planned.filter(({ scout }) => !scout).every(({ inMs }) => inMs! > 5_000)).toBe(true);

	// Both seen done by then as well: now all act on it.
	now = 26_200;
	for (const render of others) {
		render.polled(now - 100, now, true);
		render.end();
	}
	const acting = waiting.map((render) => ({ inMs: render.nextPollInMs(), scout: render.isScout }));
	expect(acting.filter(({ scout }) => !scout).map(({ inMs }) => inMs)).toEqual(Array(waiting.length).fill(0));
});

test('renders of the same time: one seen running as the others were seen done does not draw the polls ahead of them', () => {
	let now = 0;
	const schedule = new PollSchedule(() => now);
	const first = Array.from({ length: 4 }, () => schedule.startWaiting(200));
	first.forEach((render) => render.nextPollInMs());
	now = 400;
	const later = Array.from({ length: 20 }, () => schedule.startWaiting(200));
	later.forEach((render) => render.nextPollInMs());
	const look = (render: (typeof first)[number], sentAt: number, answeredAt: number, done: boolean) => {
		now = answeredAt;
		render.polled(sentAt, answeredAt, done);
		if (done) render.end();
	};
	// Renders of 1.2 s, three seen done between 1.2 and 1.31 s. The answer to a poll sent at 1.05 s was
	// read only at 1.25 s (a busy event loop), so one render counts as seen running then.
	const [slowAnswer, a, b, c] = first;
	look(slowAnswer, 200, 260, false);
	look(a, 400, 460, false);
	look(b, 600, 660, false);
	look(a, 940, 1000, false);
	look(b, 1140, 1200, true);
	look(c, 1170, 1230, true);
	look(slowAnswer, 1050, 1250, false);
	look(a, 1250, 1310, true);

	// The three say renders take up to 1.2 s: the later ones (at 0.91 s of theirs) are polled to be
	// answered then, not at the middle of what was seen, where they would still be running.
	const waiting = later.map((render) => ({ inMs: render.nextPollInMs(), scout: render.isScout }));
	const answeredAt = waiting.filter(({ scout }) => !scout).map(({ inMs }) => 910 + inMs! + 60);
	expect(answeredAt).toEqual(later.map(() => 1200));
});

test('renders of widely varying times, some still running: a poll aims at the middle of the rest, not seconds later', () => {
	let now = 0;
	const schedule = new PollSchedule(() => now);
	const seen = Array.from({ length: 12 }, () => schedule.startWaiting(3_000));
	seen.forEach((render) => render.nextPollInMs());
	now = 5_000;
	const late = schedule.startWaiting(3_000);
	// Ten renders seen done, closely, one every 0.5 s from 40 to 44.5 s; two still running at 44.5 s.
	seen.forEach((render, i) => {
		const seenAt = 39_500 + 500 * Math.min(i, 10);
		now = seenAt;
		render.polled(seenAt - 50, seenAt, false);
		if (i >= 10) return;
		now = seenAt + 500;
		render.polled(now - 50, now, true);
		render.end();
	});
	now = 5_000 + 40_000;
	late.polled(now - 50, now, false);

	// Half of those left are done by about 43 s: a poll then, not at 44.5 s, where the last was.
	const inMs = late.nextPollInMs()!;
	expect(40_000 + inMs + 50).toBeLessThan(44_000);
});
