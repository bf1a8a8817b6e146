import type { IDataObject } from 'n8n-workflow';

import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import { runSpacelyWorkflow } from '../../../../helpers/run-workflow';

const API_KEY = 'sk-get-result';
const ROOM = 'https://example.com/photos/room.jpg';

const fake = useFakeSpacely({ apiKeys: [API_KEY], pollsUntilDone: 1 });

const credentials = () => ({ apiKey: API_KEY, baseUrl: fake.url });

async function generate(imageUrls: string[]): Promise<string[]> {
	const { output } = await runSpacelyWorkflow({
		items: imageUrls.map((imageUrl) => ({ imageUrl })),
		parameters: { imageUrl: '={{ $json.imageUrl }}' },
		credentials: credentials(),
	});
	return output!.map((item) => item.json.refId as string);
}

function getResult(items: IDataObject[], options: IDataObject = {}, continueOnFail = false) {
	return runSpacelyWorkflow({
		items,
		parameters: { operation: 'getResult', refId: '={{ $json.refId }}', options },
		credentials: credentials(),
		continueOnFail,
	});
}

test('Generate Advance then Get Result: processing first, then success with the image URLs', async () => {
	const [refId] = await generate([ROOM]);

	const first = await getResult([{ refId }]);
	expect(first.output).toEqual([{ json: { refId, status: 'processing', images: [] }, pairedItem: { item: 0 } }]);

	const second = await getResult([{ refId }]);
	expect(second.output?.[0].json).toEqual({
		refId,
		status: 'success',
		images: [1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`),
	});
	const poll = fake.requests.find((r) => r.path === '/api/v1/generate/poll-result')!;
	expect(poll.method).toBe('GET');
	expect(poll.query).toEqual({ refId });
	expect(poll.headers['x-api-key']).toBe(API_KEY);
});

test('a failed render names the ref id and the status', async () => {
	const [refId] = await generate([`${ROOM}?fake-render-fails`]);
	const { error } = await getResult([{ refId }]);

	expect(error?.name).toBe('NodeApiError');
	expect(error?.message).toBe(`The render with ref id "${refId}" failed (status "failed")`);
});

test('an unknown ref id says so', async () => {
	const { error } = await getResult([{ refId: 'no-such-render' }]);

	expect(error?.message).toBe('Spacely does not know the ref id "no-such-render"');
	expect(fake.requests).toHaveLength(1);
});

test('an empty ref id is caught before any request, naming the fix', async () => {
	const { error } = await getResult([{ other: 'x' }]);

	expect(error?.message).toBe('Ref ID is empty [item 0]');
	expect((error as { description?: string }).description).toMatch(/\{\{ \$json\.refId \}\}/);
	expect(fake.requests).toHaveLength(0);
});

test('a poll that meets a 500 is retried (it costs nothing); a 401 is not', async () => {
	const [refId] = await generate([`${ROOM}?fake-poll-500-once`]);
	const { output, error } = await getResult([{ refId }]);
	expect(error).toBeUndefined();
	expect(output?.[0].json.status).toBe('success');
	expect(fake.pollCount(refId)).toBe(2);

	fake.reset();
	const unauthorized = await runSpacelyWorkflow({
		items: [{ refId }],
		parameters: { operation: 'getResult' },
		credentials: { apiKey: 'sk-wrong', baseUrl: fake.url },
	});
	expect(unauthorized.error?.message).toBe('The API key was rejected; check the Spacely API credential');
	expect(fake.requests).toHaveLength(1);
});

test('Download Images: one item per image with binary "data", the right mime type, no key sent to the image host', async () => {
	const [refId] = await generate([ROOM]);
	await getResult([{ refId }]);

	const { output, error } = await getResult([{ refId }], { downloadImages: true });
	expect(error).toBeUndefined();

	expect(output).toHaveLength(4);
	output!.forEach((item, imageIndex) => {
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ refId, status: 'success', imageIndex });
		expect(item.binary?.data).toMatchObject({
			mimeType: 'image/png',
			fileName: `${refId}-${imageIndex + 1}.png`,
			fileExtension: 'png',
		});
	});
	const downloads = fake.requests.filter((r) => r.path.startsWith('/renders/'));
	expect(downloads).toHaveLength(4);
	expect(downloads.every((r) => r.headers['x-api-key'] === undefined)).toBe(true);
});
