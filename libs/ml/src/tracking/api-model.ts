// Loading a model stored with a run straight from its artifact URL, through the run's client:
// the API key goes with the requests (to the API's own origin only) and an API outage is ridden
// out like any other call.
import * as tf from '@tensorflow/tfjs';
import type { GraphqlClient } from './graphql-client';

/**
 * Loads a TF.js LayersModel from the URL of a `model.json` artifact (weights from the URLs next
 * to it), with the client's key and retries.
 */
export function loadModelFromApi(
  client: GraphqlClient,
  modelJsonUrl: string,
): Promise<tf.LayersModel> {
  return tf.loadLayersModel(
    tf.io.http(modelJsonUrl, {
      fetchFunc: (input: string | URL | Request, init?: RequestInit) =>
        client.http(input instanceof Request ? input.url : String(input), init),
    }),
  );
}
