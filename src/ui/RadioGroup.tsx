/** A row of radio buttons for one choice (a view's mode), labelled for screen readers as a group. */
export function RadioGroup<V extends string>({
  name,
  label,
  options,
  value,
  onChange,
}: {
  name: string;
  label: string;
  options: ReadonlyArray<readonly [V, string]>;
  value: V;
  onChange: (value: V) => void;
}) {
  return (
    <div className="mode-switch" role="radiogroup" aria-label={label}>
      {options.map(([option, text]) => (
        <label key={option}>
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />{' '}
          {text}
        </label>
      ))}
    </div>
  );
}
