import type { IDataObject } from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://api.spacely.ai';
export const MAX_RETRY_AFTER_MS = 60_000;

export interface HttpResponse {
	statusCode: number;
	headers?: Record<string, string | string[] | undefined>;
	body: unknown;
}

export function normalizeBaseUrl(baseUrl: string | undefined): string {
	const trimmed = (baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	return trimmed.replace(/\/+$/, '');
}

export function isSuccess(statusCode: number): boolean {
	return statusCode >= 200 && statusCode < 300;
}

export function isJsonObject(body: unknown): body is IDataObject {
	return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(response: HttpResponse): number | undefined {
	const header = response.headers?.['retry-after'];
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
