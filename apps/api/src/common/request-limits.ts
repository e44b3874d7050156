// What one GraphQL request may ask of the server, in one place. Two layers:
//   1. Static limits on the document, checked before any resolver runs (graphql-armor's depth,
//      alias, cost and directive rules as validation rules; graphql-js's own token limit in the
//      parser). A rejected document answers HTTP 400 with code QUERY_TOO_COMPLEX.
//   2. A per-request budget of metric points (Run.metric, Run.metrics, compareRuns): each
//      series costs the points it returns (its stored length from the metric summaries, at most
//      maxPoints), charged before any point is loaded; over the budget a field fails with
//      BUDGET_EXCEEDED.
// The values are documented in apps/api/README.md ("Request limits").
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  type GraphQLFormattedError,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { badInput } from './errors';

/** Codes of the errors raised here (documented beside the other codes in apps/api/README.md). */
export const LimitErrorCode = {
  /** The document is too deep, too wide, too costly or too long (HTTP 400, nothing ran). */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The request asks for more metric points than its budget. */
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
} as const;

/** The limits of one request. */
export interface RequestLimits {
  /** Deepest selection, fragments flattened, introspection included. */
  maxDepth: number;
  /** Aliased fields per operation (the dashboard's one-alias-per-class `roc` fields excepted). */
  maxAliases: number;
  /** graphql-armor's static cost (objects 2, scalars 1, x1.5 per level, x literal `first`). */
  maxCost: number;
  /** Lexical tokens of the document (graphql-js's parser limit). */
  maxTokens: number;
  /** Directives per operation. */
  maxDirectives: number;
  /** Largest `maxPoints` of one metric series. */
  maxPointsPerSeries: number;
  /** Metric points one request may return in total (over all its series). */
  pointsBudget: number;
}

/** The defaults, sized so every query of the dashboard, libs/ml and GraphiQL's introspection passes. */
export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  // GraphiQL's introspection query (typeDepth 9) is 15 deep; this schema's data queries reach 7.
  maxDepth: 15,
  // The dashboard uses one alias (the runs table's trend) besides its per-class ROC fields.
  maxAliases: 10,
  // The largest dashboard query (the run page) costs about 250; introspection is bounded by
  // depth and tokens instead (its cost grows as 1.5^depth).
  maxCost: 5000,
  // The run page is about 150 tokens, introspection about 190; a ROC query adds 12 per class.
  maxTokens: 5000,
  maxDirectives: 20,
  // A whole 100,000-step series still comes in one answer; the budget bounds the request.
  maxPointsPerSeries: 100_000,
  // About 15 MB of JSON. The dashboard's largest ask, the compare page at 500 points per series,
  // fits 50 runs x 20 long metrics.
  pointsBudget: 500_000,
});

/** Environment variable of each limit (`NAME=value` overrides the default). */
export const REQUEST_LIMIT_ENV: Readonly<Record<keyof RequestLimits, string>> = Object.freeze({
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxCost: 'GRAPHQL_MAX_COST',
  maxTokens: 'GRAPHQL_MAX_TOKENS',
  maxDirectives: 'GRAPHQL_MAX_DIRECTIVES',
  maxPointsPerSeries: 'METRIC_MAX_POINTS',
  pointsBudget: 'METRIC_POINTS_BUDGET',
});

/**
 * The limits from `overrides`, else the environment ({@link REQUEST_LIMIT_ENV}), else the
 * defaults. Throws on a value that is not a positive integer.
 */
export function resolveRequestLimits(
  overrides: Partial<RequestLimits> = {},
  env: NodeJS.ProcessEnv = process.env,
): RequestLimits {
  const limits = { ...DEFAULT_REQUEST_LIMITS };
  for (const key of Object.keys(DEFAULT_REQUEST_LIMITS) as (keyof RequestLimits)[]) {
    const name = REQUEST_LIMIT_ENV[key];
    const raw = env[name];
    const value = overrides[key] ?? (raw === undefined || raw === '' ? undefined : Number(raw));
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got ${String(raw ?? value)}`);
    limits[key] = value;
  }
  return limits;
}

type LimitName = 'depth' | 'aliases' | 'cost' | 'tokens' | 'directives';

/** A document rejected by one of the static limits (reported by the validation rules). */
class QueryLimitError extends GraphQLError {
  constructor(
    readonly limit: LimitName,
    readonly max: number,
    readonly found: number | null,
    env: string,
  ) {
    super(
      `Query too complex: ${limit} ${found ?? 'over the limit'} exceeds the limit of ${max} (${env})`,
    );
  }
}

function rejectWith(limit: LimitName, max: number, env: string) {
  return [
    (ctx: ValidationContext | null, err: GraphQLError) => {
      // graphql-armor's messages end in "..., found N." (cost may be fractional).
      const m = /found (\d+(?:\.\d+)?)/.exec(err.message);
      ctx?.reportError(new QueryLimitError(limit, max, m ? Math.ceil(Number(m[1])) : null, env));
    },
  ];
}

/**
 * Apollo options enforcing the static limits: graphql-armor's validation rules and plugins
 * (field suggestions masked too) plus graphql-js's token limit in the parser.
 */
export function graphqlLimits(limits: RequestLimits): {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  parseOptions: { maxTokens: number };
} {
  const env = REQUEST_LIMIT_ENV;
  const { validationRules, plugins } = new ApolloArmor({
    // Masks "Did you mean ...?" so the schema cannot be guessed field by field.
    blockFieldSuggestion: { enabled: true },
    // armor's Apollo token plugin throws outside Apollo's parse step (an HTTP 500 on Apollo
    // Server 5); the same limit is graphql-js's parseOptions.maxTokens below.
    maxTokens: { enabled: false },
    maxDepth: {
      n: limits.maxDepth,
      // Counted, so a 60-deep __schema query is refused; fragments flattened, so a spread
      // costs no level (the standard introspection query is 15 deep that way, 21 otherwise).
      ignoreIntrospection: false,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: rejectWith('depth', limits.maxDepth, env.maxDepth),
    },
    maxAliases: {
      n: limits.maxAliases,
      // The dashboard asks one `cN: roc(label: "N")` per class; tokens and cost bound those.
      allowList: ['__typename', 'roc'],
      propagateOnRejection: false,
      onReject: rejectWith('aliases', limits.maxAliases, env.maxAliases),
    },
    costLimit: {
      maxCost: limits.maxCost,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: rejectWith('cost', limits.maxCost, env.maxCost),
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: rejectWith('directives', limits.maxDirectives, env.maxDirectives),
    },
  }).protect();
  return { validationRules, plugins, parseOptions: { maxTokens: limits.maxTokens } };
}

/**
 * Re-codes a rejection by the static limits as QUERY_TOO_COMPLEX (Apollo reports them as
 * GRAPHQL_VALIDATION_FAILED / GRAPHQL_PARSE_FAILED; the HTTP status stays 400). Returns
 * undefined for any other error.
 */
export function formatLimitError(
  formatted: GraphQLFormattedError,
  error: unknown,
  limits: RequestLimits,
): GraphQLFormattedError | undefined {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (original instanceof QueryLimitError) {
    return {
      message: original.message,
      locations: formatted.locations,
      extensions: {
        code: LimitErrorCode.QUERY_TOO_COMPLEX,
        limit: original.limit,
        max: original.max,
        ...(original.found !== null ? { found: original.found } : {}),
      },
    };
  }
  if (
    formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' &&
    /Document contains more tha[nt] \d+ tokens/.test(formatted.message) // graphql 16 says "more that"
  ) {
    return {
      message: `Query too complex: more than ${limits.maxTokens} tokens (${REQUEST_LIMIT_ENV.maxTokens})`,
      extensions: {
        code: LimitErrorCode.QUERY_TOO_COMPLEX,
        limit: 'tokens',
        max: limits.maxTokens,
      },
    };
  }
  return undefined;
}

/** The metric points one request has asked for so far, against its budget. */
export class PointsBudget {
  private spent = 0;
  private exhausted = false;

  constructor(
    private readonly limits: Pick<RequestLimits, 'maxPointsPerSeries' | 'pointsBudget'>,
  ) {}

  /** Points charged so far. */
  get used(): number {
    return this.spent;
  }

  /**
   * Charges series of the given stored lengths, each returned with at most `maxPoints` points,
   * before they are loaded. BAD_USER_INPUT when maxPoints is above the per-series cap;
   * BUDGET_EXCEEDED (naming the budget) when the request would go over its budget, and for
   * every later charge of the request.
   */
  charge(field: string, maxPoints: number, lengths: readonly number[]): void {
    const { maxPointsPerSeries, pointsBudget } = this.limits;
    if (maxPoints > maxPointsPerSeries)
      throw badInput(
        `maxPoints must be at most ${maxPointsPerSeries} (${REQUEST_LIMIT_ENV.maxPointsPerSeries}), got ${maxPoints}`,
        { field: 'maxPoints', max: maxPointsPerSeries },
      );
    const cost = lengths.reduce((sum, n) => sum + Math.min(n, maxPoints), 0);
    if (this.exhausted || this.spent + cost > pointsBudget) {
      // Sticky: once over, the rest of the request gets no points either.
      this.exhausted = true;
      throw new GraphQLError(
        `${field}: ${lengths.length} series of up to ${maxPoints} points (${cost} in all) would exceed this request's metric points budget ` +
          `of ${pointsBudget} (${REQUEST_LIMIT_ENV.pointsBudget}; ${pointsBudget - this.spent} left). ` +
          'Ask for fewer runs or names, or a smaller maxPoints.',
        {
          extensions: {
            code: LimitErrorCode.BUDGET_EXCEEDED,
            budget: 'metricPoints',
            limit: pointsBudget,
            requested: cost,
            remaining: pointsBudget - this.spent,
          },
        },
      );
    }
    this.spent += cost;
  }
}

// Keyed by the request's context object, so the budget lives and dies with the request.
const budgets = new WeakMap<object, PointsBudget>();

/** The metric points budget of the request whose context is `ctx`. */
export function pointsBudget(ctx: object): PointsBudget {
  let budget = budgets.get(ctx);
  if (!budget) {
    // A context made outside Apollo (no plugin saw it) gets the defaults.
    budget = new PointsBudget(DEFAULT_REQUEST_LIMITS);
    budgets.set(ctx, budget);
  }
  return budget;
}

/** Gives each GraphQL request a fresh metric points budget of these limits. */
export function pointsBudgetPlugin(limits: RequestLimits): ApolloServerPlugin {
  return {
    async requestDidStart({ contextValue }) {
      budgets.set(contextValue, new PointsBudget(limits));
    },
  };
}

/** Deepest `{`/`[`/`(` nesting a GraphQL document may have (checked before parsing). */
export const MAX_DOCUMENT_NESTING = 128;

/**
 * Nesting depth of brackets in a GraphQL document, outside strings and comments, counted
 * without recursion. graphql-js's recursive-descent parser overflows its stack on literals
 * nested a few thousand deep, before its token limit applies; this runs first.
 */
export function documentNesting(source: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '"') {
      const block = source.startsWith('"""', i);
      i += block ? 3 : 1;
      while (i < source.length && !(block ? source.startsWith('"""', i) : source[i] === '"')) {
        if (source[i] === '\\') i++;
        i++;
      }
      if (block) i += 2;
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return max;
}

/** Express middleware for /graphql: QUERY_TOO_COMPLEX (400) for a document nested too deep. */
export function documentNestingGuard(max = MAX_DOCUMENT_NESTING) {
  return (
    req: { body?: unknown },
    res: { status(n: number): { json(b: unknown): void } },
    next: () => void,
  ): void => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query === 'string') {
      const found = documentNesting(query, max);
      if (found > max) {
        res.status(400).json({
          errors: [
            {
              message: `Query too complex: brackets nested more than ${max} levels deep (found at least ${found})`,
              extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'nesting', max, found },
            },
          ],
        });
        return;
      }
    }
    next();
  };
}
