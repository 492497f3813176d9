// A form's alert for what the API refused. When a refusal arrives the keyboard moves to what to
// fix: the form's first refused field, or this alert when no field of the form was refused.
import { useEffect, useRef } from 'react';

import type { Refusal } from './errors';

export function Problem({ problem, id }: { problem: Refusal | null; id: string }) {
  const alert = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    const element = alert.current;
    if (!problem || !element) return;
    const form = element.closest('form');
    const field = Object.keys(problem.fields)
      .map((name) => form?.elements.namedItem(name))
      .find((item): item is HTMLInputElement => item instanceof HTMLInputElement);
    (field ?? element).focus();
  }, [problem]);

  if (!problem) return null;
  return (
    <p id={id} ref={alert} role="alert" tabIndex={-1}>
      {problem.detail}
    </p>
  );
}
