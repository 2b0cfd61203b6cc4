import { useCallback, useEffect, useRef, useState } from 'react';
import { App as AntApp } from 'antd';
import { useI18n } from '../shell/i18n/i18n';
import { asApiError, type ApiError } from './http';

export interface ActionOptions {
  /**
   * Handles a failure instead of the default `message.error(error.localized(locale))`:
   * `error` is the failure as an ApiError (asApiError), `cause` the value thrown.
   * Whatever it throws rejects the `run` call (e.g. to re-throw a non-ApiError).
   */
  onError?: (error: ApiError, cause: unknown) => void;
}

/** Runs one action; resolves to its result, or to undefined when it failed (and was handled) or was skipped. */
export type RunAction = <T>(action: () => Promise<T>, options?: ActionOptions) => Promise<T | undefined>;

/**
 * The busy flag and error handling of a button that calls the API:
 *
 *   const [run, busy] = useAction();
 *   <Button loading={busy} onClick={() => void run(async () => { await api.save(); message.success(…); })} />
 *
 * A failure is shown with message.error in the user's language unless `onError` handles it.
 * A second run while one is in flight is ignored (resolves to undefined without calling the action).
 * The busy flag is not touched after the component unmounted.
 */
export function useAction(): [run: RunAction, busy: boolean] {
  const { message } = AntApp.useApp();
  const { locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback<RunAction>(
    async (action, options) => {
      if (running.current) return undefined;
      running.current = true;
      setBusy(true);
      try {
        return await action();
      } catch (cause) {
        const error = asApiError(cause);
        if (options?.onError) options.onError(error, cause);
        else message.error(error.localized(locale));
        return undefined;
      } finally {
        running.current = false;
        if (mounted.current) setBusy(false);
      }
    },
    [message, locale],
  );

  return [run, busy];
}
