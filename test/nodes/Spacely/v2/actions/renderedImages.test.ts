import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import { API_KEY, errorOf, runV2 } from '../../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY], pollsUntilDone: 0 });

const NO_IMAGES = 'https://example.com/rooms/fake-images-none.jpg';
const advance = {
	resource: 'render',
	operation: 'generateAdvance',
	imageUrl: '={{ $json.photo }}',
	waitSettings: { firstCheckAfter: 0.05 },
};
const get = { resource: 'result', operation: 'get', refId: '={{ $json.refId }}' };

const noImages = (refId: string) => `The render with ref id "${refId}" succeeded but Spacely sent no images`;

describe('a render that succeeds with no images', () => {
	test.each(['imageFiles', 'imageLinks'])('fails the item with Output %s, naming the ref id and what to do', async (output) => {
		const result = await runV2(fake, { ...advance, output }, [{ photo: NO_IMAGES }]);

		const refId = fake.issuedRefIds()[0];
		expect(result.output).toBeUndefined();
		expect(errorOf(result)).toBe(
			`${noImages(refId)} | Spacely reported the render as done, so it was paid for, but its result lists no image links. Do not start it again: try Result → Get with ref id ${refId} later, and if it still has no images, ask Spacely support about this ref id.`,
		);
	});

	test('with Continue On Fail, is an error item carrying the ref id, and the other items still deliver', async () => {
		const { output } = await runV2(
			fake,
			{ ...advance, output: 'imageLinks' },
			[{ photo: NO_IMAGES }, { photo: 'https://example.com/rooms/kitchen.jpg' }],
			{ continueOnFail: true },
		);

		const [refId, goodRefId] = [NO_IMAGES, 'https://example.com/rooms/kitchen.jpg'].map((photo) => fake.refIdFor(photo));
		expect(output?.[0]).toEqual({
			json: { error: noImages(refId!), description: expect.stringContaining(`Result → Get with ref id ${refId}`), refId },
			pairedItem: { item: 0 },
		});
		expect(output?.[1].json).toMatchObject({ refId: goodRefId, status: 'success' });
		expect(output?.[1].json.images).toHaveLength(4);
	});

	test('fails Result → Get too, for Image Files and Image Links alike', async () => {
		const { output: started } = await runV2(fake, { ...advance, output: 'refId' }, [{ photo: NO_IMAGES }]);
		const refId = started![0].json.refId as string;

		for (const output of ['imageFiles', 'imageLinks']) {
			const { output: items } = await runV2(fake, { ...get, output }, [{ refId }], { continueOnFail: true });
			expect(items).toEqual([{ json: expect.objectContaining({ error: noImages(refId), refId }), pairedItem: { item: 0 } }]);
		}
	});
});

test('a render still running is no failure: Result → Get gives its status and no images', async () => {
	// Done in a minute, and with no images then.
	const stillRunning = 'https://example.com/rooms/fake-images-none-fake-render-ms-60000.jpg';
	const { output: started } = await runV2(fake, { ...advance, output: 'refId' }, [{ photo: stillRunning }]);
	const refId = started![0].json.refId as string;

	const { output } = await runV2(fake, get, [{ refId }]);

	expect(output).toEqual([{ json: { refId, status: 'processing', images: [] }, pairedItem: { item: 0 } }]);
});
