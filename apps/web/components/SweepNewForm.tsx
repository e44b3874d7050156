'use client';

// "New sweep": a name and the sweep config as YAML or JSON. The config is checked here first
// (libs/sweep, the same schema the API uses) and again by the API, which also knows the presets
// and training overrides; either error is shown under the box, naming the field.
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { gqlRequest } from '../lib/graphql';
import { CREATE_SWEEP, SWEEP_CONFIG_EXAMPLE, sweepConfigError } from '../lib/sweeps';
import { InlineError } from './InlineError';
import { useAction } from './settings/use-action';

/** The form; on success it opens the new sweep's page. */
export function SweepNewForm({
  projectId,
  projectName,
}: {
  projectId: string;
  projectName: string;
}) {
  const router = useRouter();
  const configId = useId();
  const errorId = useId();
  const [name, setName] = useState('');
  const [config, setConfig] = useState(SWEEP_CONFIG_EXAMPLE);
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useAction();
  const submit = () => {
    const problem = formProblem(name, config);
    setLocalError(problem);
    if (problem !== null) return;
    void create.run(async () => {
      const { createSweep } = await gqlRequest(CREATE_SWEEP, {
        projectId,
        name: name.trim(),
        config,
      });
      router.push(`/sweeps/${encodeURIComponent(createSweep.id)}`);
    });
  };
  const error = localError ?? create.error;
  return (
    <form
      className="card form-stack card-body"
      data-testid="new-sweep-form"
      aria-label={`New sweep in ${projectName}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <NameField value={name} onChange={setName} />
      <div className="field">
        <label htmlFor={configId}>Config (YAML or JSON)</label>
        <textarea
          id={configId}
          className="text-input mono"
          rows={16}
          spellCheck={false}
          value={config}
          data-testid="sweep-config"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            setConfig(e.target.value);
            setLocalError(null);
          }}
        />
        <ConfigHelp />
        <InlineError id={errorId} message={error} data-testid="sweep-config-error" />
      </div>
      <div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={create.pending}
          data-testid="create-sweep"
        >
          {create.pending ? 'Creating…' : 'Create sweep'}
        </button>
      </div>
    </form>
  );
}

/** What a config holds, in one paragraph under the box. */
function ConfigHelp() {
  return (
    <p className="field-help">
      method grid | random | asha; metric {'{ name, goal }'}; parameters: training overrides
      (learningRate, batchSize, epochs, optimizer, …) as {'{ values }'},{' '}
      {'{ min, max, distribution }'} or {'{ value }'}; budget {'{ maxRuns, parallel }'}; base: the
      experiment every run starts from; asha {'{ minResource, eta, maxResource }'}.
    </p>
  );
}

/** The first problem of the form before it is sent, in the words shown under the box. */
function formProblem(name: string, config: string): string | null {
  if (name.trim() === '') return 'Name: required';
  const problem = sweepConfigError(config);
  return problem === null ? null : `Config: ${problem}`;
}

/** The sweep's name. */
function NameField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Name</label>
      <input
        id={id}
        className="text-input"
        value={value}
        maxLength={200}
        data-testid="sweep-name"
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
