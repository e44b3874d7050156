// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { runModelFiles, TfjsModelRequired } from './TfjsModelRequired';

afterEach(cleanup);

describe('TfjsModelRequired', () => {
  it('reads the model format from the artifact names', () => {
    expect(runModelFiles([{ name: 'model.json' }, { name: 'model.onnx' }])).toEqual({
      tfjs: true,
      other: null,
    });
    expect(
      runModelFiles([{ name: 'test-samples.bin' }, { name: 'Export.ONNX', url: 'u' }]),
    ).toEqual({ tfjs: false, other: { format: 'ONNX', name: 'Export.ONNX', url: 'u' } });
    expect(runModelFiles([])).toEqual({ tfjs: false, other: null });
  });

  it('renders nothing for a TF.js run', () => {
    const { container } = render(<TfjsModelRequired artifacts={[{ name: 'model.json' }]} />);
    expect(container.innerHTML).toBe('');
  });

  it('names the methods that need TF.js and links the ONNX model', () => {
    render(<TfjsModelRequired artifacts={[{ name: 'model.onnx', url: 'http://api/m.onnx' }]} />);
    const note = screen.getByTestId('tfjs-model-required');
    expect(note.getAttribute('data-model-format')).toBe('ONNX');
    for (const method of ['Grad-CAM', 'saliency maps', 'LIME', 'layer activations', 'filters'])
      expect(note.textContent).toContain(method);
    expect(note.textContent).toContain("This run's model is ONNX (model.onnx), not TF.js.");
    expect(note.querySelector('a')?.getAttribute('href')).toBe('http://api/m.onnx');
  });

  it('has a one-line form for a run with another format only', () => {
    const { container } = render(<TfjsModelRequired artifacts={[]} compact />);
    expect(container.innerHTML).toBe('');
    render(<TfjsModelRequired artifacts={[{ name: 'model.onnx' }]} compact />);
    const note = screen.getByTestId('tfjs-model-required');
    expect(note.tagName).toBe('P');
    expect(note.textContent).toBe(
      "This run's model is ONNX (model.onnx), not TF.js. Grad-CAM, saliency maps, LIME, layer activations, filters need a TF.js model; evaluation, compare and samples work.",
    );
  });

  it('says so when the run has no model at all', () => {
    render(<TfjsModelRequired artifacts={[{ name: 'test-samples.bin' }]} />);
    expect(screen.getByTestId('tfjs-model-required').textContent).toContain(
      'This run has no TF.js model (model.json).',
    );
  });
});
