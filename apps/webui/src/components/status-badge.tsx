/** A small labelled pill for a status (`completed`, `cancelled`, `failed`, …). */
export function StatusBadge(props: { status: string; label?: string }) {
  return (
    <span className={`badge badge--${props.status}`} data-status={props.status}>
      {props.label ?? props.status.replace(/_/g, ' ')}
    </span>
  );
}
