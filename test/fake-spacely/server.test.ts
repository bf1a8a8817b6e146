import { sleep } from 'n8n-workflow';

import { RENDER_ENDPOINTS } from './server';
import { useFakeSpacely, type FakeSpacely } from '../helpers/use-fake-spacely';

const API_KEY = 'dummy-fake-spacely-key';
const ROOM = 'https://storage.googleapis.com/spacely/public/image/roomstyle3/bathroom-modern.jpg';
const STYLE = 'https://storage.googleapis.com/spacely/public/image/residential-room-style-2/nordic-bedroom.jpg';
const PRODUCT = 'https://example.com/products/armchair.png';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type Body = Record<string, unknown>;

/** A body for each render endpoint as spacely-api.md documents it, optional fields included. */
const DOCUMENTED: Record<string, Body> = {
	advance: { model: 'spacely-v1', imageUrl: ROOM, prompt: 'mid_century', nPrompt: '', renovateType: 'residential' },
	standard: {
		model: 'spacely-unfurnished-space',
		imageUrl: ROOM,
		spaceType: 'bedroom',
		spaceStyle: 'modern',
		spaceColor: '',
		renovateType: 'exterior',
		styleUrl: '',
		materialsIds: ['paper_wallpaper', 'porcelain_tile'],
	},
	'style-transfer': { imageUrl: ROOM, styleImageUrl: STYLE, spaceType: 'bedroom', renovateType: 'commercial' },
	'furniture-placement': {
		imageUrl: ROOM,
		productImageUrl: PRODUCT,
		placement: { x: 120, y: 200, w: 150, h: 100 },
		area: { x: 0, y: 150, w: 400, h: 200 },
	},
	'decoration-placement': {
		imageUrl: ROOM,
		productImageUrl: PRODUCT,
		productWidth: 40,
		productHeight: 62.5,
		referenceLine: [
			{ x: 10, y: 300 },
			{ x: 210, y: 300 },
		],
		lineLength: 120,
		placement: { x: 0, y: 0, w: 50, h: 80 },
	},
	'two-point-perspective': {
		imageUrl: ROOM,
		topCornerLine: [
			{ x: 0, y: 40 },
			{ x: 320, y: 20 },
			{ x: 640, y: 40 },
		],
		bottomCornerReferenceLine: [
			{ x: 30, y: 420 },
			{ x: 320, y: 400 },
			{ x: 610, y: 420 },
		],
		roomHeight: 2.6,
	},
};

const ENDPOINTS = Object.keys(DOCUMENTED);
const changed = (endpoint: string, patch: Body): Body => ({ ...DOCUMENTED[endpoint], ...patch });
const without = (endpoint: string, field: string): Body => changed(endpoint, { [field]: undefined });

async function post(fake: FakeSpacely, endpoint: string, body: unknown) {
	const response = await fetch(`${fake.url}/api/v1/generate/${endpoint}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'X-API-KEY': API_KEY },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, json: JSON.parse(text || 'null') as { data?: string; message?: string } };
}

async function poll(fake: FakeSpacely, refId: string) {
	const response = await fetch(`${fake.url}/api/v1/generate/poll-result?refId=${refId}`, {
		headers: { 'X-API-KEY': API_KEY },
	});
	return ((await response.json()) as { data: { status: string; result: string[] } }).data;
}

async function startRender(fake: FakeSpacely, endpoint: string, body: Body = DOCUMENTED[endpoint]) {
	const { status, json } = await post(fake, endpoint, body);
	expect({ status, message: json.message }).toEqual({ status: 200, message: undefined });
	return json.data as string;
}

async function download(url: string) {
	return Buffer.from(await (await fetch(url)).arrayBuffer());
}

describe('render endpoints', () => {
	const fake = useFakeSpacely({ apiKeys: [API_KEY] });

	test('the fake serves exactly the documented render endpoints', () => {
		expect([...RENDER_ENDPOINTS].sort()).toEqual([...ENDPOINTS].sort());
	});

	test.each(ENDPOINTS)('%s: a documented body gets a ref id, then polls to success with 4 images', async (endpoint) => {
		const refId = await startRender(fake, endpoint);

		expect(await poll(fake, refId)).toEqual({ status: 'processing', result: [] });
		const { status, result } = await poll(fake, refId);
		expect(status).toBe('success');
		expect(result).toEqual([1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`));
		expect([...(await download(result[3])).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
		expect(fake.rendersOf(endpoint)).toEqual([refId]);
	});

	test.each([
		['advance', { prompt: undefined, nPrompt: undefined }],
		['standard', { spaceColor: undefined, styleUrl: undefined, materialsIds: undefined }],
		['standard', { spaceType: 'home_office', spaceStyle: 'wabi_sabi', spaceColor: 'set_9', materialsIds: [] }],
		['standard', { styleUrl: STYLE, renovateType: 'commercial', model: 'spacely-style-transfer' }],
		['style-transfer', { renovateType: 'exterior', spaceType: 'garden' }],
		['furniture-placement', { placement: { x: 0, y: 0, w: 0.5, h: 1 } }],
	])('%s also accepts %j (optional fields left out, open value lists)', async (endpoint, patch) => {
		await startRender(fake, endpoint, changed(endpoint, patch));
	});

	const box = { x: 1, y: 2, w: 3, h: 4 };
	const point = { x: 1, y: 2 };
	test.each([
		['advance', /^model is required$/, without('advance', 'model')],
		['advance', /^model must be one of spacely-v1, /, changed('advance', { model: 'spacely-v2' })],
		['advance', /^renovateType must be one of residential, commercial,/, changed('advance', { renovateType: 'exterior' })],
		['advance', /^imageUrl is required$/, changed('advance', { imageUrl: '' })],
		['advance', /^imageUrl must be an http\(s\) URL/, changed('advance', { imageUrl: 'ftp://example.com/room.jpg' })],
		['advance', /^prompt must be a string/, changed('advance', { prompt: 42 })],
		['advance', /^unknown field spaceType /, changed('advance', { spaceType: 'bedroom' })],
		['standard', /^spaceType is required$/, without('standard', 'spaceType')],
		['standard', /^spaceStyle must be a string/, changed('standard', { spaceStyle: 5 })],
		['standard', /^spaceColor must be a string/, changed('standard', { spaceColor: null })],
		['standard', /^renovateType must be one of residential, commercial, exterior,/, changed('standard', { renovateType: 'industrial' })],
		['standard', /^styleUrl must be an http\(s\) URL/, changed('standard', { styleUrl: 'nordic.jpg' })],
		['standard', /^materialsIds must be a list of strings/, changed('standard', { materialsIds: 'paper_wallpaper' })],
		['standard', /^materialsIds must be a list of strings/, changed('standard', { materialsIds: [1] })],
		['standard', /^unknown field prompt /, changed('standard', { prompt: 'modern' })],
		['style-transfer', /^unknown field model /, changed('style-transfer', { model: 'spacely-v1' })],
		['style-transfer', /^styleImageUrl is required$/, without('style-transfer', 'styleImageUrl')],
		['style-transfer', /^styleImageUrl must be an http\(s\) URL/, changed('style-transfer', { styleImageUrl: 'nordic.jpg' })],
		['style-transfer', /^renovateType is required$/, without('style-transfer', 'renovateType')],
		['furniture-placement', /^productImageUrl is required$/, without('furniture-placement', 'productImageUrl')],
		['furniture-placement', /^area is required$/, without('furniture-placement', 'area')],
		['furniture-placement', /^area must be an object \{x, y, w, h\}/, changed('furniture-placement', { area: [box] })],
		['furniture-placement', /^placement\.w is missing$/, changed('furniture-placement', { placement: { ...box, w: undefined } })],
		['furniture-placement', /^placement\.x must be a number >= 0/, changed('furniture-placement', { placement: { ...box, x: -1 } })],
		['furniture-placement', /^placement\.y must be a number >= 0/, changed('furniture-placement', { placement: { ...box, y: '2' } })],
		['furniture-placement', /^area\.h must be a number > 0/, changed('furniture-placement', { area: { ...box, h: 0 } })],
		['furniture-placement', /^unknown field placement\.z$/, changed('furniture-placement', { placement: { ...box, z: 1 } })],
		['decoration-placement', /^productWidth must be a number > 0/, changed('decoration-placement', { productWidth: 0 })],
		['decoration-placement', /^productHeight must be a number > 0/, changed('decoration-placement', { productHeight: '60' })],
		['decoration-placement', /^lineLength must be a number > 0/, changed('decoration-placement', { lineLength: -1 })],
		['decoration-placement', /^productImageUrl must be an http\(s\) URL/, changed('decoration-placement', { productImageUrl: 'armchair.png' })],
		['decoration-placement', /^referenceLine must be a list of 2 points/, changed('decoration-placement', { referenceLine: [point, point, point] })],
		['decoration-placement', /^referenceLine\[1\]\.y is missing$/, changed('decoration-placement', { referenceLine: [point, { x: 1 }] })],
		['decoration-placement', /^referenceLine\[0\]\.y must be a number >= 0/, changed('decoration-placement', { referenceLine: [{ x: 1, y: -2 }, point] })],
		['decoration-placement', /^placement is required$/, without('decoration-placement', 'placement')],
		['two-point-perspective', /^topCornerLine must be a list of 3 points/, changed('two-point-perspective', { topCornerLine: [point, point] })],
		['two-point-perspective', /^bottomCornerReferenceLine\[2\] must be an object \{x, y\}/, changed('two-point-perspective', { bottomCornerReferenceLine: [point, point, 'a'] })],
		['two-point-perspective', /^roomHeight is required$/, without('two-point-perspective', 'roomHeight')],
		['two-point-perspective', /^roomHeight must be a number > 0/, changed('two-point-perspective', { roomHeight: '2.6' })],
		['two-point-perspective', /^unknown field constructor /, changed('two-point-perspective', { constructor: 'x' })],
		['two-point-perspective', /^Body must be a JSON object$/, [DOCUMENTED['two-point-perspective']]],
	])('%s: 400 with a message matching %p', async (endpoint, message, body) => {
		const { status, json } = await post(fake, endpoint, body);

		expect(status).toBe(400);
		expect(json.message).toMatch(message);
		expect(fake.issuedRefIds()).toEqual([]);
	});

	test('other paths under /generate are not render endpoints', async () => {
		const onePoint = await post(fake, 'one-point-perspective', DOCUMENTED['two-point-perspective']);
		const advanceByGet = await fetch(`${fake.url}/api/v1/generate/advance`, { headers: { 'X-API-KEY': API_KEY } });

		expect([onePoint.status, advanceByGet.status]).toEqual([404, 404]);
	});

	test.each(ENDPOINTS)('%s: the fault triggers in imageUrl apply', async (endpoint) => {
		const withImage = (imageUrl: string) => changed(endpoint, { imageUrl });
		const forced = await post(fake, endpoint, withImage(`${ROOM}?fake-status-503`));
		const limited = await post(fake, endpoint, withImage(`${ROOM}?fake-429-always`));
		// The faults that answer the POST come before the body check, as on a real server's proxy.
		const unchecked = await post(fake, endpoint, { imageUrl: `${ROOM}?fake-status-418` });
		const failing = await startRender(fake, endpoint, withImage(`${ROOM}?fake-render-fails`));

		expect([forced.status, limited.status, unchecked.status]).toEqual([503, 429, 418]);
		expect(await poll(fake, failing)).toEqual({ status: 'failed', result: [] });
	});

	test('requestsPerSecond counts every request in the second it arrived', async () => {
		await startRender(fake, 'standard');
		await post(fake, 'standard', {});

		const counts = fake.requestsPerSecond();
		expect(counts.reduce((sum, count) => sum + count, 0)).toBe(2);
		expect(counts.at(-1)).toBeGreaterThan(0);
	});
});

describe('renderTimeMs and fake-render-ms-<n>', () => {
	const seen: Array<[string, unknown]> = [];
	const fake = useFakeSpacely({
		apiKeys: [API_KEY],
		renderTimeMs: (body: Body, endpoint: string) => {
			seen.push([endpoint, body.imageUrl]);
			return endpoint === 'advance' ? 300 : 0;
		},
	});

	test('a render is processing until its time has passed, however often it is polled', async () => {
		const refId = await startRender(fake, 'advance');

		expect((await poll(fake, refId)).status).toBe('processing');
		expect((await poll(fake, refId)).status).toBe('processing');
		await sleep(400);
		expect((await poll(fake, refId)).status).toBe('success');
		expect(seen).toContainEqual(['advance', ROOM]);
	});

	test('the function decides per endpoint, and the URL trigger overrides it', async () => {
		const instant = await startRender(fake, 'two-point-perspective');
		const triggered = await startRender(fake, 'advance', changed('advance', { imageUrl: `${ROOM}?fake-render-ms-0` }));
		const delayed = await startRender(fake, 'standard', changed('standard', { imageUrl: `${ROOM}?fake-render-ms-60000` }));

		expect((await poll(fake, instant)).status).toBe('success');
		expect((await poll(fake, triggered)).status).toBe('success');
		expect((await poll(fake, delayed)).status).toBe('processing');
	});
});

describe('imageBytes', () => {
	const IMAGE_BYTES = 300_000;
	const fake = useFakeSpacely({ apiKeys: [API_KEY], imageBytes: IMAGE_BYTES, pollsUntilDone: 0 });

	test('every rendered image is a PNG of at least that size, whose chunks add up to its end', async () => {
		const refId = await startRender(fake, 'furniture-placement');
		const images = await Promise.all((await poll(fake, refId)).result.map(download));

		for (const image of images) {
			expect([...image.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
			expect(image.length).toBeGreaterThanOrEqual(IMAGE_BYTES);
			const chunkTypes: string[] = [];
			let offset = 8;
			while (offset < image.length) {
				chunkTypes.push(image.toString('latin1', offset + 4, offset + 8));
				offset += 12 + image.readUInt32BE(offset);
			}
			expect(offset).toBe(image.length);
			expect([chunkTypes[0], chunkTypes.at(-1)]).toEqual(['IHDR', 'IEND']);
			expect(chunkTypes).toContain('IDAT');
		}
		expect(images[0].equals(images[1])).toBe(false);
	});
});
