/** One labelled number on a stat card. */
export interface Stat {
  label: string;
  value: string;
}

/** A row of stat cards (evaluation and uncertainty summaries); `testId` names the row for tests. */
export function StatRow({ stats, testId }: { stats: readonly Stat[]; testId: string }) {
  return (
    <div className="stat-row" data-testid={testId}>
      {stats.map((s) => (
        <div className="card stat" key={s.label} data-stat={s.label}>
          <div className="stat-label">{s.label}</div>
          <div className="stat-value">{s.value}</div>
        </div>
      ))}
    </div>
  );
}
