using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// A token that expires and is renewed at a token endpoint. Renewal happens shortly before expiry, or once after a
    /// 401, and never twice at once: concurrent callers (requests, runspaces) wait for the one renewal in progress and
    /// then share its token. An early renewal that fails for a passing reason (5xx, timeout, network) does not fail the
    /// request: the current token is still valid, so it is used, and renewal is tried again a little later.
    /// </summary>
    internal abstract class RenewingTokenProvider : TokenProvider
    {
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private readonly LcClient _endpoint;
        private volatile TokenState? _state;

        /// <param name="redactor">Knows the provider's secrets; the token endpoint's client reports through it too.</param>
        /// <param name="settings">The connection's settings (base URI, retries, timeout), which token requests follow too.</param>
        /// <param name="transport">The connection's transport, which token requests share.</param>
        /// <param name="time">The clock that says when a token is due for renewal.</param>
        protected RenewingTokenProvider(Redactor redactor, ConnectionSettings settings, RestTransport transport, TimeProvider time) : base(redactor)
        {
            // The token endpoint's own client: no token of its own, not paced; it exists before the connection's client.
            _endpoint = new LcClient(settings, transport, redactor, time);
            Time = time;
        }

        protected TimeProvider Time { get; }

        private sealed class TokenState
        {
            public TokenState(string token, DateTimeOffset obtained, TimeSpan lifetime)
            {
                Token = token;
                Obtained = obtained;
                ExpiresAt = obtained + lifetime;
                // Renew a tenth of the lifetime early, at most 5 minutes early: soon enough, never constantly.
                var early = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 10, TimeSpan.FromMinutes(5).Ticks));
                RenewAt = ExpiresAt - early;
            }

            public string Token { get; }
            public DateTimeOffset Obtained { get; }
            public DateTimeOffset ExpiresAt { get; }
            public DateTimeOffset RenewAt { get; }

            // After a failed early renewal: no new attempt before this (UTC ticks; 0 = none).
            private long _retryAtTicks;

            public DateTimeOffset RetryAt
            {
                get => new DateTimeOffset(Interlocked.Read(ref _retryAtTicks), TimeSpan.Zero);
                set => Interlocked.Exchange(ref _retryAtTicks, value.UtcTicks);
            }

            /// <summary>True when the token should be renewed before use at <paramref name="now"/>.</summary>
            public bool Due(DateTimeOffset now) => now >= RenewAt && (now >= ExpiresAt || now >= RetryAt);
        }

        public override bool CanRenew => true;
        public override DateTimeOffset? ExpiresAt => _state?.ExpiresAt;
        public override DateTimeOffset? RefreshedAt => _state?.Obtained;

        /// <summary>The longest wait after a failed early renewal before the next attempt.</summary>
        internal static readonly TimeSpan EarlyRetryMax = TimeSpan.FromSeconds(30);

        public override async ValueTask<string> GetAsync(LcCall call)
        {
            var state = _state;
            if (state != null && !state.Due(Time.GetUtcNow())) return state.Token;
            await RenewIfAsync(s => s == null || s.Due(Time.GetUtcNow()), call, early: true).ConfigureAwait(false);
            return _state!.Token;
        }

        // After a 401 the token is not trusted, whatever its expiry says: a failure to renew it surfaces.
        public override Task RenewAsync(string rejected, LcCall call) =>
            RenewIfAsync(s => s == null || string.Equals(s.Token, rejected, StringComparison.Ordinal) || Time.GetUtcNow() >= s.RenewAt, call, early: false);

        private async Task RenewIfAsync(Func<TokenState?, bool> needed, LcCall call, bool early)
        {
            await _renewal.WaitAsync(call.CancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller may have renewed (or failed to, and backed off) while this one waited: then that stands.
                var current = _state;
                if (!needed(current)) return;
                using (await EnterRenewalAsync(call).ConfigureAwait(false))
                    await RenewAsync(current, call, early).ConfigureAwait(false);
            }
            finally
            {
                _renewal.Release();
            }
        }

        /// <summary>One renewal, under the renewal lock (and whatever <see cref="EnterRenewalAsync"/> took).</summary>
        private async Task RenewAsync(TokenState? current, LcCall call, bool early)
        {
            var started = Time.GetUtcNow();
            TokenGrant grant;
            try
            {
                grant = await ObtainAsync(_endpoint, call).ConfigureAwait(false);
            }
            catch (LcException ex) when (early && current != null && IsPassing(ex.Kind) && Time.GetUtcNow() < current.ExpiresAt)
            {
                // The current token is still valid: use it rather than fail the request, and give the token
                // endpoint a rest instead of asking again for every request until the token expires.
                var now = Time.GetUtcNow();
                var tenth = TimeSpan.FromTicks((current.ExpiresAt - now).Ticks / 10);
                var wait = tenth < EarlyRetryMax ? tenth : EarlyRetryMax;
                current.RetryAt = now + wait;
                call.Verbose($"Renewing the access token before it expires failed ({ex.Kind}: {Redactor.Apply(ex.Message)}). " +
                    $"The current token is valid until {IsoDate.Shown(current.ExpiresAt)}, so it is used; renewal is tried again in {wait.TotalSeconds:0.#} s.");
                return;
            }
            // Registered before anything (a trace, an event, an error) can show them.
            Redactor.Add(grant.AccessToken);
            Redactor.Add(grant.RefreshToken);
            _state = new TokenState(grant.AccessToken, started, grant.Lifetime);
            call.Verbose($"Obtained a new access token; it expires at {IsoDate.Shown(_state.ExpiresAt)}.");
            // The new tokens are in use before anything else can fail: a failure from here on fails this call only.
            Renewed(grant, call);
        }

        /// <summary>
        /// Runs <paramref name="action"/> while no renewal can start or be in progress (in this process), for a caller
        /// that must see the current secrets and change where they are kept, with no rotation in between.
        /// </summary>
        protected async Task<T> UnderRenewalLockAsync<T>(Func<T> action, LcCall call)
        {
            await _renewal.WaitAsync(call.CancellationToken).ConfigureAwait(false);
            try
            {
                return action();
            }
            finally
            {
                _renewal.Release();
            }
        }

        /// <summary>
        /// Runs under the renewal lock, before the token endpoint is called: what it returns is held until the renewal
        /// (<see cref="ObtainAsync"/> and <see cref="Renewed"/>) is over. An OAuth connection takes its store's lock here,
        /// shared with other processes. Null: nothing to hold.
        /// </summary>
        protected virtual Task<IDisposable?> EnterRenewalAsync(LcCall call) => Task.FromResult<IDisposable?>(null);

        /// <summary>Failures that may pass by themselves; a refused grant or a bad setting does not.</summary>
        private static bool IsPassing(LcErrorKind kind) =>
            kind == LcErrorKind.ServerError || kind == LcErrorKind.Timeout || kind == LcErrorKind.Network || kind == LcErrorKind.RateLimited;

        /// <summary>
        /// Calls the token endpoint and returns its grant. Nothing may print a secret of the answer here: the caller
        /// registers the grant's tokens with the redactor as soon as this returns.
        /// </summary>
        protected abstract Task<TokenGrant> ObtainAsync(LcClient client, LcCall call);

        /// <summary>
        /// Runs under the renewal lock after the new access token is in use (and registered with the redactor). An
        /// exception thrown here fails the current call only; the new tokens stay.
        /// </summary>
        protected virtual void Renewed(TokenGrant grant, LcCall call) { }

        internal static SecureString Secure(string value)
        {
            var s = new SecureString();
            foreach (var c in value) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }
    }
}
