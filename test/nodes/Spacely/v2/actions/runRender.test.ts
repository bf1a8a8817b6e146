import { sleep } from 'n8n-workflow';

import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import { API_KEY, ROOM, errorOf, runV2 } from '../../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });

const advance = {
	resource: 'render',
	operation: 'generateAdvance',
	imageUrl: '={{ $json.photo }}',
	prompt: 'mid_century',
	waitSettings: { firstCheckAfter: 0.05 },
};
const polls = () => fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/poll-result'));

describe('version 2 output choice', () => {
	test('Image Files (the default): one item per image, led by its own link, with the file in "data"', async () => {
		const { output, error } = await runV2(fake, advance, [{ photo: ROOM }]);

		expect(error).toBeUndefined();
		const refId = fake.issuedRefIds()[0];
		expect(output).toHaveLength(4);
		output!.forEach((item, imageIndex) => {
			expect(Object.keys(item.json)[0]).toBe('renderedImageUrl');
			expect(item.json).toStrictEqual({
				renderedImageUrl: `${fake.url}/renders/${refId}-${imageIndex + 1}.png`,
				imageIndex,
				refId,
				status: 'success',
				model: 'spacely-v1',
				imageUrl: ROOM,
				prompt: 'mid_century',
				nPrompt: '',
				renovateType: 'residential',
			});
			expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `${refId}-${imageIndex + 1}.png` });
			expect(item.pairedItem).toEqual({ item: 0 });
		});
	});

	test('Image Links: one item per render with its status and the links to its images', async () => {
		const { output } = await runV2(fake, { ...advance, output: 'imageLinks' }, [{ photo: ROOM }]);

		const refId = fake.issuedRefIds()[0];
		expect(output).toHaveLength(1);
		expect(output![0].binary).toBeUndefined();
		expect(output![0].json).toMatchObject({
			refId,
			status: 'success',
			images: [1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`),
			imageUrl: ROOM,
		});
	});

	test('Ref ID Only: outputs the ref id at once and never asks for the result', async () => {
		const { output } = await runV2(fake, { ...advance, output: 'refId' }, [{ photo: ROOM }]);

		expect(output).toEqual([
			{
				json: expect.objectContaining({ refId: fake.issuedRefIds()[0], imageUrl: ROOM }),
				pairedItem: { item: 0 },
			},
		]);
		expect(polls()).toHaveLength(0);
	});

	test('a render still running at Max Wait fails with its ref id and where to raise the wait', async () => {
		const result = await runV2(fake, { ...advance, waitSettings: { maxWait: 1, firstCheckAfter: 0.2 } }, [
			{ photo: 'https://example.com/fake-render-never.jpg' },
		]);

		const refId = fake.issuedRefIds()[0];
		expect(errorOf(result)).toMatch(`The render with ref id "${refId}" was not done after 1 seconds`);
		expect(errorOf(result)).toMatch('raise Wait Settings → Max Wait');
	});

	test('with Continue On Fail, a bad item becomes an error item and the others still give their images', async () => {
		const { output } = await runV2(
			fake,
			advance,
			[{ photo: ROOM }, { photo: 'not a link' }, { photo: 'https://example.com/kitchen.jpg' }],
			{ continueOnFail: true },
		);

		expect(output?.map((item) => item.pairedItem)).toEqual([
			...Array(4).fill({ item: 0 }),
			{ item: 1 },
			...Array(4).fill({ item: 2 }),
		]);
		expect(output?.[4].json.error).toMatch(/Image URL "not a link" is not a public http\(s\) link \[item 1\]/);
		expect(fake.issuedRefIds()).toHaveLength(2);
	});
});

describe('image downloads', () => {
	const downloads = () => fake.requests.filter((r) => r.path.startsWith('/renders/'));

	test('Request Timeout covers each whole image: one that trickles past it fails, naming the field and the ref id', async () => {
		const result = await runV2(fake, { ...advance, requestSettings: { requestTimeout: 1 } }, [
			{ photo: 'https://example.com/fake-images-trickle-6000.jpg' },
		]);

		const refId = fake.issuedRefIds()[0];
		expect(errorOf(result)).toMatch(new RegExp(`^Image \\d of 4 of the render with ref id "${refId}" did not arrive within 1 seconds \\|`));
		expect(errorOf(result)).toMatch(`Raise Request Settings → Request Timeout, or try later.`);
		expect(errorOf(result)).toMatch(`Result → Get and ref id ${refId}`);
		// The server saw each image request closed before its last piece, not waited out.
		await until(() => downloads().every((r) => r.abortedAt !== undefined || r.finishedAt !== undefined));
		expect(downloads().length).toBeGreaterThan(0);
		expect(downloads().filter((r) => r.finishedAt !== undefined)).toEqual([]);
	});

	test('Request Timeout counts for each image from its own start, not while it waits for a slot', async () => {
		// Twelve slow images, one at a time: together far past the timeout, each well within it.
		const { output, error } = await runV2(fake, { ...advance, requestSettings: { maxConcurrency: 1, requestTimeout: 2 } }, [
			{ photo: 'https://example.com/fake-images-many-fake-images-trickle-500.jpg' },
		]);

		expect(error).toBeUndefined();
		expect(output).toHaveLength(12);
		expect(fake.maxInFlight()).toBe(1);
	});

	test('a render with many images gives one item per image, all from the same input item', async () => {
		const { output } = await runV2(fake, { ...advance, requestSettings: { maxConcurrency: 3 } }, [
			{ photo: 'https://example.com/fake-images-many.jpg' },
		]);

		expect(output?.map((item) => item.json.imageIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
		expect(output?.map((item) => item.binary?.data.mimeType)).toEqual(Array(12).fill('image/png'));
		expect(output?.map((item) => item.pairedItem)).toEqual(Array(12).fill({ item: 0 }));
		expect(fake.maxInFlight()).toBeLessThanOrEqual(3);
	});
});

/** Waits (a bounded number of short turns) until the fake server's log shows what a test reads. */
async function until(condition: () => boolean) {
	for (let turn = 0; turn < 100 && !condition(); turn++) await sleep(20);
}

describe('Result → Get', () => {
	const get = { resource: 'result', operation: 'get', refId: '={{ $json.refId }}' };

	test('gives the status and links of a finished render, or its files', async () => {
		const { output: started } = await runV2(fake, { ...advance, output: 'refId' }, [{ photo: ROOM }]);
		const refId = started![0].json.refId as string;
		// The fake render is done at its second poll.
		const { output: first } = await runV2(fake, get, [{ refId }]);
		const { output: links } = await runV2(fake, get, [{ refId }]);
		const { output: files } = await runV2(fake, { ...get, output: 'imageFiles' }, [{ refId }]);

		expect(first).toEqual([{ json: { refId, status: 'processing', images: [] }, pairedItem: { item: 0 } }]);
		expect(links?.[0].json).toMatchObject({ refId, status: 'success', images: expect.arrayContaining([]) });
		expect(links?.[0].json.images).toHaveLength(4);
		expect(files).toHaveLength(4);
		expect(files?.[3].json).toStrictEqual({
			renderedImageUrl: `${fake.url}/renders/${refId}-4.png`,
			imageIndex: 3,
			refId,
			status: 'success',
		});
		expect(files?.[3].binary?.data.mimeType).toBe('image/png');
	});

	test('an empty ref id fails with the field named, before any request', async () => {
		const result = await runV2(fake, get, [{ refId: ' ' }]);

		expect(errorOf(result)).toMatch(/Ref ID is empty \[item 0\]/);
		expect(fake.requests).toHaveLength(0);
	});
});
