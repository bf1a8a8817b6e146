/**
 * A fake OpenAI-compatible chat model on 127.0.0.1 for the AI Agent e2e test: a scripted model that
 * makes one tool call and then answers with what the tool returned. It never talks to the real API.
 *
 *   POST /v1/chat/completions  (JSON; "stream": true gets a 400, see below)
 *     - no tool result yet: an assistant message that calls the offered tool whose parameters
 *       include every key of `toolArguments`, with those arguments
 *     - the last message is a tool result: a final answer that names the ref id found in it
 *   GET /v1/models             one model
 *
 * Requests without `Authorization: Bearer <apiKey>` get 401. Every request is recorded.
 * n8n's agent streams only into a streaming webhook response, never under `n8n execute` (both
 * n8n versions send "stream": false), so a streaming request means something changed: it fails loudly.
 * Plain JavaScript so that the TypeScript test stays within the community-node lint rules.
 */
const http = require('node:http');

const { parseJson, readBody } = require('../helpers/http-body');

const MODEL = 'gpt-4o-mini';

/**
 * @typedef {object} ChatRequest
 * @property {string} method
 * @property {string} path
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {any} body          parsed JSON, or undefined
 * @property {number} status
 * @property {'toolCall' | 'answer' | undefined} [reply]  what a chat completion answered with
 */

/**
 * @param {object} options
 * @param {string} options.apiKey                          the key the credential must send
 * @param {Record<string, unknown>} options.toolArguments  what the model calls the tool with
 */
async function startFakeOpenAi({ apiKey, toolArguments }) {
	/** @type {ChatRequest[]} */
	const requests = [];
	let calls = 0;

	const server = http.createServer(async (req, res) => {
		const rawBody = await readBody(req);
		const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
		/** @type {ChatRequest} */
		const entry = { method: req.method ?? '', path, headers: req.headers, body: parseJson(rawBody), status: 0 };
		requests.push(entry);
		const json = (status, body) => {
			entry.status = status;
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const error = (status, message) => json(status, { error: { message, type: 'invalid_request_error' } });

		if (req.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'Incorrect API key provided');
		if (entry.method === 'GET' && path === '/v1/models') {
			return json(200, { object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'fake' }] });
		}
		if (entry.method !== 'POST' || path !== '/v1/chat/completions') return error(404, `Not found: ${entry.method} ${path}`);
		if (entry.body?.stream) return error(400, 'This fake model does not stream');

		const messages = Array.isArray(entry.body?.messages) ? entry.body.messages : [];
		const last = messages[messages.length - 1];
		let message;
		if (last?.role === 'tool') {
			const refId = refIdIn(contentText(last.content));
			if (!refId) return error(400, `No refId in the tool result: ${contentText(last.content)}`);
			entry.reply = 'answer';
			message = { role: 'assistant', content: `The redesign has started. Its ref id is ${refId}.` };
		} else {
			const tool = (entry.body?.tools ?? []).find((t) => takesAll(t, Object.keys(toolArguments)));
			if (!tool) return error(400, `No offered tool takes ${Object.keys(toolArguments).join(', ')}`);
			entry.reply = 'toolCall';
			message = {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: `call_${++calls}`,
						type: 'function',
						function: { name: tool.function.name, arguments: JSON.stringify(toolArguments) },
					},
				],
			};
		}
		return json(200, {
			id: `chatcmpl-${requests.length}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: entry.body?.model ?? MODEL,
			choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop', logprobs: null }],
			usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
		});
	});

	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = `http://127.0.0.1:${address.port}`;

	return {
		url,
		/** what the OpenAI credential's Base URL field holds */
		baseUrl: `${url}/v1`,
		requests,
		/** the chat completion requests, in order */
		chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
		reset() {
			requests.length = 0;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

/** Whether an offered tool (OpenAI function format) has a parameter for each of `keys`. */
function takesAll(tool, keys) {
	const properties = tool?.function?.parameters?.properties ?? {};
	return keys.every((key) => key in properties);
}

/** A message's content as text: a string, or the text parts of a content array. */
function contentText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => part?.text ?? '').join('');
	return '';
}

/** The ref id in a tool result, which n8n passes on as the tool node's output in JSON. */
function refIdIn(text) {
	return /"refId"\s*:\s*"([^"]+)"/.exec(text)?.[1];
}

module.exports = { startFakeOpenAi, MODEL };
