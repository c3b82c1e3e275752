import {
  CHOICE_RULES,
  NUMBER_RULES,
  type ChoiceRule,
  type ChoiceKey,
  type NumericKey,
  type SettingsErrors,
  type TrainingSettings,
} from '../training/settings';
import { NumberField } from './NumberField';

interface SettingFieldProps {
  name: NumericKey | ChoiceKey;
  settings: TrainingSettings;
  errors: SettingsErrors;
  onChange: (patch: Partial<TrainingSettings>) => void;
  disabled?: boolean;
}

/**
 * One setting's form field, described once in training/settings.ts (label, range, choices), so the
 * form, the validation messages and the URL codec never disagree.
 */
export function SettingField({ name, settings, errors, onChange, disabled = false }: SettingFieldProps) {
  if (name in CHOICE_RULES) {
    const rule: ChoiceRule<string> = CHOICE_RULES[name as ChoiceKey];
    return (
      <label className="field">
        {rule.label}
        <select
          name={name}
          value={settings[name as ChoiceKey]}
          disabled={disabled}
          title={rule.description}
          onChange={(event) => onChange({ [name]: event.target.value })}
        >
          {rule.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        {errors[name] && <span className="field-error">{errors[name]}</span>}
      </label>
    );
  }
  const rule = NUMBER_RULES[name as NumericKey];
  const listId = rule.suggestions ? `${name}-suggestions` : undefined;
  return (
    <>
      {rule.suggestions && (
        <datalist id={listId}>
          {rule.suggestions.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
      )}
      <NumberField
        name={name}
        label={rule.hint ? `${rule.label} (${rule.hint})` : rule.label}
        value={settings[name as NumericKey]}
        error={errors[name]}
        disabled={disabled}
        list={listId}
        step={rule.integer ? 1 : 'any'}
        onChange={(value) => onChange({ [name]: value })}
      />
    </>
  );
}
