/** The client side of the benchmark in its own thread, so server and clients use both cores. */
import { parentPort } from 'node:worker_threads';
import { measureColdLoad, measureLatency, type LatencyOptions } from './lib/clients';

export type WorkerRequest =
	| { id: number; type: 'latency'; options: LatencyOptions }
	| { id: number; type: 'coldload'; url: string; room: string; timeoutMs: number };

export type WorkerResponse =
	{ id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

parentPort!.on('message', (req: WorkerRequest) => {
	const run = async () => {
		switch (req.type) {
			case 'latency':
				return measureLatency(req.options);
			case 'coldload':
				return measureColdLoad(req.url, req.room, req.timeoutMs);
		}
	};
	run().then(
		(value) => parentPort!.postMessage({ id: req.id, ok: true, value } satisfies WorkerResponse),
		(err: unknown) =>
			parentPort!.postMessage({
				id: req.id,
				ok: false,
				error: (err as Error).stack ?? String(err)
			} satisfies WorkerResponse)
	);
});
parentPort!.postMessage({ id: 0, ok: true, value: 'ready' } satisfies WorkerResponse);
