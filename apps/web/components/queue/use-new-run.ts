'use client';

import {
  buildQueueRunRequest,
  type NewRunField,
  type NewRunFormValues,
  type NewRunResult,
} from '@convscope/schemas';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { gqlRequest } from '../../lib/graphql';
import { parseConfigText, QUEUE_RUN } from '../../lib/queue';
import { useAction } from '../settings/use-action';

/** A project the form may queue into. */
export interface NewRunProject {
  id: string;
  name: string;
}

/** A preset as the form offers it (the `presets` query). */
export interface PresetOption {
  name: string;
  description: string;
  inputShape: readonly number[];
  classes: number;
  /** The preset's default epochs and batch size (placeholders of those fields). */
  epochs?: number;
  batchSize?: number;
}

/** Per-field error messages of the form. */
export type NewRunErrors = Partial<Record<NewRunField, string>>;

/**
 * The form's checks: the config box parsed (YAML/JSON; a syntax error is reported with the
 * other fields' problems), then every field and the merged experiment file (@convscope/schemas).
 */
export function checkNewRun(
  values: NewRunFormValues,
  sourceRunId: string | undefined,
): NewRunResult {
  let advanced: unknown;
  try {
    advanced = parseConfigText(values.configText);
  } catch (err) {
    const others = buildQueueRunRequest(values, undefined, { sourceRunId });
    return {
      ok: false,
      errors: {
        ...(others.ok ? {} : others.errors),
        configText: err instanceof Error ? err.message : String(err),
      },
    };
  }
  return buildQueueRunRequest(values, advanced, { sourceRunId });
}

/**
 * State of the New run form: the values, the project, the errors per field and the submit
 * handler, which checks everything first (nothing is sent while a field is wrong), queues the
 * run and opens its page.
 */
export function useNewRun({
  projects,
  project: firstProject,
  presets,
  initial,
  sourceRunId,
}: {
  projects: NewRunProject[];
  project: string;
  presets: PresetOption[];
  initial: NewRunFormValues;
  sourceRunId?: string;
}) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [project, setProject] = useState(firstProject);
  const [errors, setErrors] = useState<NewRunErrors>({});
  const [projectError, setProjectError] = useState<string | undefined>();
  const submit = useAction();

  const set = <K extends NewRunField>(key: K, value: NewRunFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    // An edited field's old complaint no longer applies.
    setErrors((e) => (e[key] === undefined ? e : { ...e, [key]: undefined }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const target = projects.find((p) => p.name === project);
    setProjectError(target ? undefined : 'Project: choose one you may queue runs in');
    const checked = checkNewRun(values, sourceRunId);
    if (!checked.ok || !target) {
      setErrors(checked.ok ? {} : checked.errors);
      // Focus the first field that is wrong, where its message is read out.
      requestAnimationFrame(() =>
        form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    setErrors({});
    void submit.run(async () => {
      const { request } = checked;
      const { queueRun } = await gqlRequest(QUEUE_RUN, {
        input: { projectId: target.id, ...request },
      });
      router.push(`/runs/${encodeURIComponent(queueRun.id)}`);
    });
  };

  const preset = presets.find((p) => p.name === values.preset);
  return {
    values,
    set,
    project,
    setProject,
    projectError,
    errors,
    submit,
    onSubmit,
    preset: preset ?? null,
  };
}
