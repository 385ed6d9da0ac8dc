/**
 * Today's status on the page. The build computes the shop's open stretches (DST and closures
 * applied, by the same shop clock the agent uses) as instants for the weeks ahead; the browser
 * only finds where `now` falls and formats it in the shop's time zone.
 */
export interface OpenSpans {
  /** [start, end) epoch ms, sorted. */
  open: ReadonlyArray<readonly [number, number]>;
  /** Epoch ms the spans are known until; later than that the status is not shown. */
  until: number;
}

export type HoursStatus = { kind: 'open'; until: number } | { kind: 'closed'; opensAt: number } | { kind: 'closed-unknown' };

export function hoursStatus(spans: OpenSpans, now: number): HoursStatus | null {
  if (now >= spans.until) return null;
  for (const [start, end] of spans.open) {
    if (now < start) return { kind: 'closed', opensAt: start };
    if (now < end) return { kind: 'open', until: end };
  }
  return { kind: 'closed-unknown' };
}

export interface StatusWords {
  /** with {time} */
  openUntil: string;
  /** with {day} and {time} */
  opensAt: string;
  closed: string;
}

export function statusText(status: HoursStatus, words: StatusWords, locale: string, timeZone: string): string {
  const time = (ms: number) => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(ms);
  const day = (ms: number) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone }).format(ms);
  switch (status.kind) {
    case 'open':
      return words.openUntil.replace('{time}', time(status.until));
    case 'closed':
      return words.opensAt.replace('{day}', day(status.opensAt)).replace('{time}', time(status.opensAt));
    default:
      return words.closed;
  }
}
