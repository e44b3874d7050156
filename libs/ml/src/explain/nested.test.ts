// A transfer-learning model (a base LayersModel used as a layer inside an outer model) gives
// the same activations and explanations as the equivalent flat model with the same weights.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layerActivations } from './activations';
import { classActivationMap, type CamMethod } from './cam';
import { expectClose, noLeak } from './explain-test-helpers';
import { defaultCamLayer, listLayers, resolveLayer } from './graph';
import { integratedGradients, vanillaGradients } from './input-attribution';

const SHAPE = [8, 8, 1];
const init = (seed: number) => tf.initializers.glorotUniform({ seed });

function baseLayers(): tf.layers.Layer[] {
  return [
    tf.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'conv1',
      kernelInitializer: init(1),
    }),
    tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
    tf.layers.conv2d({
      filters: 6,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'conv2',
      kernelInitializer: init(2),
    }),
  ];
}

function headLayers(): tf.layers.Layer[] {
  return [
    tf.layers.flatten({ name: 'flatten' }),
    tf.layers.dense({ units: 5, activation: 'softmax', name: 'head', kernelInitializer: init(3) }),
  ];
}

/** Base: a Sequential model; outer: a functional model calling it as a layer, then the head. */
function buildNested(): tf.LayersModel {
  const base = tf.sequential({ name: 'base' });
  const layers = baseLayers();
  layers[0] = tf.layers.conv2d({
    inputShape: SHAPE,
    filters: 4,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    name: 'conv1',
    kernelInitializer: init(1),
  });
  layers.forEach((l) => base.add(l));
  const input = tf.input({ shape: SHAPE });
  let y = base.apply(input) as tf.SymbolicTensor;
  for (const l of headLayers()) y = l.apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

function buildFlat(weightsFrom: tf.LayersModel): tf.LayersModel {
  const flat = tf.sequential();
  flat.add(tf.layers.inputLayer({ inputShape: SHAPE }));
  [...baseLayers(), ...headLayers()].forEach((l) => flat.add(l));
  flat.setWeights(weightsFrom.getWeights());
  return flat;
}

const images = () => tf.randomUniform<tf.Rank.R4>([3, 8, 8, 1], 0, 1, 'float32', 11);

describe('explanations through a nested base model', () => {
  it('shows why flattening is needed: a tf.model over the inner outputs is disconnected', () => {
    const outer = buildNested();
    const base = outer.getLayer('base') as tf.LayersModel;
    expect(() =>
      tf.model({
        inputs: outer.inputs,
        outputs: base.getLayer('conv2').output,
      }),
    ).toThrow(/disconnected/i);
    outer.dispose();
  });

  it('lists and resolves layers by path, and defaults to the inner last 4-D layer', () => {
    const outer = buildNested();
    expect(listLayers(outer).map((l) => l.path)).toEqual([
      'base',
      'base/conv1',
      'base/pool1',
      'base/conv2',
      'flatten',
      'head',
    ]);
    expect(resolveLayer(outer, 'conv2').path).toBe('base/conv2');
    expect(resolveLayer(outer, 'base/pool1').outputShape).toEqual([null, 4, 4, 4]);
    expect(defaultCamLayer(outer).path).toBe('base/conv2');
    outer.dispose();
  });

  it('gives the same activations as the flat model, from one forward pass', () => {
    const outer = buildNested();
    const flat = buildFlat(outer);
    const x = images();
    const nested = noLeak(() => layerActivations({ model: outer, images: x }));
    const plain = noLeak(() => layerActivations({ model: flat, images: x }));
    expect(nested.map((a) => a.layer)).toEqual([
      'base/conv1',
      'base/pool1',
      'base/conv2',
      'flatten',
      'head',
    ]);
    expect(plain.map((a) => a.layer)).toEqual(['conv1', 'pool1', 'conv2', 'flatten', 'head']);
    nested.forEach((a, i) => {
      expect(a.shape).toEqual(plain[i]!.shape);
      expectClose(a.data, plain[i]!.data, 1e-6);
    });
    // The model output itself matches predict().
    const p = flat.predict(x) as tf.Tensor;
    expectClose(nested[4]!.data, p.dataSync(), 1e-6);
    // Chosen layers only, nested model as a whole included.
    const some = noLeak(() =>
      layerActivations({ model: outer, images: x, layers: ['base', 'pool1'] }),
    );
    expect(some.map((a) => a.layer)).toEqual(['base', 'base/pool1']);
    expectClose(some[0]!.data, nested[2]!.data, 1e-6);
    tf.dispose([x, p]);
    outer.dispose();
    flat.dispose();
  });

  it('gives the same CAMs and input gradients as the flat model', () => {
    const outer = buildNested();
    const flat = buildFlat(outer);
    const x = images();
    for (const method of [
      'gradcam',
      'gradcampp',
      'layercam',
      'scorecam',
      'eigencam',
    ] as CamMethod[]) {
      for (const [a, b] of [
        ['base/conv2', 'conv2'],
        ['base/conv1', 'conv1'],
      ]) {
        const n = noLeak(() => classActivationMap({ model: outer, images: x, method, layer: a }));
        const f = noLeak(() => classActivationMap({ model: flat, images: x, method, layer: b }));
        expect(n.layer).toBe(a);
        expect(n.classIndex).toEqual(f.classIndex);
        expectClose(n.score, f.score, 1e-6);
        expectClose(n.map, f.map, 1e-5);
        expectClose(n.heatmap, f.heatmap, 1e-5);
      }
    }
    const dn = noLeak(() => classActivationMap({ model: outer, images: x }));
    expect(dn.layer).toBe('base/conv2');
    const gn = noLeak(() => vanillaGradients({ model: outer, images: x }));
    const gf = noLeak(() => vanillaGradients({ model: flat, images: x }));
    expectClose(gn.attribution!, gf.attribution!, 1e-5);
    const ign = noLeak(() => integratedGradients({ model: outer, images: x, steps: 4 }));
    const igf = noLeak(() => integratedGradients({ model: flat, images: x, steps: 4 }));
    expectClose(ign.attribution!, igf.attribution!, 1e-5);
    x.dispose();
    outer.dispose();
    flat.dispose();
  });

  it('explains the same model twice without growing its layers', () => {
    const outer = buildNested();
    const x = images();
    layerActivations({ model: outer, images: x });
    const nodes = () => outer.layers.map((l) => l.inboundNodes.length).join(',');
    const before = nodes();
    layerActivations({ model: outer, images: x });
    classActivationMap({ model: outer, images: x });
    expect(nodes()).toBe(before);
    x.dispose();
    outer.dispose();
  });
});
