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

test('an image link that no longer works fails the item, naming the render, the link and the answer', async () => {
	const { output } = await renderAndDownload(['https://example.com/rooms/fake-images-404.jpg'], { maxConcurrency: 1 });

	const refId = fake.issuedRefIds()[0];
	expect(output).toEqual([{ json: expect.objectContaining({ refId }), pairedItem: { item: 0 } }]);
	expect(output?.[0].json.error).toBe(`Could not download image 1 of 4 of the render with ref id "${refId}"`);
	expect(output?.[0].json.description).toBe(
		`The image host answered HTTP 404 (${fake.url}/renders/${refId}-1.png). The render succeeded and was paid for, so do not start it again: get fresh image links with Get Result and ref id ${refId} (image links can expire), and download them.`,
	);
});

describe('only an image becomes a file', () => {
	const notAnImage = (refId: string) => `Image 1 of 4 of the render with ref id "${refId}" is not an image`;

	test('a link answering 200 with a web page fails the item, saying what the page said and what to do', async () => {
		const { output } = await renderAndDownload(['https://example.com/rooms/fake-images-html.jpg'], { maxConcurrency: 1 });

		const refId = fake.issuedRefIds()[0];
		expect(output).toEqual([{ json: expect.objectContaining({ error: notAnImage(refId), refId }), pairedItem: { item: 0 } }]);
		expect(output?.[0].json.description).toBe(
			`Its link ${fake.url}/renders/${refId}-1.png answered with a web page (text/html: "Link expired This link has expired"), so no file was made from it. The render succeeded and was paid for, so do not start it again: get fresh image links with Get Result and ref id ${refId} (image links can expire), and download them.`,
		);
	});

	test('a page sent as octet-stream is no image either: the first bytes decide', async () => {
		const { output } = await renderAndDownload(['https://example.com/rooms/fake-images-octet-html.jpg'], { maxConcurrency: 1 });

		const refId = fake.issuedRefIds()[0];
		expect(output?.[0].json.error).toBe(notAnImage(refId));
		expect(output?.[0].json.description).toMatch(
			/answered with a file that is not a PNG, JPEG, WebP or GIF image \(application\/octet-stream: "Link expired/,
		);
	});

	test('after one image fails, the render\'s other images are not downloaded for nothing', async () => {
		await renderAndDownload(['https://example.com/rooms/fake-images-html.jpg'], { maxConcurrency: 1 });

		// One slot: images 2 to 4 waited behind image 1, and gave their turn up when it failed.
		expect(fake.requests.filter((r) => r.path.startsWith('/renders/'))).toHaveLength(1);
	});
});
