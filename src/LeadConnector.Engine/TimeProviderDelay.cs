using System;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>A wait on a <see cref="TimeProvider"/>'s clock, the same call in both builds.</summary>
    internal static class TimeProviderDelay
    {
        public static Task DelayAsync(this TimeProvider time, TimeSpan delay, CancellationToken cancellationToken) =>
#if NET8_0_OR_GREATER
            Task.Delay(delay, time, cancellationToken);
#else
            // Microsoft.Bcl.TimeProvider's extension: Task.Delay itself for the system clock.
            TimeProviderTaskExtensions.Delay(time, delay, cancellationToken);
#endif
    }
}
