using System;
using LeadConnector.Emulator;
using LeadConnector.Emulator.Http;
using Microsoft.Extensions.Time.Testing;

namespace LeadConnector.Tests.EmulatorTests
{
    /// <summary>
    /// The emulator's two kinds of rate-limit window, on a fake clock: a fixed window that starts at the first request
    /// after the last one ended, and a sliding one (at most Max accepted in any interval), each per location and token.
    /// </summary>
    public class RateLimitWindowTests
    {
        private static (EmulatorState State, FakeTimeProvider Clock) Start(RateLimitWindow window)
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
            var state = new EmulatorState(clock);
            state.RateLimit.Max = 3;
            state.RateLimit.IntervalMs = 1000;
            state.RateLimit.Window = window;
            return (state, clock);
        }

        [Fact]
        public void A_fixed_window_frees_its_whole_quota_when_it_ends()
        {
            var (state, clock) = Start(RateLimitWindow.Fixed);
            var a = new ApiCaller("loc-a", "tok-a");
            Assert.True(state.Limiter.Acquire(a).Allowed);          // the window starts here
            clock.Advance(TimeSpan.FromMilliseconds(600));
            Assert.True(state.Limiter.Acquire(a).Allowed);
            Assert.Equal(0, state.Limiter.Acquire(a).Remaining);
            Assert.False(state.Limiter.Acquire(a).Allowed);
            clock.Advance(TimeSpan.FromMilliseconds(400));            // 1000 ms after the first: a new window, all 3 free
            Assert.Equal(2, state.Limiter.Acquire(a).Remaining);
            Assert.Equal(1, state.Limiter.Acquire(a).Remaining);
            Assert.True(state.Limiter.Acquire(new ApiCaller("loc-b", "tok-b")).Allowed); // another location has its own
        }

        [Fact]
        public void A_sliding_window_frees_each_request_an_interval_after_it_arrived()
        {
            var (state, clock) = Start(RateLimitWindow.Sliding);
            var a = new ApiCaller("loc-a", "tok-a");
            Assert.Equal(2, state.Limiter.Acquire(a).Remaining);     // at 0
            clock.Advance(TimeSpan.FromMilliseconds(600));
            Assert.Equal(1, state.Limiter.Acquire(a).Remaining);     // at 600
            Assert.Equal(0, state.Limiter.Acquire(a).Remaining);     // at 600
            clock.Advance(TimeSpan.FromMilliseconds(399));
            var refused = state.Limiter.Acquire(a);                   // at 999: the one at 0 still counts
            Assert.False(refused.Allowed);
            Assert.Equal(TimeSpan.FromMilliseconds(1), refused.RetryAfter);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, state.Limiter.Acquire(a).Remaining);     // at 1000: only the one at 0 dropped out
            Assert.False(state.Limiter.Acquire(a).Allowed);           // a fixed window would have freed all 3 here
            clock.Advance(TimeSpan.FromMilliseconds(600));
            Assert.Equal(1, state.Limiter.Acquire(a).Remaining);     // at 1600: the two at 600 dropped out
        }
    }
}
