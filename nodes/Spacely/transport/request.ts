import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
} from 'n8n-workflow';
import { randomInt } from 'n8n-workflow';

import { processBudget } from '../scheduling/accountBudget';
import { abortableSleep } from '../platform';
import { limiterForAccount } from '../scheduling/rateLimiter';
import { isFailing, notStartedError } from '../scheduling/failingRun';
import { requestSlotsOf } from '../scheduling/requestSlots';
import { MAY_PASS, apiError, describeHttpError, describeNetworkError, redactDetails } from './errors';
import type { ErrorDetails } from './errors';
import type { HttpResponse } from './response';
import { MAX_RETRY_AFTER_MS, isJsonObject, isSuccess, normalizeBaseUrl, retryAfterMs } from './response';

export const CREDENTIAL_TYPE = 'spacelyApi';
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 500;

export interface SpacelyRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	timeoutMs?: number;
	/** the node option, which can only lower the credential's account budget (accountBudget.ts) */
	maxRequestsPerSecond?: number;
	/** resend after a 5xx or a network error; safe for a GET, a risk of double charging for a POST */
	retryServerErrors?: boolean;
}

interface SpacelyCredentials extends ICredentialDataDecryptedObject {
	apiKey: string;
	baseUrl: string;
}

type Attempt = { response: HttpResponse } | { networkError: unknown };

/**
 * The one door to the Spacely API (image downloads go to the image host: download.ts). Every
 * request waits for the account's rate cap. A 429 means Spacely refused the request, so it is sent
 * again after Retry-After (or a backoff). A 5xx or a network error is sent again only when
 * `retryServerErrors` says so: after a POST, the render may have started, and each render spends
 * credits.
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
	const budget = processBudget(credentials.data, request.maxRequestsPerSecond);
	const signal = ctx.getExecutionCancelSignal();
	const fail = (details: ErrorDetails) =>
		apiError(ctx, redactDetails(details, credentials.data.apiKey), itemIndex);

	const failure = (outcome: Attempt, attempts: number) => {
		const error = fail(
			'networkError' in outcome
				? describeNetworkError(outcome.networkError, baseUrl, request, timeoutMs, attempts)
				: describeHttpError(outcome.response, baseUrl, request, attempts),
		);
		if (mayPassLater(outcome)) error.context[MAY_PASS] = true;
		return error;
	};

	/** the latest attempt after which a render may have started (not a 429) */
	let unknownOutcome: Attempt | undefined;
	for (let attempt = 1; ; attempt++) {
		const releaseSlot = await requestSlotsOf(ctx)?.acquire(itemIndex);
		let outcome: Attempt | undefined;
		try {
			const release = await limiter.acquire(budget.perSecond, signal, budget.spacelyLimitShare);
			// Every POST starts a paid render; see scheduling/failingRun.ts.
			const sending = request.method !== 'POST' || !isFailing(ctx);
			try {
				if (sending) outcome = await send(ctx, request, credentials, baseUrl, timeoutMs);
			} finally {
				release(outcome !== undefined && 'response' in outcome, sending);
			}
		} finally {
			releaseSlot?.();
		}
		// n8n aborts in-flight requests when the execution is stopped: that is no network failure.
		signal?.throwIfAborted();
		if (!outcome) {
			// A resend held back: if every earlier answer was a 429, nothing had started; after a 5xx
			// or a network error the item fails with that one, as it would have without resends.
			throw unknownOutcome ? failure(unknownOutcome, attempt - 1) : notStartedError(ctx, itemIndex);
		}
		const retryInMs = attempt < MAX_ATTEMPTS ? retryDelayMs(outcome, request, attempt) : undefined;
		if (retryInMs === undefined) {
			if ('response' in outcome && isSuccess(outcome.response.statusCode) && isJsonObject(outcome.response.body)) {
				return outcome.response.body;
			}
			throw failure(outcome, attempt);
		}
		if (!('response' in outcome && outcome.response.statusCode === 429)) unknownOutcome = outcome;
		await abortableSleep(retryInMs, signal);
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

/** The API key of this node run's credential, to tell Spacely accounts apart (hash it to keep it). */
export async function apiKeyOf(ctx: IExecuteFunctions): Promise<string> {
	return (await credentialsOf(ctx)).data.apiKey ?? '';
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

/** Whether the same request may well succeed later: Spacely, or the way to it, was down. */
function mayPassLater(outcome: Attempt): boolean {
	if ('networkError' in outcome) return true;
	const { statusCode, body } = outcome.response;
	return statusCode >= 500 || statusCode === 429 || (isSuccess(statusCode) && !isJsonObject(body));
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
