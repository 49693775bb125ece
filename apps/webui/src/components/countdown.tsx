import { useEffect, useState } from 'react';

/** Seconds left until `deadline` (epoch ms), ticking; says when time is up. */
export function Countdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  const text =
    left === 0
      ? 'time is up'
      : left >= 60
        ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left`
        : `${left} s left`;
  return (
    <span className={`countdown${left <= 10 ? ' countdown--urgent' : ''}`} role="timer">
      {' '}
      ({text})
    </span>
  );
}
