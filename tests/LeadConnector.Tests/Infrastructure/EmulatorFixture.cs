using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LeadConnector.Emulator;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>One emulator on 127.0.0.1 for the whole "Emulator" collection; each test resets it.</summary>
    public sealed class EmulatorFixture : IAsyncLifetime
    {
        public EmulatorServer Server { get; private set; } = null!;
        public EmulatorState State => Server.State;
        public Uri BaseUri => Server.BaseUri;

        public async Task InitializeAsync() => Server = await EmulatorServer.StartAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();

        /// <summary>
        /// Fresh data, no faults, an empty log. The rate limit is raised so that tests of other behaviour are not
        /// paced; the pacing tests set their own.
        /// </summary>
        public void Reset(bool generousLimit = true)
        {
            State.Reset();
            if (generousLimit)
            {
                State.RateLimit.Max = 100_000;
                State.RateLimit.IntervalMs = 1_000;
            }
        }

        public Connection Connect(string token = Seed.AlphaToken, string? location = Seed.AlphaLocation, int maxRetries = 3,
            int timeoutSec = 10, int maxRetryTimeSec = 60, double baseDelayMs = 20) =>
            Connection.Create(new ConnectionOptions
            {
                AccessToken = token,
                LocationId = location,
                BaseUri = BaseUri,
                MaxRetries = maxRetries,
                TimeoutSec = timeoutSec,
                MaxRetryTimeSec = maxRetryTimeSec,
                RetryBaseDelay = TimeSpan.FromMilliseconds(baseDelayMs),
                RetryMaxDelay = TimeSpan.FromMilliseconds(Math.Max(baseDelayMs * 8, 200)),
            });

        /// <summary>Requests the API saw (control calls are not logged).</summary>
        public RecordedRequest[] Requests() => State.Requests.Snapshot().ToArray();
    }

    /// <summary>Fault rules more than one test class adds to the emulator.</summary>
    internal static class EmulatorFaults
    {
        /// <summary>A 429 on GET with a Retry-After header (seconds or an HTTP date), for the next <paramref name="count"/> requests.</summary>
        public static FaultRule TooManyRequestsOnGet(int count, string retryAfter) => new FaultRule
        {
            Method = "GET", Kind = FaultKind.Status, StatusCode = 429, Count = count,
            Body = "{\"statusCode\":429,\"message\":\"Too many requests\"}",
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter },
        };
    }

    [CollectionDefinition("Emulator")]
    public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture> { }
}
