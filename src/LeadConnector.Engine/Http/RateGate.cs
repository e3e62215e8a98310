using System;
using System.Collections.Generic;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Client-side pacing for one location and token, shared by every runspace of the process (through
    /// <see cref="RateGates"/>). Paces to the limit the API reports (X-RateLimit-Max per X-RateLimit-Interval-Milliseconds;
    /// 100 per 10 s until told otherwise), with no share of the window kept in reserve:
    /// <list type="bullet">
    /// <item>until an answer has told the limit, requests leave evenly spaced, one every interval/max of the default, so
    /// a server with a smaller limit is not flooded before it could say so;</item>
    /// <item>once the limit is known, a whole window's quota may leave at once: a sliding log of the last max sends lets
    /// no more than max reach the server in any interval, whatever way its window is aligned (fixed from the first
    /// request after the last window ended, or sliding). A request may leave when the one max sends before it reached the
    /// server an interval ago. When that one reached the server is learned from its answer: no later than it left plus
    /// how much longer than the fastest answer of the host lately (<see cref="HostLatency"/>) it took (plus
    /// <see cref="EpsilonMs"/>); so a window's first request leaves as the server's window opens, and a request that was
    /// held up on its way (a busy machine, a slow network) holds its successor by as much. Until its answer is back, the fixed margin <see cref="MarginMs"/> stands in;</item>
    /// <item>what the server says overrides the plan: a 429, or X-RateLimit-Remaining: 0 when this process's own
    /// requests do not explain it (another client shares the quota), holds new requests (Retry-After, else an interval).
    /// Its own requests are counted by when they left, around the moment the answered request left (not by when the
    /// answer came back: by then the oldest requests of the server's window may have dropped out of a look-back taken
    /// from the answer, and the gate would take its own full window for another client's).</item>
    /// </list>
    /// Waiters queue first come, first served (a System.Threading.RateLimiting ConcurrencyLimiter of one is the turnstile).
    /// The daily quota is the gate's too: <see cref="Daily"/>. Times are the <see cref="TimeProvider"/>'s timestamps.
    /// </summary>
    internal sealed class RateGate
    {
        public const int DefaultMax = 100;
        public const int DefaultIntervalMs = 10_000;

        private readonly TimeProvider _time;
        private readonly double _stampsPerMs;
        private readonly object _sync = new object();
        private readonly ConcurrencyLimiter _turnstile = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = 1,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        /// <summary>
        /// One request of the log: when it left, how long its answer took (-1 until it came), and the fastest answer known
        /// when it came (its reach is reckoned against the faster of that and the fastest known later: a host's old,
        /// faster minimum is forgotten after one or two epochs, and a window longer than an epoch may still hold requests
        /// answered under it); timestamps.
        /// </summary>
        private struct Send
        {
            public long At;
            public long Took;
            public long Fastest;
        }

        // The latest requests, at most _max of them, oldest first (a ring); guarded by _sync.
        private Send[] _sent = new Send[DefaultMax];
        private int _head;           // the oldest
        private int _count;
        private long _longestTook;             // the longest time from leaving to an answer (timestamps), a bound for the log's searches
        private readonly HostLatency _host;    // the shortest lately, over every gate of the host
        private bool _learned;       // an answer has told the limit
        private double _meanExcess;  // the mean of how much longer than the fastest the answers took (timestamps)
        // The server's window is fixed (learned from the headers: Remaining = max - 1 while this process's requests of
        // the interval before would still count in a sliding one); then the first request of its latest window known:
        private bool _fixed;
        private Send _phase = new Send { At = long.MinValue, Took = -1 };
        private long _lastSent = long.MinValue / 2;
        private int _max = DefaultMax;
        private int _intervalMs = DefaultIntervalMs;
        private long _pausedUntil;   // a timestamp; in the past = not paused
        private int _waiting;        // callers inside WaitAsync
        private long _lastUsed;      // the timestamp of the latest look-up (RateGates.For), guarded by the registry

        internal RateGate(TimeProvider time, HostLatency? host = null)
        {
            _time = time;
            _host = host ?? new HostLatency(time);
            _stampsPerMs = time.TimestampFrequency / 1000.0;
            _lastUsed = time.GetTimestamp();
            Daily = new DailyQuota(time);
        }

        /// <summary>The daily quota of this token, host and location.</summary>
        public DailyQuota Daily { get; }

        public int Max => Volatile.Read(ref _max);
        public int IntervalMs => Volatile.Read(ref _intervalMs);

        /// <summary>
        /// The margin added to the interval of the sliding log: the spread in how long requests take to reach the server
        /// (1/40 of the interval, between 50 and 250 ms). It is the only share of the limit left unused: 0.975 at 20 per 2 s.
        /// </summary>
        internal static double MarginMs(int intervalMs) => Math.Min(250, Math.Max(50, intervalMs / 40.0));

        /// <summary>
        /// What is added to how much longer than the fastest answer a request took, for the time it may have taken to
        /// reach the server: the clocks' and timers' granularity.
        /// </summary>
        internal const double EpsilonMs = 4;

        /// <summary>True once an answer told the limit (X-RateLimit-Max); until then requests leave evenly spaced.</summary>
        internal bool Learned { get { lock (_sync) return _learned; } }

        private long Stamps(double ms) => (long)(ms * _stampsPerMs);

        /// <summary>
        /// Waits for a permit and returns the timestamp the request leaves at (pass it to <see cref="Learn"/> with the
        /// answer). Fails fast while the daily quota is used up: until the reset the server gave, or, when it gave none,
        /// except for one probe request a minute.
        /// </summary>
        public async Task<long> WaitAsync(LcCall call)
        {
            var ct = call.CancellationToken;
            Daily.Check();

            var started = _time.GetTimestamp();
            long sentAt;
            Interlocked.Increment(ref _waiting);
            try
            {
                RateLimitLease lease = _turnstile.AttemptAcquire(1);
                if (!lease.IsAcquired)
                {
                    lease.Dispose();
                    lease = await _turnstile.AcquireAsync(1, ct).ConfigureAwait(false);
                }
                using (lease)
                {
                    while (true)
                    {
                        ct.ThrowIfCancellationRequested();
                        // A hold (429, Remaining: 0) or a relearned limit may arrive while this request waits: recompute each time.
                        var wait = TryTakeSlot(out sentAt);
                        if (wait == 0) break;
                        // Looked at again at least every 100 ms: an answer may free a place sooner (an unanswered request
                        // holds its place until it is answered).
                        var delay = TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, wait / _stampsPerMs)));
                        await _time.DelayAsync(delay, ct).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            var waited = _time.GetElapsedTime(started);
            if (waited > TimeSpan.FromSeconds(1) && call.HasTrace)
                call.Verbose($"Waiting {waited.TotalSeconds:0.0} s to stay under the API rate limit ({Max} requests per {IntervalMs / 1000.0:0.#} s).");
            return sentAt;
        }

        /// <summary>
        /// Takes the next slot when it is due: returns 0 and the send timestamp, or how many timestamps remain until it is
        /// (a hold or a relearned limit may arrive while a request waits, so the caller asks again after waiting).
        /// </summary>
        internal long TryTakeSlot(out long sentAt)
        {
            lock (_sync)
            {
                var now = _time.GetTimestamp();
                var at = Math.Max(NextSlot(), Volatile.Read(ref _pausedUntil));
                sentAt = now;
                if (at > now) return at - now;
                Record(now);
                return 0;
            }
        }

        /// <summary>True while a hold (429, or a window spent by another client) keeps new requests back.</summary>
        internal bool IsHeld => _time.GetTimestamp() < Interlocked.Read(ref _pausedUntil);

        /// <summary>The earliest time the next request may leave by the plan (under _sync).</summary>
        private long NextSlot()
        {
            // Before the limit is known: evenly spaced at the default. After: a whole window may leave at once.
            var at = _learned ? long.MinValue : _lastSent + Stamps((double)_intervalMs / _max);
            if (_count >= _max)
            {
                // The request max sends back must have reached the server an interval ago.
                ref var oldest = ref _sent[_head];
                var windowFree = oldest.At + Reach(oldest) + Stamps(_intervalMs);
                // A fixed window frees its whole quota at once when it ends, however its requests were spread.
                if (_fixed && _phase.At != long.MinValue) windowFree = Math.Min(windowFree, FixedSlot());
                if (windowFree > at) at = windowFree;
            }
            return at;
        }

        /// <summary>
        /// The earliest a request may leave by the fixed window's phase (under _sync): at once while fewer than max left
        /// since a margin before the window's first request did; else once that window has surely ended (its first left, plus its reach,
        /// plus the interval), while fewer than max left since a margin before then (a request that left just before may
        /// have reached the server after the window ended, and count in the next one); else not before the next window's
        /// first answer tells its phase (long.MaxValue: the sliding log decides).
        /// </summary>
        private long FixedSlot()
        {
            long reach = Reach(_phase);
            long ends = _phase.At + reach + Stamps(_intervalMs);
            long margin = Stamps(MarginMs(_intervalMs));
            long ambiguous = ends - reach - margin;
            int inWindow = 0, inNext = 0;
            long oldestThatCounts = _phase.At - margin - LongestReach();
            for (int i = _count - 1; i >= 0; i--)
            {
                ref var e = ref _sent[(_head + i) % _sent.Length];
                // The log is in the order requests left: nothing older can have reached the server late enough to count.
                if (e.At < oldestThatCounts) break;
                // Counted where it may have reached the server: a request that left before the window's first may have
                // reached it after (a busy machine sends in another order than the gate let them go), and one not yet
                // answered may still reach it in any window.
                var latest = e.At + Reach(e);
                if (latest >= _phase.At - margin) inWindow++;
                if (latest >= ambiguous) inNext++;
            }
            if (inWindow < _max) return long.MinValue;
            if (inNext < _max) return ends;
            return long.MaxValue;
        }

        /// <summary>
        /// Learns the fixed window's phase from an answer that says Remaining: max - 1 (its request was the first its
        /// window counted), under _sync: the window is taken for fixed only when requests of this process that left well
        /// within the interval before it would still count in a sliding window.
        /// </summary>
        private void LearnPhase(long sentAt, int? remaining)
        {
            if (remaining != _max - 1 || _max < 2 || sentAt <= _phase.At) return;
            if (!_fixed)
            {
                // Evidence only from a request that surely reached the server before this one and less than an interval
                // before it, reckoned with both requests' reach (a request held up on a busy machine proves nothing).
                var answered = IndexOf(sentAt, answered: true);
                if (answered < 0) return;
                long margin = Stamps(MarginMs(_intervalMs));
                long from = sentAt + Reach(_sent[answered]) - Stamps(_intervalMs) + margin;
                for (int i = _count - 1; i >= 0; i--)
                {
                    ref var e = ref _sent[(_head + i) % _sent.Length];
                    if (e.At < from) break; // the log is in the order requests left
                    if (e.Took < 0) continue;
                    if (e.At + Reach(e) + margin <= sentAt) { _fixed = true; break; }
                }
                if (!_fixed) return;
            }
            var first = IndexOf(sentAt, answered: true);
            _phase = first >= 0 ? _sent[first] : new Send { At = sentAt, Took = -1 };
        }

        /// <summary>
        /// The index in the log of a request that left at <paramref name="sentAt"/>, answered or not as asked, or -1 (under
        /// _sync; several may share a timestamp on a coarse clock). Searched from the newest: an answered request is nearly
        /// always one of the few in flight, and the log may hold a whole window of a high limit (100,000 requests), which a
        /// search from the oldest would walk on every answer.
        /// </summary>
        private int IndexOf(long sentAt, bool answered)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                ref var e = ref _sent[(_head + i) % _sent.Length];
                if (e.At < sentAt) break;
                if (e.At == sentAt && (e.Took >= 0) == answered) return (_head + i) % _sent.Length;
            }
            return -1;
        }

        /// <summary>
        /// An upper bound of <see cref="Reach"/> over the log (under _sync): an unanswered request's reach is capped at the
        /// interval, an answered one's is at most the longest answer seen plus what is added to every reach.
        /// </summary>
        private long LongestReach() =>
            Math.Max(Stamps(_intervalMs), _longestTook + Stamps(EpsilonMs) + (long)(_meanExcess / 4));

        private void Record(long now)
        {
            _lastSent = now;
            if (_count == _max) Drop();
            if (_sent.Length < _max) Grow(_max);
            _sent[(_head + _count) % _sent.Length] = new Send { At = now, Took = -1 };
            _count++;
        }

        private void Drop()
        {
            _head = (_head + 1) % _sent.Length;
            _count--;
        }

        /// <summary>Makes room for <paramref name="size"/> sends, keeping the log's order.</summary>
        private void Grow(int size)
        {
            var bigger = new Send[size];
            for (int i = 0; i < _count; i++) bigger[i] = _sent[(_head + i) % _sent.Length];
            _sent = bigger;
            _head = 0;
        }

        /// <summary>
        /// How long after it left a request may have reached the server (under _sync): how much longer than the fastest
        /// answer its answer took, plus <see cref="EpsilonMs"/>, however long that is: a request held up for seconds on a
        /// busy machine may reach the server in its next window, and must count there. Reckoned when
        /// it is needed, a window later, against the fastest answer known by then, not the few known when it came back.
        /// Until its answer is back, the fixed margin, or, once it has been out longer, until now: it may not have reached
        /// the server yet (a machine so busy that requests wait seconds to go out), so its place is not free until it is
        /// answered, or has been out for a whole interval (a request that failed on the way is never answered).
        /// </summary>
        private long Reach(in Send e) =>
            e.Took < 0 ? Math.Min(Math.Max(Stamps(MarginMs(_intervalMs)), _time.GetTimestamp() - e.At), Stamps(_intervalMs))
            : Math.Max(0, e.Took - Math.Min(e.Fastest, _host.Fastest)) + Stamps(EpsilonMs) + (long)(_meanExcess / 4);

        /// <summary>Records how long the answer to the request that left at <paramref name="sentAt"/> took (under _sync).</summary>
        private void Reached(long sentAt, long now)
        {
            var took = now - sentAt;
            if (took < 0) return;
            _host.Saw(took, now);
            var fastest = _host.Fastest;
            // The fastest answer so far may itself have been slowed down a little: a quarter of how much slower than it
            // answers take on average is added to every reach (an exponential mean over about the last 32 answers).
            _meanExcess += ((took - fastest) - _meanExcess) / 32.0;
            if (took > _longestTook) _longestTook = took;
            var i = IndexOf(sentAt, answered: false);
            if (i >= 0) { _sent[i].Took = took; _sent[i].Fastest = fastest; }
        }

        /// <summary>
        /// How many of this process's requests the server can have counted in the window that held the request sent at
        /// <paramref name="sentAt"/> (under _sync): those that left no more than an interval (plus the margin) before it,
        /// and those that left after it, which may have reached the server first.
        /// </summary>
        private int SentAround(long sentAt)
        {
            var since = sentAt - Stamps(_intervalMs + MarginMs(_intervalMs));
            int n = 0;
            for (int i = _count - 1; i >= 0 && _sent[(_head + i) % _sent.Length].At >= since; i--) n++;
            return n;
        }

        /// <summary>
        /// Learns the limits from the headers of the answer to the request that left at <paramref name="sentAt"/> (the
        /// timestamp <see cref="WaitAsync"/> returned).
        /// </summary>
        public void Learn(HttpResponseHeaders headers, int status, TimeSpan? retryAfter, long sentAt)
        {
            int? max = RateLimitHeaders.Read(headers, RateLimitHeaders.Max);
            int? interval = RateLimitHeaders.Read(headers, RateLimitHeaders.IntervalMs);
            int? remaining = RateLimitHeaders.Read(headers, RateLimitHeaders.Remaining);
            int? daily = RateLimitHeaders.Read(headers, RateLimitHeaders.DailyRemaining);

            bool ours = false;
            lock (_sync)
            {
                // Any answer says the request reached the server (and no later than its answer came back).
                Reached(sentAt, _time.GetTimestamp());
                if (max is int m && m > 0 && m <= 100_000)
                {
                    int iv = interval is int i && i > 0 && i <= 3_600_000 ? i : _intervalMs;
                    // The log keeps the requests already sent: they count in the server's window under the new limit too.
                    Volatile.Write(ref _max, m);
                    Volatile.Write(ref _intervalMs, iv);
                    while (_count > m) Drop();
                    _learned = true;
                }
                if (status != 429) LearnPhase(sentAt, remaining);
                // "Remaining: 0" that this process's own requests explain is the plan working (the sliding log already
                // holds the next request until the window has passed); anything else means someone else shares the quota.
                if (remaining == 0 && status != 429) ours = SentAround(sentAt) >= _max;
            }

            if ((status == 429 || (remaining == 0 && !ours)) && daily != 0)
            {
                // The server's window is full (perhaps another process shares the quota): hold new requests.
                var hold = retryAfter ?? TimeSpan.FromMilliseconds(interval ?? IntervalMs);
                if (hold > TimeSpan.FromMinutes(5)) hold = TimeSpan.FromMinutes(5);
                var until = _time.GetTimestamp() + Stamps(hold.TotalMilliseconds);
                long cur;
                do { cur = Interlocked.Read(ref _pausedUntil); }
                while (until > cur && Interlocked.CompareExchange(ref _pausedUntil, until, cur) != cur);
            }

            if (daily == 0) Daily.Spent(retryAfter);
            // A response that shows quota (Daily-Remaining above 0, or any success not saying 0) lifts the block at once.
            else if (daily > 0 || (status >= 200 && status < 300)) Daily.Available();
        }

        /// <summary>Marks the gate as looked up at <paramref name="now"/> (by the registry, under its lock).</summary>
        internal void Touch(long now) => _lastUsed = now;

        /// <summary>
        /// True when forgetting the gate loses nothing (asked by the registry, under its lock): nobody waits at it, it was
        /// not looked up for <paramref name="idleAfter"/> (nor for its whole window), no hold is in force and the daily
        /// quota is not blocked.
        /// </summary>
        internal bool IsIdle(long now, TimeSpan idleAfter)
        {
            if (Volatile.Read(ref _waiting) > 0 || Daily.Blocked) return false;
            var quiet = Stamps(Math.Max(idleAfter.TotalMilliseconds, IntervalMs + MarginMs(IntervalMs)));
            long last;
            lock (_sync) last = Math.Max(_lastUsed, _lastSent);
            return now - last >= quiet && now >= Interlocked.Read(ref _pausedUntil);
        }
    }
}
