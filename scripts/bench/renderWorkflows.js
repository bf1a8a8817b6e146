/**
 * The workflows of `npm run bench -- --renders`: the Spacely node at its defaults, and the loop
 * users build by hand from n8n's own nodes (the baseline in issue 10):
 *
 *   HTTP Request POST (batches of R a second) -> Wait 10 s -> HTTP Request poll (batches of R a
 *   second) -> IF done -> images -> Loop Over Items (100 at a time) -> HTTP Request download
 *                                 \-> not done -> Wait 5 s -> poll again
 *
 * The poll answer does not name its render, so the loop carries the ref id beside it: a Merge by
 * position of the poll's input and its answer.
 */
const { CREDENTIAL_ID, KEY, workflow } = require('./shared');
const { httpPostNode } = require('./posts');

/** The rooms of a run: `room-<i>` in the photo link tells the fake server the render's time. */
function renderRooms(N) {
	return Array.from({ length: N }, (_, i) => ({ photo: `https://example.com/bench/room-${i}.jpg`, style: 'modern' }));
}

/**
 * The Spacely node (version 2, Render -> Generate Advance) with every setting at its default, or
 * with Max Concurrent Requests `concurrency`.
 */
function spacelyRenderWorkflow(id, N, { downloads, concurrency }) {
	const node = {
		name: 'Spacely',
		type: 'n8n-nodes-spacely.spacely',
		typeVersion: 2,
		parameters: {
			resource: 'render',
			operation: 'generateAdvance',
			imageUrl: '={{ $json.photo }}',
			prompt: '={{ $json.style }}',
			// The default output is the image files; without downloads, the links only.
			...(downloads ? {} : { output: 'imageLinks' }),
			...(concurrency ? { requestSettings: { maxConcurrency: concurrency } } : {}),
		},
		credentials: { spacelyApi: { id: CREDENTIAL_ID, name: 'Spacely (bench)' } },
	};
	return workflow(id, renderRooms(N), [node], {});
}

const link = (node, index = 0) => ({ node, type: 'main', index });

/** A Set node with only these fields: { name: expression }, or { name: [expression, type] }. */
function set(name, fields) {
	const assignments = Object.entries(fields).map(([field, value], i) => {
		const [expression, type] = Array.isArray(value) ? value : [value, 'string'];
		return { id: `${name}-${i}`, name: field, value: expression, type };
	});
	return { name, type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'manual', assignments: { assignments }, includeOtherFields: false, options: {} } };
}

function wait(name, seconds) {
	return { name, type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' }, webhookId: `${name}-hook` };
}

function handBuiltWorkflow(id, N, url, R, { firstWaitS = 10, loopWaitS = 5 } = {}) {
	const nodes = [
		httpPostNode(url, R, {
			name: 'Start Render',
			body: [
				{ name: 'model', value: 'spacely-v1' },
				{ name: 'imageUrl', value: '={{ $json.photo }}' },
				{ name: 'prompt', value: '={{ $json.style }}' },
				{ name: 'nPrompt', value: '' },
				{ name: 'renovateType', value: 'residential' },
			],
		}),
		set('Ref', { refId: '={{ $json.data }}' }),
		wait('Wait for Render', firstWaitS),
		set('Carry Ref', { refId: '={{ $json.refId }}' }),
		{
			name: 'Poll',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'GET',
				url: `${url}/api/v1/generate/poll-result`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'refId', value: '={{ $json.refId }}' }] },
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'X-API-KEY', value: KEY }] },
				options: { batching: { batch: { batchSize: R, batchInterval: 1000 } } },
			},
		},
		{ name: 'Ref and Answer', type: 'n8n-nodes-base.merge', typeVersion: 3, parameters: { mode: 'combine', combineBy: 'combineByPosition', options: {} } },
		{
			name: 'Done?',
			type: 'n8n-nodes-base.if',
			typeVersion: 2,
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
					conditions: [{ id: 'done', leftValue: '={{ $json.data.status }}', rightValue: 'success', operator: { type: 'string', operation: 'equals' } }],
					combinator: 'and',
				},
				options: {},
			},
		},
		wait('Wait Again', loopWaitS),
		set('Image Links', { images: ['={{ $json.data.result }}', 'array'] }),
		{ name: 'One Item per Image', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'images', options: {} } },
		// n8n's HTTP Request node holds every answer of its run in memory until the last is in: 500
		// renders' 2000 images of 1.5 MB in one run (batched or not) made n8n abort. A user would
		// download them 100 at a time through Loop Over Items, reset by each new group of renders.
		{
			name: 'Images in Batches',
			type: 'n8n-nodes-base.splitInBatches',
			typeVersion: 3,
			parameters: { batchSize: 100, options: { reset: "={{ $prevNode.name === 'One Item per Image' }}" } },
		},
		{
			name: 'Download',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: { url: '={{ $json.images }}', options: { response: { response: { responseFormat: 'file' } } } },
		},
	];
	const connections = {
		'Start Render': { main: [[link('Ref')]] },
		Ref: { main: [[link('Wait for Render')]] },
		'Wait for Render': { main: [[link('Carry Ref')]] },
		'Carry Ref': { main: [[link('Poll'), link('Ref and Answer', 0)]] },
		Poll: { main: [[link('Ref and Answer', 1)]] },
		'Ref and Answer': { main: [[link('Done?')]] },
		'Done?': { main: [[link('Image Links')], [link('Wait Again')]] },
		'Wait Again': { main: [[link('Carry Ref')]] },
		'Image Links': { main: [[link('One Item per Image')]] },
		'One Item per Image': { main: [[link('Images in Batches')]] },
		'Images in Batches': { main: [[], [link('Download')]] },
		Download: { main: [[link('Images in Batches')]] },
	};
	return workflow(id, renderRooms(N), nodes, connections);
}

module.exports = { spacelyRenderWorkflow, handBuiltWorkflow };
