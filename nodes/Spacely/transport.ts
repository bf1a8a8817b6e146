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
import { NodeApiError, randomInt, sleepWithAbort } from 'n8n-workflow';

import { SPACELY_LIMIT_PER_SECOND, limiterForAccount } from './rateLimiter';

export const CREDENTIAL_TYPE = 'spacelyApi';
export const DEFAULT_BASE_URL = 'https://api.spacely.ai';
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 50;
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 500;
const MAX_RETRY_AFTER_MS = 60_000;

export interface SpacelyRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	timeoutMs?: number;
	/** the account-wide cap this request waits for (see rateLimiter.ts) */
	maxRequestsPerSecond?: number;
	/** resend after a 5xx or a network error; safe for a GET, a risk of double charging for a POST */
	retryServerErrors?: boolean;
}

interface SpacelyCredentials extends ICredentialDataDecryptedObject {
	apiKey: string;
	baseUrl: string;
}

interface HttpResponse {
	statusCode: number;
	headers?: Record<string, string | string[] | undefined>;
	body: unknown;
}

type Attempt = { response: HttpResponse } | { networkError: unknown };

interface ErrorDetails {
	message: string;
	description: string;
	httpCode?: string;
}

/**
 * The one door to the Spacely API. Every request waits for the account's rate cap. A 429 means
 * Spacely refused the request, so it is sent again after Retry-After (or a backoff). A 5xx or a
 * network error is sent again only when `retryServerErrors` says so: after a POST, the render may
 * have started, and each render spends credits.
 */
export async function spacelyRequest(
	ctx: IExecuteFunctions,
	request: SpacelyRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const credentials = await credentialsOf(ctx);
	const baseUrl = normalizeBaseUrl(credentials.data.baseUrl);
	const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const limiter = limiterForAccount(credentials.data.apiKey ?? '');
	const signal = ctx.getExecutionCancelSignal();
	const fail = (details: ErrorDetails) =>
		apiError(ctx, redactDetails(details, credentials.data.apiKey), itemIndex);

	for (let attempt = 1; ; attempt++) {
		const release = await limiter.acquire(
			request.maxRequestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND,
			signal,
		);
		let outcome: Attempt | undefined;
		try {
			outcome = await send(ctx, request, credentials, baseUrl, timeoutMs);
		} finally {
			release(outcome !== undefined && 'response' in outcome);
		}
		// n8n aborts in-flight requests when the execution is stopped: that is no network failure.
		signal?.throwIfAborted();
		const retryInMs = attempt < MAX_ATTEMPTS ? retryDelayMs(outcome, request, attempt) : undefined;
		if (retryInMs === undefined) {
			if ('networkError' in outcome) {
				throw fail(describeNetworkError(outcome.networkError, baseUrl, request, timeoutMs, attempt));
			}
			const { response } = outcome;
			if (isSuccess(response.statusCode) && isJsonObject(response.body)) return response.body;
			throw fail(describeHttpError(response, baseUrl, request, attempt));
		}
		await sleepWithAbort(retryInMs, signal);
	}
}

/**
 * The credential, read once per node run. n8n would otherwise read and decrypt it from its
 * database for every request, which delays requests by a varying amount after the rate cap let
 * them go (and so blurs the cap where Spacely counts).
 */
const credentialsPerRun = new WeakMap<IExecuteFunctions, Promise<SpacelyCredentialsDecrypted>>();

interface SpacelyCredentialsDecrypted extends ICredentialsDecrypted {
	data: SpacelyCredentials;
}

async function credentialsOf(ctx: IExecuteFunctions): Promise<SpacelyCredentialsDecrypted> {
	let credentials = credentialsPerRun.get(ctx);
	if (!credentials) {
		const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
		credentials = ctx.getCredentials<SpacelyCredentials>(CREDENTIAL_TYPE).then((data) => ({
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		}));
		credentialsPerRun.set(ctx, credentials);
	}
	return await credentials;
}

async function send(
	ctx: IExecuteFunctions,
	request: SpacelyRequest,
	credentials: SpacelyCredentialsDecrypted,
	baseUrl: string,
	timeoutMs: number,
): Promise<Attempt> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{
				method: request.method,
				url: `${baseUrl}${request.path}`,
				qs: request.qs,
				body: request.body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A redirect would carry the key to wherever it points, and be a second request.
				disableFollowRedirect: true,
				timeout: timeoutMs,
			},
			{ credentialsDecrypted: credentials },
		)) as HttpResponse;
		return { response };
	} catch (networkError) {
		return { networkError };
	}
}

/** How long to wait before sending again, or undefined when this outcome is final. */
function retryDelayMs(outcome: Attempt, request: SpacelyRequest, attempt: number): number | undefined {
	const backoff = () => {
		const ms = BACKOFF_BASE_MS * 2 ** (attempt - 1);
		return ms / 2 + randomInt(ms / 2);
	};
	if ('networkError' in outcome) return request.retryServerErrors ? backoff() : undefined;
	const { statusCode } = outcome.response;
	if (statusCode === 429) {
		const retryAfter = retryAfterMs(outcome.response);
		if (retryAfter === undefined) return backoff();
		return retryAfter <= MAX_RETRY_AFTER_MS ? retryAfter : undefined;
	}
	if (statusCode >= 500 && request.retryServerErrors) return backoff();
	return undefined;
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(response: HttpResponse): number | undefined {
	const header = response.headers?.['retry-after'];
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export interface DownloadedFile {
	body: Buffer;
	contentType?: string;
}

/**
 * Downloads a rendered image. Spacely's image URLs are public, so this request carries no
 * credentials: the API key must never travel to a third-party host.
 */
export async function downloadFile(
	ctx: IExecuteFunctions,
	url: string,
	itemIndex: number,
	timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<DownloadedFile> {
	const fail = (detail: string) =>
		apiError(
			ctx,
			{ message: `Could not download the image ${url}`, description: `${detail} The image URL came from Spacely's result.` },
			itemIndex,
		);
	let response: HttpResponse;
	try {
		response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
			abortSignal: ctx.getExecutionCancelSignal(),
		})) as HttpResponse;
	} catch (error) {
		const { code, text } = networkCause(error);
		throw fail(`The connection failed (${code ?? text}).`);
	}
	if (!isSuccess(response.statusCode)) throw fail(`The image host answered HTTP ${response.statusCode}.`);
	const contentType = response.headers?.['content-type'];
	return {
		body: Buffer.from(response.body as ArrayBuffer),
		contentType: Array.isArray(contentType) ? contentType[0] : contentType,
	};
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
	const { apiKey, baseUrl: configuredBaseUrl } = (credential.data ?? {}) as SpacelyCredentials;
	const baseUrl = normalizeBaseUrl(configuredBaseUrl);
	const release = await limiterForAccount(apiKey ?? '').acquire(SPACELY_LIMIT_PER_SECOND);
	let response: HttpResponse | undefined;
	try {
		response = (await this.helpers.request({
			method: 'GET',
			uri: `${baseUrl}/api/v1/generate/poll-result`,
			qs: { refId: '00000000-0000-0000-0000-000000000000' },
			headers: { 'X-API-KEY': apiKey },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			followRedirect: false,
			timeout: DEFAULT_TIMEOUT_MS,
		})) as HttpResponse;
	} catch (error) {
		const { message, description } = describeNetworkError(error, baseUrl, CREDENTIAL_TEST_REQUEST, DEFAULT_TIMEOUT_MS);
		return { status: 'Error', message: redact(`${message}. ${description}`, apiKey) };
	} finally {
		release(response !== undefined);
	}

	if (response.statusCode === 401 || response.statusCode === 403) {
		return { status: 'Error', message: 'The API key was rejected by Spacely. Copy it again from your Spacely account.' };
	}
	if (isSuccess(response.statusCode) || response.statusCode === 400) {
		return { status: 'OK', message: 'Connection successful: Spacely accepted the API key' };
	}
	const { message } = describeHttpError(response, baseUrl, CREDENTIAL_TEST_REQUEST, 1);
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

const CREDENTIAL_TEST_REQUEST: RetryPolicy = { method: 'GET' };

type RetryPolicy = Pick<SpacelyRequest, 'method' | 'retryServerErrors'>;

function describeHttpError(
	response: HttpResponse,
	baseUrl: string,
	request: RetryPolicy,
	attempts: number,
): ErrorDetails {
	const { statusCode } = response;
	const httpCode = String(statusCode);
	const apiMessage = messageFromBody(response.body);
	const said = apiMessage ? ` Spacely said: "${apiMessage}".` : '';
	const notJson = describeNonJsonBody(response.body);

	if (isSuccess(statusCode)) {
		const shown = notJson || ` It was: ${JSON.stringify(response.body)?.slice(0, 200)}.`;
		return unexpectedResponse(`The response was not a JSON object.${shown}${startedNote(request)}`);
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
	if (statusCode >= 300 && statusCode < 400) {
		const location = response.headers?.location;
		const target = typeof location === 'string' ? ` to ${location}` : '';
		return {
			httpCode,
			message: `The Base URL redirects (HTTP ${statusCode}${target})`,
			description: `The node does not follow redirects: they would take the API key along. If that is Spacely's new address, set it as the Base URL in the Spacely API credential (now ${baseUrl}).`,
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
		const waitMs = retryAfterMs(response);
		const why =
			waitMs !== undefined && waitMs > MAX_RETRY_AFTER_MS
				? `Spacely asked to wait ${Math.ceil(waitMs / 1000)} seconds, longer than this node waits.`
				: `Spacely refused it ${attempts} times in a row, waiting longer each time.`;
		return {
			httpCode,
			message: 'Spacely refused the request: too many requests (429)',
			description: `${why}${said} The render was not started. Lower Options → Max Requests per Second, or run the workflow again later.`,
		};
	}
	const serverError = statusCode >= 500;
	return {
		httpCode,
		message: serverError
			? `Spacely had a server error (${statusCode})`
			: `Spacely answered with HTTP ${statusCode}`,
		description:
			[said, notJson, serverError ? retryNote(request, attempts) : '']
				.map((part) => part.trim())
				.filter(Boolean)
				.join(' ') || 'Try again later.',
	};
}

export const RENDER_MAY_HAVE_STARTED = ' The render may have started: check your Spacely account.';

function startedNote(request: RetryPolicy): string {
	return request.method === 'POST' ? RENDER_MAY_HAVE_STARTED : '';
}

/** What the user needs to know about resending after a 5xx or a network error. */
function retryNote(request: RetryPolicy, attempts: number): string {
	if (attempts > 1) return `The request was sent ${attempts} times.`;
	if (request.method !== 'POST' || request.retryServerErrors) return '';
	return 'The request was not sent again, because the render may have started and each render spends credits. Check your Spacely account before running this item again, or turn on Options → Retry Server Errors (Risk of Double Charge).';
}

function describeNetworkError(
	error: unknown,
	baseUrl: string,
	request: RetryPolicy,
	timeoutMs: number,
	attempts = 1,
): ErrorDetails {
	const { code, text } = networkCause(error);
	const note = retryNote(request, attempts);
	const afterPost = note ? ` ${note}` : '';
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

// Shorter "keys" are test values; replacing them would garble every word that contains them.
const MIN_REDACTED_LENGTH = 6;

function redact(text: string, secret: string | undefined): string {
	return secret && secret.length >= MIN_REDACTED_LENGTH ? text.split(secret).join('***') : text;
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
