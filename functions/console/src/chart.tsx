// A cluster's backup history as a picture: each backup a bar of its size at its time, its duration a line over the
// bars, failures marked with a red cross. Hand-written SVG, no chart library.

import type { Resource } from './api';
import { bytes, seconds } from './ui';

const W = 560;
const H = 190;
const PAD = { left: 64, right: 56, top: 16, bottom: 34 };
const FAILED = new Set(['Failed', 'PartiallyFailed']);

interface Point {
  name: string;
  at: number;
  size: number;
  duration?: number;
  phase: string;
}

export function HistoryChart(props: { cluster: string; backups: Resource[] }) {
  const points: Point[] = props.backups
    .filter((b) => b.status.phase !== 'New' && b.status.phase !== 'InProgress')
    .map((b) => ({
      name: b.name,
      at: Date.parse(b.status.startedAt ?? b.createdAt),
      size: b.status.sizeBytes ?? 0,
      duration: seconds(b.status.startedAt, b.status.completedAt),
      phase: b.status.phase,
    }))
    .sort((a, b) => a.at - b.at);
  const failures = points.filter((pt) => FAILED.has(pt.phase)).length;
  const label = `Backup history of ${props.cluster}: ${points.length} finished backups, ${failures} failed`;
  if (points.length === 0) {
    return (
      <figure class="chart" data-chart={props.cluster}>
        <figcaption>{props.cluster}</figcaption>
        <p class="muted">No finished backups yet: the chart fills in as backups complete.</p>
      </figure>
    );
  }
  const first = points[0].at;
  const last = points[points.length - 1].at;
  const span = Math.max(last - first, 1_000);
  const maxSize = Math.max(...points.map((pt) => pt.size), 1);
  const maxDuration = Math.max(...points.map((pt) => pt.duration ?? 0), 1);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const inset = 16; // keeps the first and last bars off the axes
  const x = (at: number) => PAD.left + inset + (points.length === 1 ? (plotW - 2 * inset) / 2 : ((at - first) / span) * (plotW - 2 * inset));
  const ySize = (size: number) => PAD.top + plotH - (size / maxSize) * plotH;
  const yDuration = (d: number) => PAD.top + plotH - (d / maxDuration) * plotH;
  const barW = Math.max(3, Math.min(18, (plotW - 2 * inset) / points.length / 1.6));
  const timed = points.filter((pt) => pt.duration !== undefined);
  const line = timed.map((pt, i) => `${i === 0 ? 'M' : 'L'}${x(pt.at).toFixed(1)},${yDuration(pt.duration!).toFixed(1)}`).join(' ');
  const day = (t: number) => new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const time = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameDay = day(first) === day(last);
  return (
    <figure class="chart" data-chart={props.cluster}>
      <figcaption>{props.cluster}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} width="100%">
        <title>{label}</title>
        {/* axes */}
        <line class="axis" x1={PAD.left} y1={PAD.top + plotH} x2={W - PAD.right} y2={PAD.top + plotH} />
        <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} />
        <line class="axis" x1={W - PAD.right} y1={PAD.top} x2={W - PAD.right} y2={PAD.top + plotH} />
        <text class="tick" x={PAD.left - 6} y={PAD.top + 4} text-anchor="end">{bytes(maxSize)}</text>
        <text class="tick" x={PAD.left - 6} y={PAD.top + plotH} text-anchor="end">0</text>
        <text class="tick" x={W - PAD.right + 6} y={PAD.top + 4}>{maxDuration.toFixed(maxDuration < 10 ? 1 : 0)} s</text>
        <text class="tick" x={W - PAD.right + 6} y={PAD.top + plotH}>0 s</text>
        <text class="tick" x={PAD.left} y={H - 14}>{sameDay ? time(first) : day(first)}</text>
        <text class="tick" x={W - PAD.right} y={H - 14} text-anchor="end">{sameDay ? `${time(last)}, ${day(last)}` : day(last)}</text>
        {/* sizes */}
        {points.map((pt) => (
          <rect key={pt.name} class={FAILED.has(pt.phase) ? 'bar failed' : 'bar'} x={x(pt.at) - barW / 2} y={ySize(pt.size)}
                width={barW} height={Math.max(1, PAD.top + plotH - ySize(pt.size))}>
            <title>{`${pt.name}: ${pt.phase}, ${bytes(pt.size)}${pt.duration !== undefined ? `, ${pt.duration.toFixed(1)} s` : ''}`}</title>
          </rect>
        ))}
        {/* durations */}
        {timed.length > 1 && <path class="duration" d={line} />}
        {timed.map((pt) => <circle key={pt.name} class="duration-dot" cx={x(pt.at)} cy={yDuration(pt.duration!)} r={3} />)}
        {/* failures */}
        {points.filter((pt) => FAILED.has(pt.phase)).map((pt) => (
          <g key={pt.name} class="failure" transform={`translate(${x(pt.at)},${PAD.top + plotH + 9})`}>
            <path d="M-4,-4 L4,4 M-4,4 L4,-4" />
            <title>{`${pt.name} ${pt.phase}`}</title>
          </g>
        ))}
      </svg>
      <div class="legend" aria-hidden="true">
        <span class="key size" /> size <span class="key duration" /> duration <span class="key failed" /> failed
      </div>
    </figure>
  );
}
