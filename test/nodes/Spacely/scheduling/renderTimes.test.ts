import { RenderTimeDistribution } from '../../../../nodes/Spacely/scheduling/renderTimes';

const seen = (lo: number, hi: number, weight = 1) => ({ lo, hi, weight });

test('a close look is not blurred by many loose ones that agree with it', () => {
	const loose = Array.from({ length: 100 }, () => seen(0, 30_200));
	const distribution = new RenderTimeDistribution([seen(29_600, 30_000), ...loose]);

	expect(distribution.timeFor(0.01)).toBeGreaterThanOrEqual(29_600);
	expect(distribution.timeFor(1)).toBe(30_000);
	expect(distribution.doneBy(29_000)).toBe(0);
});

test('renders of different times are told apart, and shares between them follow the counts', () => {
	const fast = Array.from({ length: 3 }, () => seen(9_500, 10_000));
	const slow = seen(39_000, 40_000);
	const distribution = new RenderTimeDistribution([...fast, slow]);

	expect(distribution.doneBy(10_000)).toBeCloseTo(0.75);
	expect(distribution.timeFor(0.9)).toBeGreaterThan(39_000);
});

test('renders still running push the estimate out, and mark from where nothing is known', () => {
	const done = seen(9_500, 10_000);
	const running = seen(12_000, Infinity, 3);
	const distribution = new RenderTimeDistribution([done, running]);

	expect(distribution.doneBy(10_000)).toBeCloseTo(0.25);
	expect(distribution.timeFor(0.5)).toBe(Infinity);
	expect(distribution.unexploredFrom).toBe(12_000);
});

test('a render seen running before the others finished counts as one of them', () => {
	const distribution = new RenderTimeDistribution([seen(9_500, 10_000), seen(9_000, Infinity)]);

	expect(distribution.doneBy(10_000)).toBeCloseTo(1);
	expect(distribution.unexploredFrom).toBe(Infinity);
});

test('older observations count for less', () => {
	const distribution = new RenderTimeDistribution([seen(9_500, 10_000, 0.25), seen(19_500, 20_000, 1)]);

	expect(distribution.doneBy(10_000)).toBeCloseTo(0.2);
});

test('renders seen running just before others were seen done count as running from then on', () => {
	// One round of polls, answered over 100 ms: a third of the renders done, the rest running.
	const round = Array.from({ length: 30 }, (_, i) =>
		i % 3 === 2 ? seen(0, 26_200 + 3 * i) : seen(26_200 + 3 * i, Infinity),
	);
	const withinAPoll = new RenderTimeDistribution(round, () => 2_600);
	const taken = new RenderTimeDistribution(round);

	// Taken literally, the round says every running render is done within that 100 ms.
	expect(taken.timeFor(0.9)).toBeLessThan(26_300);
	expect(withinAPoll.timeFor(0.5)).toBe(Infinity);
	expect(withinAPoll.unexploredFrom).toBe(26_200 + 3 * 29);
	expect(withinAPoll.doneBy(26_200)).toBeCloseTo(withinAPoll.doneBy(26_300), 1);
});

test('a render seen running along with others and done a little later tells when they are likely done', () => {
	const earlier = Array.from({ length: 20 }, () => seen(0, 50_000));
	const running = seen(56_090, Infinity, 10);
	const scout = seen(56_070, 60_550);
	const distribution = new RenderTimeDistribution([...earlier, running, scout], () => 5_600);

	expect(distribution.timeFor(0.99)).toBeLessThanOrEqual(60_550);
	expect(distribution.unexploredFrom).toBe(Infinity);
});

test('renders done by a round just after others were seen running, last seen in an earlier round, do not crowd in between', () => {
	const first = Array.from({ length: 30 }, () => seen(0, 26_300));
	const doneByTheNext = seen(26_300, 35_400, 10);
	const running = seen(34_100, Infinity, 20);
	const distribution = new RenderTimeDistribution([...first, doneByTheNext, running], () => 3_400);

	// Taken as they are, the ten renders done by 35.4 s would all be done after 34.1 s (0.5 by then).
	expect(distribution.doneBy(34_100)).toBeGreaterThan(0.6);
	expect(distribution.unexploredFrom).toBe(35_400);
});

test('a scout seen done tells the scouts seen running since when they are likely done', () => {
	const scouts = [seen(24_060, 30_310), seen(26_000, Infinity), seen(28_080, Infinity)];
	const distribution = new RenderTimeDistribution(scouts, () => 3_000);

	expect(distribution.timeFor(0.99)).toBeLessThanOrEqual(30_310);
});
