// A labelled input with the API's field errors beside it, tied to it for screen readers.
import type { InputHTMLAttributes } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  errors?: string[];
  /** The input's id, when the same name is on the page twice (the name by default). */
  id?: string;
}

export function Field({ name, label, errors = [], id = name, ...input }: FieldProps) {
  const errorId = `${id}-errors`;
  return (
    <p className={input.type === 'checkbox' ? 'field field-check' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length ? errorId : undefined}
        {...input}
      />
      {errors.length > 0 && (
        <span id={errorId} className="field-errors" role="alert">
          {errors.join(' ')}
        </span>
      )}
    </p>
  );
}
