import * as n8nWorkflow from 'n8n-workflow';

/**
 * The one place that knows how the supported n8n versions differ, found out at run time from
 * what the host's n8n-workflow exports (a community node gets the host's copy, not ours).
 */

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const hostWorkflow = n8nWorkflow as unknown as {
	sleep: AbortableSleep;
	sleepWithAbort?: AbortableSleep;
};

/**
 * Waits `ms`, or rejects as soon as `signal` aborts. Up to n8n-workflow 2.33 that is
 * `sleepWithAbort` (its `sleep` takes no signal); from 2.34 `sleepWithAbort` is gone and
 * `sleep(ms, signal)` does it.
 */
export const abortableSleep: AbortableSleep = hostWorkflow.sleepWithAbort ?? hostWorkflow.sleep;
