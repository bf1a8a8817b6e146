import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import { API_KEY, ROOM, errorOf, postedBodies, runV2 } from '../../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });
const SOFA = 'https://example.com/catalogue/sofa.jpg';
const VASE = 'https://example.com/catalogue/vase.png';

const box = (name: string, x: number, y: number, width: number, height: number) => ({
	[`${name}X`]: x,
	[`${name}Y`]: y,
	[`${name}Width`]: width,
	[`${name}Height`]: height,
});

describe('Product Visualization → Furniture Placement', () => {
	const furniture = {
		resource: 'productVisualization',
		operation: 'furniturePlacement',
		output: 'refId',
		imageUrl: ROOM,
		productImageUrl: SOFA,
		...box('placement', 120, 340, 200, 150),
		...box('area', 80, 300, 400, 260),
	};

	test('sends exactly the documented body: the two images and the two boxes', async () => {
		const { error } = await runV2(fake, furniture);

		expect(error).toBeUndefined();
		expect(fake.requests[0].path).toBe('/api/v1/generate/furniture-placement');
		expect(postedBodies(fake)).toStrictEqual([
			{
				imageUrl: ROOM,
				productImageUrl: SOFA,
				placement: { x: 120, y: 340, w: 200, h: 150 },
				area: { x: 80, y: 300, w: 400, h: 260 },
			},
		]);
	});

	test('box values from a spreadsheet (numeric text) are sent as numbers', async () => {
		await runV2(fake, { ...furniture, placementX: '={{ $json.x }}', placementWidth: '={{ $json.w }}' }, [
			{ x: '15', w: '220.5' },
		]);

		expect(postedBodies(fake)[0]).toMatchObject({ placement: { x: 15, y: 340, w: 220.5, h: 150 } });
	});

	test.each([
		[{ placementX: -5 }, /Placement X must be 0 or more, not -5 \[item 0\]/],
		[{ areaWidth: 0 }, /Area Width must be more than 0, not 0/],
		[{ placementHeight: '={{ "tall" }}' }, /Placement Height must be a number, not "tall"/],
		[{ productImageUrl: '={{ $json.missing }}' }, /Product Image URL is empty/],
		[{ imageUrl: 'room.jpg' }, /Room Image URL "room.jpg" is not a public http\(s\) link/],
	])('%j fails with the field named, before any request', async (change, message) => {
		const result = await runV2(fake, { ...furniture, ...change });

		expect(errorOf(result)).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Product Visualization → Decoration Placement', () => {
	const points = (...xy: number[][]) => ({ points: xy.map(([x, y]) => ({ x, y })) });
	const decoration = {
		resource: 'productVisualization',
		operation: 'decorationPlacement',
		output: 'refId',
		imageUrl: ROOM,
		productImageUrl: VASE,
		productWidth: 30,
		productHeight: 45,
		referenceLine: points([100, 400], [300, 400]),
		lineLength: 90,
		...box('placement', 150, 200, 60, 90),
	};

	test('sends exactly the documented body', async () => {
		await runV2(fake, decoration);

		expect(fake.requests[0].path).toBe('/api/v1/generate/decoration-placement');
		expect(postedBodies(fake)).toStrictEqual([
			{
				imageUrl: ROOM,
				productImageUrl: VASE,
				productWidth: 30,
				productHeight: 45,
				referenceLine: [
					{ x: 100, y: 400 },
					{ x: 300, y: 400 },
				],
				lineLength: 90,
				placement: { x: 150, y: 200, w: 60, h: 90 },
			},
		]);
	});

	test('point coordinates can come from expressions, as numeric text too', async () => {
		const line = {
			points: [
				{ x: '={{ $json.x1 }}', y: 400 },
				{ x: '={{ $json.x2 }}', y: 400 },
			],
		};
		const { error } = await runV2(fake, { ...decoration, referenceLine: line }, [{ x1: 12, x2: '340' }]);

		expect(error).toBeUndefined();
		expect(postedBodies(fake)[0]).toMatchObject({
			referenceLine: [
				{ x: 12, y: 400 },
				{ x: 340, y: 400 },
			],
		});
	});

	test.each([
		[{ referenceLine: points([1, 2]) }, /Reference Line needs exactly 2 points, not 1/],
		[
			{ productImageUrl: 'https://example.com/catalogue/vase.jpg' },
			/Product Image URL must link to a PNG, not a \.jpg file/,
		],
		[{ lineLength: 0 }, /Line Length must be more than 0/],
		[{ productWidth: -30 }, /Product Width must be more than 0, not -30/],
	])('%j fails with the field named, before any request', async (change, message) => {
		const result = await runV2(fake, { ...decoration, ...change });

		expect(errorOf(result)).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});

	test('a product link without a file extension (a CDN link) is not refused', async () => {
		const { error } = await runV2(fake, { ...decoration, productImageUrl: 'https://cdn.example.com/p/123' });

		expect(error).toBeUndefined();
		expect(postedBodies(fake)).toHaveLength(1);
	});
});
