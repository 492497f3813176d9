// A labelled input with the API's field errors beside it, tied to it for screen readers.
import type { InputHTMLAttributes } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  errors?: string[];
}

export function Field({ name, label, errors = [], ...input }: FieldProps) {
  const errorId = `${name}-errors`;
  return (
    <p className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
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
