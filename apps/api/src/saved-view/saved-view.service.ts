// Saved views of a project's runs table: validation and use cases (permissions: the resolver).
import { badInput, isUniqueViolation } from '../common/errors';
import { check, idSchema, jsonSchema, limits } from '../common/limits';
import type { SavedViewRepository, SavedViewRow } from './saved-view.repository';
import {
  MAX_VIEW_NAME,
  MAX_VIEW_STATE_BYTES,
  MAX_VIEWS_PER_PROJECT,
  savedViewStateSchema,
  type SavedViewState,
} from './saved-view.state';
import type { SavedView } from './saved-view.type';

/** A view as GraphQL returns it (state parsed). */
export type SavedViewResult = SavedView & { projectId: string };

function toView(row: SavedViewRow): SavedViewResult {
  let state: SavedViewState = {};
  try {
    state = savedViewStateSchema.parse(JSON.parse(row.state));
  } catch {
    // Written only through validate(); an unreadable row reads as the empty view.
  }
  return { ...row, state };
}

/** Saved-view business logic. */
export class SavedViewService {
  constructor(private readonly views: SavedViewRepository) {}

  /** The views of a project by name (at most {@link MAX_VIEWS_PER_PROJECT}). */
  async list(projectId: string): Promise<SavedViewResult[]> {
    return (await this.views.list(projectId, MAX_VIEWS_PER_PROJECT)).map(toView);
  }

  /** One view by id, or null. */
  async find(id: string): Promise<SavedViewResult | null> {
    const row = await this.views.find(check(idSchema('id'), id, 'id'));
    return row ? toView(row) : null;
  }

  /**
   * Validates and upserts a view by project and name.
   * @throws BAD_USER_INPUT for a bad name or state, or a new view beyond the project's 100
   */
  async save(
    projectId: string,
    input: { name: string; state: unknown },
    createdById: string | null,
  ): Promise<SavedViewResult> {
    const name = limits.name(input.name, 'name', MAX_VIEW_NAME);
    // Size and depth first (cheap, bounded), then the shape.
    const text = check(
      jsonSchema('state', { depth: 8, bytes: MAX_VIEW_STATE_BYTES }, true),
      input.state,
      'state',
    );
    const state = check(savedViewStateSchema, JSON.parse(text) as unknown, 'state');
    const row = { projectId, name, state: JSON.stringify(state), createdById };
    let saved: SavedViewRow | null;
    try {
      saved = await this.views.upsert(row, MAX_VIEWS_PER_PROJECT);
    } catch (err) {
      // A concurrent save of the same name created it first: this save replaces its state.
      if (!isUniqueViolation(err)) throw err;
      saved = await this.views.upsert(row, MAX_VIEWS_PER_PROJECT);
    }
    if (!saved)
      throw badInput(
        `A project holds at most ${MAX_VIEWS_PER_PROJECT} saved views; delete one before saving "${name}"`,
        { field: 'name', limit: MAX_VIEWS_PER_PROJECT },
      );
    return toView(saved);
  }

  /** Deletes a view; the deleted view, or null when it was already gone. */
  async delete(id: string): Promise<SavedViewResult | null> {
    const row = await this.views.delete(id);
    return row ? toView(row) : null;
  }
}
