import { useState } from 'react';

interface NumberFieldProps {
  name: string;
  label: string;
  value: number;
  onChange: (value: number) => void;
  error?: string | undefined;
  step?: number | 'any';
  list?: string;
  disabled?: boolean;
}

/** A number input that keeps what the user typed (e.g. "1e-") while the value is not yet a number. */
export function NumberField({ name, label, value, onChange, error, step = 'any', list, disabled }: NumberFieldProps) {
  const [text, setText] = useState(Number.isFinite(value) ? String(value) : '');
  // When the value changes from outside (e.g. the URL), show it, unless the text already means it.
  const [shownValue, setShownValue] = useState(value);
  if (!Object.is(value, shownValue)) {
    setShownValue(value);
    const textMeansValue = text.trim() !== '' && Number(text) === value;
    if (!textMeansValue && Number.isFinite(value)) setText(String(value));
  }
  return (
    <label className={error ? 'field invalid' : 'field'}>
      {label}
      <input
        type="text"
        inputMode="decimal"
        name={name}
        value={text}
        step={step}
        list={list}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        onChange={(event) => {
          setText(event.target.value);
          const raw = event.target.value.trim();
          onChange(raw === '' ? Number.NaN : Number(raw));
        }}
      />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}
