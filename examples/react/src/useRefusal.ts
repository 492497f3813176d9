// A form's refusal, and the focus moved to what to fix: the first refused field, else the form's
// alert (role="alert", tabIndex={-1}), once the refusal has rendered.
import { useCallback, useEffect, useRef, useState } from 'react';

import { passkeyRefusal } from './errors';
import type { Refusal } from './errors';

export interface RefusalMapping {
  /** The form's name of an API field, where two forms of a page both have it (`password`). */
  fields?: Record<string, string>;
  /** A `{detail, code}` refusal that belongs beside a field (a wrong code: `invalid_code`). */
  codes?: Record<string, string>;
}

export function useRefusal<Form extends HTMLFormElement = HTMLFormElement>() {
  const [problem, setProblem] = useState<Refusal | null>(null);
  const formRef = useRef<Form>(null);

  useEffect(() => {
    const form = formRef.current;
    if (!problem || !form) return;
    const refused = Object.keys(problem.fields)
      .map((name) => form.elements.namedItem(name))
      .find((element) => element instanceof HTMLElement);
    (refused ?? form.querySelector<HTMLElement>('[role="alert"]'))?.focus();
  }, [problem]);

  const refuse = useCallback((error: unknown, mapping: RefusalMapping = {}) => {
    // The API's refusals, and the browser's own for a passkey ceremony.
    const refused = passkeyRefusal(error);
    const fields: Record<string, string[]> = {};
    for (const [name, messages] of Object.entries(refused.fields)) fields[mapping.fields?.[name] ?? name] = messages;
    const beside = refused.code ? mapping.codes?.[refused.code] : undefined;
    if (!beside) return setProblem({ ...refused, fields });
    fields[beside] = [refused.detail];
    setProblem({ ...refused, detail: 'Please correct the fields below.', fields });
  }, []);

  const clear = useCallback(() => setProblem(null), []);
  // A refusal of the app's own (the user closed the step-up dialog).
  return { problem, formRef, refuse, clear, show: setProblem };
}
