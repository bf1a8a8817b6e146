/** Reading a request body, for the fake servers (test/fake-spacely, test/fake-openai). */

/** The whole body of `req` as text. */
function readBody(req) {
	return new Promise((resolve) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
	});
}

/** The text parsed as JSON, or undefined when it is empty or not JSON. */
function parseJson(text) {
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return undefined;
	}
}

module.exports = { readBody, parseJson };
