/**
 * End to end, version 2 of the node (the default for new nodes) in a real n8n: one workflow with a
 * Spacely node per operation (test/e2e/workflows/v2/every-operation.json) runs once, as every n8n
 * CLI run costs seconds, and each test checks one operation: the exact body the fake Spacely server
 * received and the node's output. The shipped examples, built on version 2, run here too.
 * scripts/test-e2e.js runs this file once per supported n8n version.
 */
import { expectSuccess } from './expect-success';
import {
	e2eN8nDescription,
	exampleFile,
	workflowFile,
	type ExecutionRun,
	type NodeItem,
} from './harness';
import { useE2eN8n } from './use-e2e-n8n';

const ROOM = 'https://storage.googleapis.com/spacely/public/image/roomstyle3/living-room.jpg';

const { keys, fake, n8n } = useE2eN8n({
	workflows: [
		workflowFile('v2/every-operation.json'),
		exampleFile('spacely-room-to-images.workflow.json'),
		exampleFile('spacely-furniture-placement.workflow.json'),
	],
	moreCredentials: (baseUrl, { good }) => [
		// the credential the shipped examples refer to
		{ id: 'spacelyDemoCred', name: 'Spacely (demo)', type: 'spacelyApi', data: { apiKey: good, baseUrl } },
	],
});

type LoggedRequest = (typeof fake.requests)[number];

/** Runs a workflow; keeps what the fake server received during the run. */
async function execute(workflowId: string) {
	fake.reset();
	const { ok, run, output } = await n8n.execute(workflowId);
	return { ok, run, output, requests: [...fake.requests] };
}

function itemsOf(run: ExecutionRun | undefined, node: string): NodeItem[] {
	return run?.data.resultData.runData[node]?.[0]?.data?.main[0] ?? [];
}

const renderPosts = (requests: LoggedRequest[], endpoint: string) =>
	requests.filter((r) => r.method === 'POST' && r.path === `/api/v1/generate/${endpoint}`);

const imageLinks = (refId: string) => [1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`);

/** Image Files: one item per image, its link first, the PNG in the binary field "data". */
function expectImageFiles(items: NodeItem[], refId: string, request: Record<string, unknown> = {}) {
	expect(items.map((item) => item.json)).toEqual(
		imageLinks(refId).map((renderedImageUrl, imageIndex) => ({
			renderedImageUrl,
			imageIndex,
			refId,
			status: 'success',
			...request,
		})),
	);
	items.forEach((item, index) =>
		expect(item.binary?.data).toMatchObject({
			mimeType: 'image/png',
			fileName: `${refId}-${index + 1}.png`,
			fileSize: expect.stringMatching(/^2\.\d+ kB$/),
		}),
	);
}

/** Image Links: one item with the status and the links to the render's images. */
function expectImageLinks(items: NodeItem[], refId: string, request: Record<string, unknown>) {
	expect(items).toEqual([{ json: { refId, status: 'success', images: imageLinks(refId), ...request }, pairedItem: { item: 0 } }]);
}

describe(`every version-2 operation, one node each, on ${e2eN8nDescription()}`, () => {
	let result: Awaited<ReturnType<typeof execute>>;

	beforeAll(async () => {
		result = await execute('e2eV2EveryOperation');
	});

	const items = (node: string) => itemsOf(result.run, node);

	/** The one render POST to this endpoint: the body as sent, and the ref id the server gave it. */
	function render(endpoint: string) {
		const posts = renderPosts(result.requests, endpoint);
		expect(posts).toHaveLength(1);
		return { body: JSON.parse(posts[0].rawBody), refId: posts[0].refId! };
	}

	test('the run succeeds; each render is posted once with the key; only Image Files downloads', () => {
		expectSuccess(result);

		const posts = result.requests.filter((r) => r.method === 'POST');
		expect(posts.map((r) => r.path).sort()).toEqual(
			['advance', 'decoration-placement', 'furniture-placement', 'standard', 'style-transfer', 'two-point-perspective'].map(
				(endpoint) => `/api/v1/generate/${endpoint}`,
			),
		);
		expect(posts.every((r) => r.headers['x-api-key'] === keys.good)).toBe(true);
		const downloaded = result.requests.filter((r) => r.path.startsWith('/renders/')).map((r) => r.path);
		const filesOf = (endpoint: string) => imageLinks(render(endpoint).refId).map((link) => new URL(link).pathname);
		expect(downloaded.sort()).toEqual(
			[...filesOf('standard'), ...filesOf('advance'), ...filesOf('furniture-placement')].sort(),
		);
		expect(result.output).not.toContain(keys.good);
	});

	test('Render → Generate Standard: dropdown and expression values (not in the dropdowns) as sent; Image Files by default', () => {
		const { body, refId } = render('standard');

		expect(body).toStrictEqual({
			model: 'spacely-v1',
			imageUrl: ROOM,
			spaceType: 'attic',
			spaceStyle: 'japandi',
			spaceColor: 'set_2',
			renovateType: 'residential',
			styleUrl: '',
			materialsIds: ['paper_wallpaper', 'porcelain_tile'],
		});
		expectImageFiles(items('Generate Standard'), refId, body);
		expect(items('Generate Standard').map((item) => item.pairedItem)).toEqual([0, 0, 0, 0].map((item) => ({ item })));
	});

	test('Render → Generate Advance with Ref ID Only, then Result → Get with Image Files', () => {
		const { body, refId } = render('advance');

		expect(body).toStrictEqual({
			model: 'spacely-unfurnished-space',
			imageUrl: ROOM,
			prompt: 'japandi',
			nPrompt: 'clutter',
			renovateType: 'commercial',
		});
		expect(items('Generate Advance')).toEqual([{ json: { refId, ...body }, pairedItem: { item: 0 } }]);
		const polls = result.requests.filter((r) => r.path === '/api/v1/generate/poll-result');
		expect(polls.filter((r) => r.query.refId === refId)).toHaveLength(1);
		expectImageFiles(items('Get Result'), refId);
	});

	test('Render → Style Transfer with Image Links: one item with the four links, no files', () => {
		const { body, refId } = render('style-transfer');

		expect(body).toStrictEqual({
			imageUrl: ROOM,
			styleImageUrl: 'https://storage.googleapis.com/spacely/public/image/residential-room-style-2/nordic-bedroom.jpg',
			spaceType: 'bedroom',
			renovateType: 'exterior',
		});
		expectImageLinks(items('Style Transfer'), refId, body);
	});

	test('Product Visualization → Furniture Placement: two boxes from number fields (one from an expression); Image Files', () => {
		const { body, refId } = render('furniture-placement');

		expect(body).toStrictEqual({
			imageUrl: ROOM,
			productImageUrl: 'https://example.com/catalogue/sofa.jpg',
			placement: { x: 120, y: 340, w: 200, h: 150 },
			area: { x: 80, y: 300, w: 400, h: 260 },
		});
		expectImageFiles(items('Furniture Placement'), refId, body);
	});

	test('Product Visualization → Decoration Placement: a reference line of 2 points (one x from numeric text); Image Links', () => {
		const { body, refId } = render('decoration-placement');

		expect(body).toStrictEqual({
			imageUrl: ROOM,
			productImageUrl: 'https://example.com/catalogue/vase.png',
			productWidth: 30,
			productHeight: 45,
			referenceLine: [
				{ x: 100, y: 400 },
				{ x: 300, y: 400 },
			],
			lineLength: 90,
			placement: { x: 150, y: 200, w: 60, h: 90 },
		});
		expectImageLinks(items('Decoration Placement'), refId, body);
	});

	test('Space Planning → Two-Point Perspective: two lines of 3 points and the room height; Ref ID Only', () => {
		const { body, refId } = render('two-point-perspective');

		expect(body).toStrictEqual({
			imageUrl: ROOM,
			topCornerLine: [
				{ x: 40, y: 120 },
				{ x: 512, y: 90 },
				{ x: 980, y: 130 },
			],
			bottomCornerReferenceLine: [
				{ x: 60, y: 700 },
				{ x: 512, y: 760 },
				{ x: 960, y: 690 },
			],
			roomHeight: 2.7,
		});
		expect(items('Two-Point Perspective')).toEqual([{ json: { refId, ...body }, pairedItem: { item: 0 } }]);
		expect(result.requests.some((r) => r.query.refId === refId)).toBe(false);
	});
});

describe(`the shipped examples on ${e2eN8nDescription()}`, () => {
	test('a room photo to four image files, named for a property listing', async () => {
		const result = await execute('spacelyExampleRoomToImages');
		const { run, requests } = result;

		expectSuccess(result);
		const [post] = renderPosts(requests, 'advance');
		expect(JSON.parse(post.rawBody)).toStrictEqual({
			model: 'spacely-v1',
			imageUrl: 'https://storage.googleapis.com/spacely/public/image/roomstyle3/bathroom-modern.jpg',
			prompt: 'mid_century',
			nPrompt: '',
			renovateType: 'residential',
		});
		expectImageFiles(itemsOf(run, 'Spacely'), post.refId!, JSON.parse(post.rawBody));
		const named = itemsOf(run, 'Name for the Listing');
		expect(named.map((item) => item.json)).toEqual(
			imageLinks(post.refId!).map((renderedImageUrl, index) => ({
				renderedImageUrl,
				fileName: `listing-bathroom-mid-century-${index + 1}.png`,
				altText: 'Bathroom redesigned in mid century style (AI visualisation)',
			})),
		);
		expect(named.map((item) => item.binary?.data.fileName)).toEqual(
			[1, 2, 3, 4].map((n) => `${post.refId}-${n}.png`),
		);
	});

	test('catalogue products x room photos: one render per pair, four files each, named for the product page', async () => {
		const result = await execute('spacelyExampleFurniturePlacement');
		const { run, requests } = result;

		expectSuccess(result);
		const products = [
			{ sku: 'SOFA-OSLO-3', name: 'Oslo 3-seat sofa', photo: 'https://example.com/catalogue/oslo-sofa.jpg' },
			{ sku: 'CHAIR-BERGEN', name: 'Bergen armchair', photo: 'https://example.com/catalogue/bergen-armchair.jpg' },
		];
		const rooms = [
			{
				room: 'living room',
				photo: ROOM,
				placement: { x: 310, y: 420, w: 380, h: 210 },
				area: { x: 240, y: 360, w: 560, h: 330 },
			},
			{
				room: 'bedroom',
				photo: 'https://storage.googleapis.com/spacely/public/image/residential-room-style-2/nordic-bedroom.jpg',
				placement: { x: 60, y: 450, w: 260, h: 220 },
				area: { x: 20, y: 380, w: 400, h: 340 },
			},
		];
		const pairs = products.flatMap((product) => rooms.map((room) => ({ product, room })));
		const posts = renderPosts(requests, 'furniture-placement');
		expect(posts).toHaveLength(pairs.length);
		const postFor = ({ product, room }: (typeof pairs)[number]) =>
			posts.find((r) => r.body.productImageUrl === product.photo && r.body.imageUrl === room.photo);
		expect(pairs.map((pair) => JSON.parse(postFor(pair)?.rawBody ?? 'null'))).toStrictEqual(
			pairs.map(({ product, room }) => ({
				imageUrl: room.photo,
				productImageUrl: product.photo,
				placement: room.placement,
				area: room.area,
			})),
		);

		const named = itemsOf(run, 'Name for the Product Page');
		expect(named.map((item) => item.json)).toEqual(
			pairs.flatMap((pair) =>
				imageLinks(postFor(pair)!.refId!).map((renderedImageUrl, index) => ({
					renderedImageUrl,
					sku: pair.product.sku,
					fileName: `${pair.product.sku.toLowerCase()}-${pair.room.room.replace(' ', '-')}-${index + 1}.png`,
					altText: `${pair.product.name} in a ${pair.room.room}`,
				})),
			),
		);
		expect(named.every((item) => item.binary?.data.mimeType === 'image/png')).toBe(true);
	});
});
