import { isAxiosError } from 'axios';

/** Said when the user closed the step-up dialog: the API changed nothing. */
export const NOT_CONFIRMED: Refusal = {
  detail: 'Nothing was changed: you did not confirm it was you.',
  code: null,
  fields: {},
};

/** The mfa_token of a login that needs its second factor (401 mfa_required), else null. */
export function mfaTokenOf(error: unknown): string | null {
  const body = isAxiosError(error) ? (error.response?.data as { code?: unknown; mfa_token?: unknown }) : undefined;
  return body?.code === 'mfa_required' && typeof body.mfa_token === 'string' ? body.mfa_token : null;
}

/** What the API refused: a message for the form, and the field errors of a 400. */
export interface Refusal {
  detail: string;
  code: string | null;
  fields: Record<string, string[]>;
}

export function refusal(error: unknown): Refusal {
  if (isAxiosError(error) && error.response) {
    const body = error.response.data as Record<string, unknown> | undefined;
    if (body && typeof body.detail === 'string') {
      return { detail: body.detail, code: typeof body.code === 'string' ? body.code : null, fields: {} };
    }
    if (body && typeof body === 'object') {
      const fields: Record<string, string[]> = {};
      for (const [name, messages] of Object.entries(body)) {
        if (Array.isArray(messages)) fields[name] = messages.map(String);
      }
      return { detail: fields.non_field_errors?.join(' ') ?? 'Please correct the fields below.', code: null, fields };
    }
  }
  return { detail: 'The server could not be reached. Try again.', code: null, fields: {} };
}

/** Moves the focus to the first field the API refused (ids as `Field` gives them), else to `fallback`. */
export function focusFirstRefused(problem: Refusal, idOf: (field: string) => string = (field) => field, fallback?: string) {
  const first = Object.keys(problem.fields).find((field) => document.getElementById(idOf(field)));
  const target = first ? document.getElementById(idOf(first)) : fallback ? document.getElementById(fallback) : null;
  target?.focus();
}

/** A passkey ceremony's failure: the browser's own errors (no API answer) in words, else refusal(). */
export function passkeyRefusal(error: unknown): Refusal {
  if (isAxiosError(error) || !(error instanceof Error)) return refusal(error);
  const detail =
    error.name === 'NotAllowedError'
      ? 'The passkey request was cancelled or timed out. Try again.'
      : error.name === 'InvalidStateError'
        ? 'This device already holds a passkey of this account.'
        : error.name === 'PasskeyUnsupportedError'
          ? 'This browser cannot use passkeys.'
          : `The passkey could not be used (${error.name}).`;
  return { detail, code: error.name, fields: {} };
}
