/** Skeleton while a run loads. */
export default function RunLoading() {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading run">
      <div className="skeleton" style={{ width: 320, height: 32 }} />
      <div className="skeleton" style={{ height: 120 }} />
      <div className="grid-2">
        <div className="skeleton" style={{ height: 300 }} />
        <div className="skeleton" style={{ height: 300 }} />
      </div>
    </div>
  );
}
