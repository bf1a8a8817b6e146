import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import { API_KEY, ROOM, errorOf, postedBodies, runV2 } from '../../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });
const refIdOnly = { output: 'refId' };

describe('Render → Generate Standard', () => {
	const standard = { resource: 'render', operation: 'generateStandard', imageUrl: ROOM, ...refIdOnly };

	test('sends exactly the documented body, with the defaults for what was left empty', async () => {
		const { output, error } = await runV2(fake, standard);

		expect(error).toBeUndefined();
		expect(fake.requests[0].path).toBe('/api/v1/generate/standard');
		expect(postedBodies(fake)).toStrictEqual([
			{
				model: 'spacely-v1',
				imageUrl: ROOM,
				spaceType: 'living_room',
				spaceStyle: 'modern',
				spaceColor: '',
				renovateType: 'residential',
				styleUrl: '',
				materialsIds: [],
			},
		]);
		expect(output?.[0].json.refId).toBe(fake.issuedRefIds()[0]);
	});

	test('values from expressions that are not in the dropdowns go through (the docs list examples only)', async () => {
		await runV2(
			fake,
			{
				...standard,
				spaceType: '={{ $json.room }}',
				spaceStyle: '={{ $json.style }}',
				spaceColor: 'set_2',
				renovateType: 'exterior',
				styleUrl: 'https://example.com/inspiration.jpg',
				materialsIds: '={{ $json.materials }}',
			},
			[{ room: 'attic', style: 'japandi', materials: 'oak_parquet, porcelain_tile' }],
		);

		expect(postedBodies(fake)[0]).toMatchObject({
			spaceType: 'attic',
			spaceStyle: 'japandi',
			spaceColor: 'set_2',
			renovateType: 'exterior',
			styleUrl: 'https://example.com/inspiration.jpg',
			materialsIds: ['oak_parquet', 'porcelain_tile'],
		});
	});

	test.each([
		[{ model: 'spacely-v9' }, /Model "spacely-v9" is not supported/],
		[{ renovateType: 'industrial' }, /Renovate Type "industrial" is not supported .*residential, commercial, exterior/],
		[{ spaceType: '={{ $json.missing }}' }, /Space Type is empty/],
		[{ styleUrl: 'moodboard.jpg' }, /Style Reference URL "moodboard.jpg" is not a public http\(s\) link/],
		[{ imageUrl: 'ftp://example.com/room.jpg' }, /Image URL "ftp:\/\/example.com\/room.jpg" is not a public/],
	])('%j fails with the field named, before any request', async (change, message) => {
		const result = await runV2(fake, { ...standard, ...change });

		expect(errorOf(result)).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Render → Generate Advance', () => {
	test('sends the same body as version 1', async () => {
		await runV2(fake, {
			resource: 'render',
			operation: 'generateAdvance',
			imageUrl: ROOM,
			prompt: 'mid_century',
			negativePrompt: 'clutter',
			...refIdOnly,
		});

		expect(fake.requests[0].path).toBe('/api/v1/generate/advance');
		expect(postedBodies(fake)).toStrictEqual([
			{ model: 'spacely-v1', imageUrl: ROOM, prompt: 'mid_century', nPrompt: 'clutter', renovateType: 'residential' },
		]);
	});

	test('keeps Renovate Type to the values this endpoint documents', async () => {
		const result = await runV2(fake, {
			resource: 'render',
			operation: 'generateAdvance',
			imageUrl: ROOM,
			renovateType: 'exterior',
		});

		expect(errorOf(result)).toMatch(/Renovate Type "exterior" is not supported .*residential, commercial/);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Render → Style Transfer', () => {
	const styleTransfer = {
		resource: 'render',
		operation: 'styleTransfer',
		imageUrl: ROOM,
		styleImageUrl: 'https://example.com/nordic-bedroom.jpg',
		spaceType: 'bedroom',
		...refIdOnly,
	};

	test('sends exactly the documented body, with no model', async () => {
		await runV2(fake, styleTransfer);

		expect(fake.requests[0].path).toBe('/api/v1/generate/style-transfer');
		expect(postedBodies(fake)).toStrictEqual([
			{
				imageUrl: ROOM,
				styleImageUrl: 'https://example.com/nordic-bedroom.jpg',
				spaceType: 'bedroom',
				renovateType: 'residential',
			},
		]);
	});

	test('a missing style image fails with the field named, before any request', async () => {
		const result = await runV2(fake, { ...styleTransfer, styleImageUrl: '={{ $json.moodBoard }}' });

		expect(errorOf(result)).toMatch(/Style Image URL is empty \[item 0\]/);
		expect(fake.requests).toHaveLength(0);
	});
});
