/** Skeleton while the runs list loads. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <div className="skeleton" style={{ width: 220, height: 28, marginBottom: 24 }} />
      <div className="layout-sidebar">
        <div className="skeleton" style={{ height: 240 }} />
        <div className="skeleton" style={{ height: 420 }} />
      </div>
    </div>
  );
}
