import type { IExecuteFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HttpResponse } from './response';
import { DEFAULT_BASE_URL, MAX_RETRY_AFTER_MS, isJsonObject, isSuccess, retryAfterMs } from './response';

/** What users read when a request fails: the wording of every error the transport raises. */

export interface ErrorDetails {
	message: string;
	description: string;
	httpCode?: string;
}

/** What a request's method and retry setting say about sending it again. */
export interface RetryPolicy {
	method: IHttpRequestMethods;
	retryServerErrors?: boolean;
}

export function describeHttpError(
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
			// Spacely's own message, when it sends one, says the same: show one or the other.
			description: `Spacely answered ${statusCode}${apiMessage ? `: "${apiMessage}"` : ' (API key invalid or missing)'}. Open the Spacely API credential and paste a valid key.`,
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

/**
 * Marks, in an error's context, a failure that may pass: a 5xx or a 429, a network error or a
 * timeout, a 2xx that is not a JSON object (a proxy's page, an answer cut off).
 */
export const MAY_PASS = 'mayPass';

export function mayPass(error: unknown): boolean {
	return (error as { context?: Record<string, unknown> } | undefined)?.context?.[MAY_PASS] === true;
}

function startedNote(request: RetryPolicy): string {
	return request.method === 'POST' ? RENDER_MAY_HAVE_STARTED : '';
}

/** What the user needs to know about resending after a 5xx or a network error. */
function retryNote(request: RetryPolicy, attempts: number): string {
	if (attempts > 1) return `The request was sent ${attempts} times.`;
	if (request.method !== 'POST' || request.retryServerErrors) return '';
	return 'The request was not sent again, because the render may have started and each render spends credits. Check your Spacely account before running this item again, or turn on Request Settings → Resend After Server Error (version 1: Options → Retry Server Errors), at the risk of paying twice.';
}

export function describeNetworkError(
	error: unknown,
	baseUrl: string,
	request: RetryPolicy,
	timeoutMs: number,
	attempts = 1,
): ErrorDetails {
	const { code, text } = networkCause(error);
	const note = retryNote(request, attempts);
	const afterPost = note ? ` ${note}` : '';
	// After a timeout or a broken connection Spacely may have read the request. For a POST sent
	// once, the note says what that means; else say it here.
	const unknownOutcome =
		request.method === 'POST' && (attempts > 1 || request.retryServerErrors) ? RENDER_MAY_HAVE_STARTED : '';
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text)) {
		return {
			message: `Spacely did not answer within ${timeoutMs / 1000} seconds`,
			description: `The request to ${baseUrl} timed out.${unknownOutcome}${afterPost}`,
		};
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(text)) {
		return {
			message: 'The connection to Spacely broke before it answered',
			description: `The connection to ${baseUrl} was closed (${code ?? text}) after the request went out, so Spacely may have read it.${unknownOutcome}${afterPost}`,
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
export function networkCause(error: unknown): { code?: string; text: string } {
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

export function redactDetails(details: ErrorDetails, secret: string | undefined): ErrorDetails {
	return {
		...details,
		message: redact(details.message, secret),
		description: redact(details.description, secret),
	};
}

/** For a 2xx answer that lacks what the API documents; `secret` is masked where `detail` quotes it. */
export function unexpectedResponseError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	detail: string,
	secret?: string,
): NodeApiError {
	return apiError(ctx, redactDetails(unexpectedResponse(detail), secret), itemIndex);
}

function unexpectedResponse(detail: string): ErrorDetails {
	return {
		message: 'Spacely sent an unexpected response',
		description: `${detail} Check that the Base URL in the Spacely API credential points at the Spacely API.`,
	};
}

export function apiError(ctx: IExecuteFunctions, details: ErrorDetails, itemIndex: number): NodeApiError {
	// Built from our own plain object, never from the HTTP client's error: that one carries the
	// request headers, and so the API key.
	return new NodeApiError(ctx.getNode(), { ...details } as JsonObject, { ...details, itemIndex });
}

/**
 * Any error as the n8n error it should be: NodeApiError and NodeOperationError stay as they are,
 * anything else (an expression error, an abort) is wrapped so n8n shows it with the node and item.
 */
export function asNodeError(
	ctx: IExecuteFunctions,
	error: Error,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}
