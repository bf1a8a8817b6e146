import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The renders Spacely accepted in this n8n process, by the node run and item that started them, so
 * that n8n's recovery paths do not pay for a render twice:
 * - Retry On Fail runs the node again within the same execution and run index: an item sending the
 *   same body gets the ref id it already has. A run that succeeds forgets its renders at once.
 * - n8n's Retry of a failed execution (mode "retry") runs the failed node again in a new execution:
 *   an item at the same position sending the same body to the same node of the same workflow gets
 *   the ref id from the latest failed run. n8n does not tell a node which execution is retried.
 * Nothing is stored outside memory: another process (a queue worker, a restarted n8n) knows nothing.
 */

/** How long the renders of a failed run are kept for a Retry of its execution. */
const KEPT_FOR_RETRY_MS = 7 * 24 * 60 * 60 * 1000;
/** At most this many failed runs are kept; the oldest go first. */
const MAX_FAILED_RUNS = 1000;

interface NodeRun {
	workflowId: string;
	executionId: string;
	nodeName: string;
	/** set when the run ended with a failure; until then it is running */
	failedAt?: number;
	/** ref ids by item (itemKey) */
	refIds: Map<string, string>;
}

export interface RenderRequest {
	itemIndex: number;
	/** the endpoint's path, e.g. /api/v1/generate/advance */
	path: string;
	/** the request body as sent */
	body: object;
}

const runs = new Map<string, NodeRun>();

const itemKey = ({ itemIndex, path, body }: RenderRequest) => JSON.stringify([itemIndex, path, body]);

type RunIdentity = { key: string; run: Omit<NodeRun, 'refIds'> } | undefined;

/** n8n makes a context per node run (and per try), so it identifies the run. */
const identities = new WeakMap<IExecuteFunctions, RunIdentity>();

/** The node run `ctx` executes; undefined where n8n gives no execution id (nothing is kept then). */
function runOf(ctx: IExecuteFunctions): RunIdentity {
	if (identities.has(ctx)) return identities.get(ctx);
	const executionId = ctx.getExecutionId();
	let identity: RunIdentity;
	if (executionId) {
		const nodeName = ctx.getNode().name;
		const workflowId = ctx.getWorkflow().id ?? '';
		// n8n hands a node its run index only through the expression data ($runIndex).
		const runIndex = ctx.getWorkflowDataProxy(0).$runIndex as number;
		identity = { key: JSON.stringify([executionId, nodeName, runIndex]), run: { workflowId, executionId, nodeName } };
	}
	identities.set(ctx, identity);
	return identity;
}

function currentRun(ctx: IExecuteFunctions): NodeRun | undefined {
	const found = runOf(ctx);
	if (!found) return undefined;
	let run = runs.get(found.key);
	if (!run) {
		run = { ...found.run, refIds: new Map() };
		runs.set(found.key, run);
	}
	return run;
}

/**
 * The ref id of a render this item already started: in this run (Retry On Fail), or, when n8n
 * retries a failed execution, in the latest failed run of the same node. Undefined: send it.
 */
export function acceptedRenderFor(ctx: IExecuteFunctions, request: RenderRequest): string | undefined {
	const run = currentRun(ctx);
	if (!run) return undefined;
	const key = itemKey(request);
	const own = run.refIds.get(key);
	if (own !== undefined) return own;
	if (ctx.getMode() !== 'retry') return undefined;
	const earlier = latestFailedRunWith(run, key);
	if (!earlier) return undefined;
	const refId = earlier.refIds.get(key)!;
	// Taken over: a second Retry of the same failure finds it in this run, should this one fail too.
	earlier.refIds.delete(key);
	run.refIds.set(key, refId);
	return refId;
}

function latestFailedRunWith(run: NodeRun, key: string): NodeRun | undefined {
	let latest: NodeRun | undefined;
	for (const other of runs.values()) {
		if (other.failedAt === undefined || other.executionId === run.executionId) continue;
		if (other.workflowId !== run.workflowId || other.nodeName !== run.nodeName || !other.refIds.has(key)) continue;
		if (!latest || other.failedAt > latest.failedAt!) latest = other;
	}
	return latest;
}

/** Notes a render Spacely accepted for this item (it is paid for). */
export function recordAcceptedRender(ctx: IExecuteFunctions, request: RenderRequest, refId: string): void {
	currentRun(ctx)?.refIds.set(itemKey(request), refId);
}

/** Forgets a render Spacely reported as failed, so that running its item again renders anew. */
export function forgetRender(ctx: IExecuteFunctions, refId: string): void {
	const run = currentRun(ctx);
	if (!run) return;
	for (const [key, accepted] of run.refIds) if (accepted === refId) run.refIds.delete(key);
}

/**
 * Ends the node run: a run without failures forgets its renders (n8n will not run it again); a
 * run with any failure keeps them, for Retry On Fail and for a Retry of the execution.
 */
export function endNodeRun(ctx: IExecuteFunctions, failed: boolean): void {
	const found = runOf(ctx);
	if (!found) return;
	const run = runs.get(found.key);
	if (!run) return;
	if (!failed || run.refIds.size === 0) {
		runs.delete(found.key);
		return;
	}
	run.failedAt = Date.now();
	forgetOldFailedRuns(run.failedAt);
}

function forgetOldFailedRuns(now: number) {
	const failed = [...runs.entries()].filter(([, run]) => run.failedAt !== undefined);
	failed.sort(([, a], [, b]) => a.failedAt! - b.failedAt!);
	failed.forEach(([key, run], index) => {
		const tooMany = failed.length - index > MAX_FAILED_RUNS;
		if (tooMany || now - run.failedAt! > KEPT_FOR_RETRY_MS) runs.delete(key);
	});
}
