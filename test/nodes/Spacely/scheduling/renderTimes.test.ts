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
