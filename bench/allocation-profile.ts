/*
 * ALLOCATION_PROFILE=<file prefix> for bench/import.ts: where an import allocates. V8's sampling heap
 * profiler, told to keep the samples of objects the garbage collector has already freed (Node's
 * --heap-prof keeps only what is still alive, which hides a batch's garbage), runs in the importing
 * child for each import and writes `<prefix>-<n>.heapprofile` (Chrome DevTools' format). Off by default.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

let session: Session | undefined;
let written = 0;

function post<T>(method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** Starts sampling (every 32 KB allocated on average). */
export async function startAllocationProfile(): Promise<void> {
  session ??= new Session();
  session.connect();
  await post('HeapProfiler.startSampling', {
    samplingInterval: 32 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}

/** Stops sampling and writes what was sampled since the start. */
export async function stopAllocationProfile(prefix: string): Promise<void> {
  const { profile } = await post<{ profile: object }>('HeapProfiler.stopSampling');
  writeFileSync(`${prefix}-${++written}.heapprofile`, JSON.stringify(profile));
  session!.disconnect();
}
