import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import { API_KEY, ROOM, errorOf, postedBodies, runV2 } from '../../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });
const points = (...xy: number[][]) => ({ points: xy.map(([x, y]) => ({ x, y })) });

describe('Space Planning → Two-Point Perspective', () => {
	const perspective = {
		resource: 'spacePlanning',
		operation: 'twoPointPerspective',
		output: 'refId',
		imageUrl: ROOM,
		topCornerLine: points([10, 40], [320, 60], [630, 40]),
		bottomCornerReferenceLine: points([60, 420], [320, 400], [580, 420]),
		roomHeight: 2.7,
	};

	test('sends exactly the documented body: two lines of 3 points and the height in metres', async () => {
		const { error } = await runV2(fake, perspective);

		expect(error).toBeUndefined();
		expect(fake.requests[0].path).toBe('/api/v1/generate/two-point-perspective');
		expect(postedBodies(fake)).toStrictEqual([
			{
				imageUrl: ROOM,
				topCornerLine: [
					{ x: 10, y: 40 },
					{ x: 320, y: 60 },
					{ x: 630, y: 40 },
				],
				bottomCornerReferenceLine: [
					{ x: 60, y: 420 },
					{ x: 320, y: 400 },
					{ x: 580, y: 420 },
				],
				roomHeight: 2.7,
			},
		]);
	});

	test.each([
		[{ topCornerLine: points([1, 1], [2, 2]) }, /Top Corner Line needs exactly 3 points, not 2/],
		[{ bottomCornerReferenceLine: {} }, /Bottom Corner Reference Line needs exactly 3 points, not 0/],
		[
			{ bottomCornerReferenceLine: points([1, 1], [2, -2], [3, 3]) },
			/Bottom Corner Reference Line point 2 Y must be 0 or more, not -2/,
		],
		[{ roomHeight: 0 }, /Room Height must be more than 0/],
	])('%j fails with the field named, before any request', async (change, message) => {
		const result = await runV2(fake, { ...perspective, ...change });

		expect(errorOf(result)).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});
});
