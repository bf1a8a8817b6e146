import { useFakeSpacely } from '../../../../../helpers/use-fake-spacely';
import { API_KEY, ROOM, errorOf, runV2 } from '../../../../../helpers/run-v2';

// Renders are done at the third poll: a Get that returns at once sees them running.
const fake = useFakeSpacely({ apiKeys: [API_KEY], pollsUntilDone: 2 });

const refIdOnly = {
	resource: 'render',
	operation: 'generateAdvance',
	imageUrl: '={{ $json.photo }}',
	prompt: 'mid_century',
	output: 'refId',
};
// As saved before Wait Until Done existed.
const get = { resource: 'result', operation: 'get', refId: '={{ $json.refId }}' };
const getWaiting = { ...get, waitUntilDone: true, waitSettings: { firstCheckAfter: 0.05 } };

const posts = () => fake.requests.filter((r) => r.method === 'POST');
const pollsOf = (refId: string) => fake.requests.filter((r) => r.path.endsWith('/poll-result') && r.query.refId === refId);

/** Starts renders with Ref ID Only, as the big-batch pattern does; resolves with their ref ids. */
async function startRenders(photos: string[]): Promise<string[]> {
	const { output, error } = await runV2(fake, refIdOnly, photos.map((photo) => ({ photo })));
	expect(error).toBeUndefined();
	return output!.map((item) => item.json.refId as string);
}

describe('Result → Get, Wait Until Done', () => {
	test('waits for running renders, then outputs their files as a render operation does, sending no render', async () => {
		const refIds = await startRenders([ROOM, 'https://example.com/kitchen.jpg']);
		const postsBefore = posts().length;

		const { output, error } = await runV2(fake, { ...getWaiting, output: 'imageFiles' }, refIds.map((refId) => ({ refId })));

		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(postsBefore);
		expect(output).toHaveLength(8);
		expect(output!.map((item) => item.pairedItem)).toEqual([...Array(4).fill({ item: 0 }), ...Array(4).fill({ item: 1 })]);
		refIds.forEach((refId, item) => {
			expect(pollsOf(refId).length).toBeGreaterThanOrEqual(3);
			output!.slice(item * 4, item * 4 + 4).forEach(({ json, binary }, imageIndex) => {
				expect(json).toStrictEqual({
					renderedImageUrl: `${fake.url}/renders/${refId}-${imageIndex + 1}.png`,
					imageIndex,
					refId,
					status: 'success',
				});
				expect(binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `${refId}-${imageIndex + 1}.png` });
			});
		});
	});

	test('Image Links: one item per render with its links, once it is done', async () => {
		const [refId] = await startRenders([ROOM]);

		const { output } = await runV2(fake, getWaiting, [{ refId }]);

		expect(output).toEqual([
			{
				json: { refId, status: 'success', images: [1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`) },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('saved without the field, Get returns the status at once, as before', async () => {
		const [refId] = await startRenders([ROOM]);

		const { output } = await runV2(fake, get, [{ refId }]);

		expect(output).toEqual([{ json: { refId, status: 'processing', images: [] }, pairedItem: { item: 0 } }]);
		expect(pollsOf(refId)).toHaveLength(1);
	});

	test('a render still running at Max Wait fails with its ref id, and says where to raise the wait', async () => {
		const [refId] = await startRenders(['https://example.com/fake-render-never.jpg']);
		const waitOneSecond = { ...getWaiting, waitSettings: { maxWait: 1, firstCheckAfter: 0.2 } };

		const failed = await runV2(fake, waitOneSecond, [{ refId }]);
		const { output } = await runV2(fake, waitOneSecond, [{ refId }], { continueOnFail: true });

		expect(errorOf(failed)).toMatch(`The render with ref id "${refId}" was not done after 1 seconds`);
		expect(errorOf(failed)).toMatch(`Fetch it later with Result → Get (Wait Until Done waits for it) and ref id ${refId}, or raise Wait Settings → Max Wait`);
		expect(output).toEqual([
			{ json: expect.objectContaining({ refId, error: expect.stringContaining('was not done') }), pairedItem: { item: 0 } },
		]);
		expect(posts()).toHaveLength(1);
	});

	test('when another item fails, the others stop waiting and the node fails with that item\'s error', async () => {
		const [running] = await startRenders(['https://example.com/fake-render-never.jpg']);
		// Max Wait left at its 5 minutes: the run ends only because the wait stops.
		const waitLong = { ...get, waitUntilDone: true, waitSettings: { firstCheckAfter: 0.05 } };

		const result = await runV2(fake, waitLong, [{ refId: running }, { refId: 'not-a-ref-id' }]);

		expect(errorOf(result)).toMatch('Spacely does not know the ref id "not-a-ref-id"');
		expect(result.output).toBeUndefined();
	});

	test('a render that failed on Spacely fails its item with the ref id', async () => {
		const [refId] = await startRenders(['https://example.com/fake-render-fails.jpg']);

		const { output } = await runV2(fake, getWaiting, [{ refId }], { continueOnFail: true });

		expect(output?.[0].json).toMatchObject({ refId, error: `The render with ref id "${refId}" failed (status "failed")` });
	});
});
