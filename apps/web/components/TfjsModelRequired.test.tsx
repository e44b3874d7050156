// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TfjsModelRequired, type RunModelLike } from './TfjsModelRequired';

afterEach(cleanup);

const onnx: RunModelLike = {
  format: 'ONNX',
  artifactName: 'model.onnx',
  artifactUrl: 'http://api/m.onnx',
};

describe('TfjsModelRequired', () => {
  it('renders nothing for a TF.js run', () => {
    const tfjs: RunModelLike = { format: 'TFJS', artifactName: 'model.json', artifactUrl: 'u' };
    expect(render(<TfjsModelRequired model={tfjs} />).container.innerHTML).toBe('');
    cleanup();
    expect(render(<TfjsModelRequired model={tfjs} compact />).container.innerHTML).toBe('');
  });

  it('names the methods that need TF.js and links the ONNX model', () => {
    render(<TfjsModelRequired model={onnx} />);
    const note = screen.getByTestId('tfjs-model-required');
    expect(note.getAttribute('data-model-format')).toBe('ONNX');
    for (const method of ['Grad-CAM', 'saliency maps', 'LIME', 'layer activations', 'filters'])
      expect(note.textContent).toContain(method);
    expect(note.textContent).toContain("This run's model is ONNX (model.onnx), not TF.js.");
    expect(note.querySelector('a')?.getAttribute('href')).toBe('http://api/m.onnx');
  });

  it('has a one-line form for a run with another format only', () => {
    const { container } = render(<TfjsModelRequired model={null} compact />);
    expect(container.innerHTML).toBe('');
    render(<TfjsModelRequired model={onnx} compact />);
    const note = screen.getByTestId('tfjs-model-required');
    expect(note.tagName).toBe('P');
    expect(note.textContent).toBe(
      "This run's model is ONNX (model.onnx), not TF.js. Grad-CAM, saliency maps, LIME, layer activations, filters need a TF.js model; evaluation, compare and samples work.",
    );
  });

  it('says so when the run has no model at all', () => {
    render(<TfjsModelRequired model={null} />);
    expect(screen.getByTestId('tfjs-model-required').textContent).toContain(
      'This run has no TF.js model (model.json).',
    );
  });
});
