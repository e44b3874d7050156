'use client';
import type { LayerChoice, TensorChoice } from '@convscope/viz';
import { useId } from 'react';
import styles from '../LayerDistributions.module.css';

/** The labelled layer and tensor selectors of the distributions card. */
export function TensorPicker({
  layers,
  layer,
  tensor,
  onLayer,
  onTensor,
}: {
  layers: readonly LayerChoice[];
  layer: LayerChoice;
  tensor: TensorChoice | undefined;
  onLayer: (name: string) => void;
  onTensor: (key: string) => void;
}) {
  const layerId = useId();
  const tensorId = useId();
  return (
    <div className={styles.controls}>
      <label htmlFor={layerId}>Layer</label>
      <select
        id={layerId}
        data-testid="distribution-layer"
        value={layer.name}
        onChange={(e) => onLayer(e.currentTarget.value)}
      >
        {layers.map((l) => (
          <option key={l.name} value={l.name}>
            {l.name} ({l.className})
          </option>
        ))}
      </select>
      <label htmlFor={tensorId}>Tensor</label>
      <select
        id={tensorId}
        data-testid="distribution-tensor"
        value={tensor?.key ?? ''}
        onChange={(e) => onTensor(e.currentTarget.value)}
      >
        {layer.tensors.map((t) => (
          <option key={t.key} value={t.key}>
            {t.label}
          </option>
        ))}
      </select>
    </div>
  );
}
