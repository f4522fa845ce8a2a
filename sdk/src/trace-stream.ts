/** A stream, as the LLM SDKs return them: anything `for await` can read. */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

export interface StreamObserver {
  onChunk(chunk: unknown): void;
  /** Called once: with no error when the stream ended or the reader stopped early, else with the stream's error. */
  onEnd(error?: unknown): void;
}

/**
 * Observes what a `for await` over the stream reads and returns the same
 * stream object: only its own `Symbol.asyncIterator` is replaced, by one that
 * hands every chunk to the observer, so the SDK's class and its other methods
 * stay as they were (`controller.abort()`, `finalMessage()`, …). Only reading
 * through the async iterator is observed; a stream read another way (`tee()`,
 * `toReadableStream()`, event listeners) ends no span. A frozen stream is
 * returned as a plain async iterable instead.
 */
export function traceStream<S extends AsyncIterable<unknown>>(stream: S, observer: StreamObserver): S {
  const iterate = stream[Symbol.asyncIterator];
  let ended = false;
  const end = (error?: unknown): void => {
    if (ended) return;
    ended = true;
    observer.onEnd(error);
  };
  const observeChunk = (chunk: unknown): void => {
    try {
      observer.onChunk(chunk);
    } catch {
      // A chunk the reader does not understand must not break the application's stream.
    }
  };
  const observedIterator = (): AsyncIterableIterator<unknown> => {
    const inner = iterate.call(stream);
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(...args: [] | [unknown]) {
        try {
          const step = await inner.next(...args);
          if (step.done) end();
          else observeChunk(step.value);
          return step;
        } catch (error) {
          end(error);
          throw error;
        }
      },
      async return(value?: unknown) {
        end();
        return inner.return ? inner.return(value) : { done: true, value };
      },
      async throw(error?: unknown) {
        end(error);
        if (inner.throw) return inner.throw(error);
        throw error;
      },
    };
  };
  if (!Object.isExtensible(stream)) return { [Symbol.asyncIterator]: observedIterator } as unknown as S;
  Object.defineProperty(stream, Symbol.asyncIterator, { value: observedIterator, configurable: true, writable: true });
  return stream;
}
