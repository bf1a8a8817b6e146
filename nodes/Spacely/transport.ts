import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeCredentialTestResult,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'spacelyApi';
export const DEFAULT_BASE_URL = 'https://api.spacely.ai';
const DEFAULT_TIMEOUT_MS = 60_000;

export interface SpacelyRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	timeoutMs?: number;
}

interface SpacelyCredentials extends ICredentialDataDecryptedObject {
	apiKey: string;
	baseUrl: string;
}

interface HttpResponse {
	statusCode: number;
	body: unknown;
}

interface ErrorDetails {
	message: string;
	description: string;
	httpCode?: string;
}

/**
 * The one door to the Spacely API. Sends each request exactly once: a POST that fails with a 5xx,
 * a timeout or a network error may still have started a paid render, so it is never repeated here.
 */
export async function spacelyRequest(
	ctx: IExecuteFunctions,
	request: SpacelyRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const credentials = await ctx.getCredentials<SpacelyCredentials>(CREDENTIAL_TYPE, itemIndex);
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const fail = (details: ErrorDetails) =>
		apiError(ctx, redactDetails(details, credentials.apiKey), itemIndex);

	let response: HttpResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
		})) as HttpResponse;
	} catch (error) {
		throw fail(describeNetworkError(error, baseUrl, request.method, timeoutMs));
	}

	if (isSuccess(response.statusCode) && isJsonObject(response.body)) return response.body;
	throw fail(describeHttpError(response, baseUrl, request.method));
}

/**
 * Credential test. Spacely has no "who am I" endpoint, and every generate call spends credits, so
 * the key is tried on a poll for a ref id that cannot exist: a valid key gets 400 (unknown ref id),
 * an invalid one 401. Nothing is rendered either way.
 */
export async function testSpacelyApiKey(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const { apiKey, baseUrl } = (credential.data ?? {}) as SpacelyCredentials;
	let response: HttpResponse;
	try {
		response = (await this.helpers.request({
			method: 'GET',
			uri: `${normalizeBaseUrl(baseUrl)}/api/v1/generate/poll-result`,
			qs: { refId: '00000000-0000-0000-0000-000000000000' },
			headers: { 'X-API-KEY': apiKey },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: DEFAULT_TIMEOUT_MS,
		})) as HttpResponse;
	} catch (error) {
		const { message, description } = describeNetworkError(
			error,
			normalizeBaseUrl(baseUrl),
			'GET',
			DEFAULT_TIMEOUT_MS,
		);
		return { status: 'Error', message: redact(`${message}. ${description}`, apiKey) };
	}

	if (response.statusCode === 401 || response.statusCode === 403) {
		return { status: 'Error', message: 'The API key was rejected by Spacely. Copy it again from your Spacely account.' };
	}
	if (isSuccess(response.statusCode) || response.statusCode === 400) {
		return { status: 'OK', message: 'Connection successful: Spacely accepted the API key' };
	}
	const { message } = describeHttpError(response, normalizeBaseUrl(baseUrl), 'GET');
	return { status: 'Error', message: redact(message, apiKey) };
}

function normalizeBaseUrl(baseUrl: string | undefined): string {
	const trimmed = (baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	return trimmed.replace(/\/+$/, '');
}

function isSuccess(statusCode: number): boolean {
	return statusCode >= 200 && statusCode < 300;
}

function isJsonObject(body: unknown): body is IDataObject {
	return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function describeHttpError(response: HttpResponse, baseUrl: string, method: string): ErrorDetails {
	const { statusCode } = response;
	const httpCode = String(statusCode);
	const apiMessage = messageFromBody(response.body);
	const said = apiMessage ? ` Spacely said: "${apiMessage}".` : '';
	const notJson = describeNonJsonBody(response.body);

	if (isSuccess(statusCode)) {
		return unexpectedResponse(`The response was not JSON.${notJson}`);
	}
	if (statusCode === 401 || statusCode === 403) {
		return {
			httpCode,
			message: 'The API key was rejected; check the Spacely API credential',
			description: `Spacely answered ${statusCode} (API key invalid or missing).${said} Open the Spacely API credential and paste a valid key.`,
		};
	}
	if (statusCode === 400) {
		return {
			httpCode,
			message: apiMessage ? `Spacely rejected the request: ${apiMessage}` : 'Spacely rejected the request (400 Bad Request)',
			description:
				'Check the fields: Image URL must be a public link to a room photo that anyone can open, and Model and Renovate Type must be values from their lists.' +
				notJson,
		};
	}
	if (statusCode === 404) {
		return {
			httpCode,
			message: 'Spacely API endpoint not found (404)',
			description: `Nothing answers at ${baseUrl} for this request. Check the Base URL in the Spacely API credential (default ${DEFAULT_BASE_URL}).${said}${notJson}`,
		};
	}
	if (statusCode === 429) {
		return {
			httpCode,
			message: 'Spacely refused the request: too many requests (429)',
			description: `The account's rate limit was reached.${said} Wait a moment and run the workflow again with fewer items at once.`,
		};
	}
	const serverError = statusCode >= 500;
	return {
		httpCode,
		message: serverError
			? `Spacely had a server error (${statusCode})`
			: `Spacely answered with HTTP ${statusCode}`,
		description:
			[said, notJson, serverError && method === 'POST' ? NOT_RETRIED : '']
				.map((part) => part.trim())
				.filter(Boolean)
				.join(' ') || 'Try again later.',
	};
}

const NOT_RETRIED =
	'The request was not sent again, because the render may have started and each render spends credits. Check your Spacely account before running this item again.';

function describeNetworkError(
	error: unknown,
	baseUrl: string,
	method: string,
	timeoutMs: number,
): ErrorDetails {
	const { code, text } = networkCause(error);
	const afterPost = method === 'POST' ? ` ${NOT_RETRIED}` : '';
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text)) {
		return {
			message: `Spacely did not answer within ${timeoutMs / 1000} seconds`,
			description: `The request to ${baseUrl} timed out.${afterPost}`,
		};
	}
	// Codes go into the description only: n8n replaces any message that contains one with a generic text.
	return {
		message: `Could not reach Spacely at ${baseUrl}`,
		description: `The connection failed (${code ?? text}). Check the Base URL in the Spacely API credential and the network of the n8n host.${afterPost}`,
	};
}

/**
 * n8n wraps the HTTP client's error in a NodeApiError that drops its `cause` and replaces its
 * message with a generic text, keeping the original messages in `messages`; read the code from there.
 */
function networkCause(error: unknown): { code?: string; text: string } {
	const err = (error ?? {}) as { code?: unknown; message?: unknown; messages?: unknown };
	const texts = [err.message, ...(Array.isArray(err.messages) ? err.messages : [])].filter(
		(text): text is string => typeof text === 'string',
	);
	const text = texts.join('; ');
	const code = typeof err.code === 'string' ? err.code : /\b(E[A-Z_]{3,})\b/.exec(text)?.[1];
	return { code, text: texts[texts.length - 1] ?? String(error) };
}

function messageFromBody(body: unknown): string | undefined {
	if (!isJsonObject(body)) return undefined;
	const candidate = body.message ?? body.error ?? body.detail;
	if (typeof candidate === 'string') return candidate.trim() || undefined;
	if (isJsonObject(candidate) && typeof candidate.message === 'string') return candidate.message;
	return undefined;
}

function describeNonJsonBody(body: unknown): string {
	if (typeof body !== 'string') return '';
	const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	if (!text) return ' The response had no body.';
	const kind = /<html|<!doctype/i.test(body) ? 'an HTML page (often a proxy or a wrong Base URL)' : 'text, not JSON';
	return ` The response was ${kind}: "${text.slice(0, 200)}".`;
}

function redact(text: string, secret: string | undefined): string {
	return secret ? text.split(secret).join('***') : text;
}

function redactDetails(details: ErrorDetails, secret: string | undefined): ErrorDetails {
	return {
		...details,
		message: redact(details.message, secret),
		description: redact(details.description, secret),
	};
}

/** For a 2xx answer that lacks what the API documents. */
export function unexpectedResponseError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	detail: string,
): NodeApiError {
	return apiError(ctx, unexpectedResponse(detail), itemIndex);
}

function unexpectedResponse(detail: string): ErrorDetails {
	return {
		message: 'Spacely sent an unexpected response',
		description: `${detail} Check that the Base URL in the Spacely API credential points at the Spacely API.`,
	};
}

function apiError(ctx: IExecuteFunctions, details: ErrorDetails, itemIndex: number): NodeApiError {
	// Built from our own plain object, never from the HTTP client's error: that one carries the
	// request headers, and so the API key.
	return new NodeApiError(ctx.getNode(), { ...details } as JsonObject, { ...details, itemIndex });
}
