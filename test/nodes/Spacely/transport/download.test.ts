import type { IDataObject } from 'n8n-workflow';

import { useFakeSpacely } from '../../../helpers/use-fake-spacely';
import { runSpacelyWorkflow } from '../../../helpers/run-workflow';

const API_KEY = 'sk-download-dummy';
const IMAGE_BYTES = 1_500_000;

const fake = useFakeSpacely({ apiKeys: [API_KEY], imageBytes: IMAGE_BYTES });

function renderAndDownload(imageUrls: string[], options: IDataObject = {}) {
	return runSpacelyWorkflow({
		items: imageUrls.map((imageUrl) => ({ imageUrl })),
		parameters: {
			imageUrl: '={{ $json.imageUrl }}',
			options: { waitForCompletion: true, downloadImages: true, pollInterval: 0.1, ...options },
		},
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
		continueOnFail: true,
	});
}

async function served(url: string): Promise<Buffer> {
	return Buffer.from(await (await fetch(url)).arrayBuffer());
}

test('images of realistic size arrive whole, each in binary "data" with its name and type', async () => {
	const rooms = [0, 1, 2].map((i) => `https://example.com/rooms/${i}.jpg`);
	const { output } = await renderAndDownload(rooms, { maxConcurrency: 2 });

	expect(output).toHaveLength(12);
	for (const item of output!) {
		const image = item.binary!.data;
		expect(image.mimeType).toBe('image/png');
		expect(image.fileName).toBe(new URL(item.json.renderedImageUrl as string).pathname.split('/').pop());
		const bytes = Buffer.from(image.data, 'base64');
		expect(bytes.length).toBeGreaterThanOrEqual(IMAGE_BYTES);
		expect(bytes.equals(await served(item.json.renderedImageUrl as string))).toBe(true);
	}
	// Two slots: downloads (and everything else) never more than two at once.
	expect(fake.maxInFlight()).toBeLessThanOrEqual(2);
});

test('an image sent as octet-stream still gets its type', async () => {
	const { output } = await renderAndDownload(['https://example.com/rooms/fake-images-untyped.jpg']);

	expect(output?.map((item) => item.binary?.data.mimeType)).toEqual(['image/png', 'image/png', 'image/png', 'image/png']);
});

test('an image link that no longer works fails the item, naming the link and the answer', async () => {
	const { output } = await renderAndDownload(['https://example.com/rooms/fake-images-404.jpg']);

	expect(output?.[0].json.error).toMatch(/^Could not download the image http:\/\/127\.0\.0\.1:\d+\/renders\/.+-\d\.png$/);
	expect(output?.[0].json.description).toBe("The image host answered HTTP 404. The image URL came from Spacely's result.");
});
