import { condition } from '@temporalio/workflow';

/** Runs `task` over `items` with at most `limit` at once (deterministic: starts in item order). */
export async function boundedAll<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>, canStart: () => boolean = () => true): Promise<R[]> {
  const results = new Array<R>(items.length);
  let running = 0;
  const started: Promise<void>[] = [];
  for (let index = 0; index < items.length; index += 1) {
    await condition(() => running < limit && canStart());
    running += 1;
    started.push(
      task(items[index], index).then(
        (result) => {
          results[index] = result;
          running -= 1;
        },
        (error: unknown) => {
          running -= 1;
          throw error;
        },
      ),
    );
  }
  await Promise.all(started);
  return results;
}
