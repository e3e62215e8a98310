using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// OAuth renewal against the emulator's /oauth/token: a refresh token that rotated but could not be saved is kept
    /// in memory (no invalid_grant next time), an early renewal that fails uses the still-valid token and backs off, a
    /// rotation handler that throws does not undo the rotation, and bad credentials are named in the error. The
    /// provider's clock is faked; the emulator's is real, so tokens stay valid there while the provider thinks time passed.
    /// </summary>
    [Collection("Emulator")]
    public sealed class TokenRenewalTests : IDisposable
    {
        private readonly EmulatorFixture _emu;
        private readonly string _dir = Directory.CreateTempSubdirectory("lc-renew-").FullName;

        public TokenRenewalTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
        }

        public void Dispose()
        {
            if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        }

        private string FilePath => Path.Combine(_dir, "refresh.token");

        private sealed class Trace : ILcTrace
        {
            private readonly ConcurrentQueue<string> _lines = new ConcurrentQueue<string>();
            public void Verbose(string message) => _lines.Enqueue(message);
            public void Debug(string message) => _lines.Enqueue(message);
            public string Text => string.Join("\n", _lines);
        }

        private ConnectionOptions Options(string? refreshToken, string? path, string clientSecret = Seed.OAuthClientSecret) => new ConnectionOptions
        {
            ClientId = Seed.OAuthClientId,
            ClientSecret = clientSecret,
            RefreshToken = refreshToken,
            RefreshTokenPath = path,
            BaseUri = _emu.BaseUri,
            MaxRetries = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        };

        /// <summary>Connects without pacing, on the given clock (else the system's).</summary>
        private static Task<Connection> Connect(ConnectionOptions options, LcCall call, TimeProvider? time = null) =>
            Connection.ConnectAsync(options, call, new EngineServices(time, pacing: false));

        private async Task<(Connection Connection, OAuthRefreshProvider Provider, FakeTimeProvider Clock)> ConnectAsync(string? path, Trace? trace = null)
        {
            var rt = _emu.State.OAuth.MintRefreshToken(Seed.AlphaLocation);
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var c = await Connect(Options(rt, path), new LcCall(CancellationToken.None, trace), clock);
            return (c, (OAuthRefreshProvider)c.Tokens, clock);
        }

        /// <summary>Moves the provider's clock into the last minutes before expiry, where it renews early.</summary>
        private static void IntoRenewalWindow(Connection c, FakeTimeProvider clock) =>
            clock.Advance(c.TokenExpiresAt!.Value - clock.GetUtcNow() - TimeSpan.FromMinutes(2));

        private static Task<LeadConnector.Conversation> Get(Connection c, Trace? trace = null) =>
            new ConversationOperations(c).GetAsync("conv-a001", new LcCall(CancellationToken.None, trace));

        private int TokenRequests() => _emu.Requests().Count(r => r.Method == "POST" && r.Path == "/oauth/token");

        private void FailTokenEndpoint() =>
            _emu.State.Faults.Add(new FaultRule { Method = "POST", PathPrefix = "/oauth/token", Kind = FaultKind.Status, StatusCode = 503 });

        [Fact]
        public async Task A_refresh_token_that_could_not_be_saved_is_kept_in_memory_and_the_next_call_works()
        {
            var (c, _, clock) = await ConnectAsync(FilePath);
            Assert.True(_emu.State.OAuth.IsRefreshTokenValid(File.ReadAllText(FilePath)));
            Directory.Delete(_dir, recursive: true); // the folder is gone: the save after the next rotation fails
            IntoRenewalWindow(c, clock);
            var before = c.TokenRefreshedAt;

            var ex = await Assert.ThrowsAsync<LcException>(() => Get(c));

            Assert.Equal(LcErrorKind.TokenNotSaved, ex.Kind);
            Assert.Contains(FilePath, ex.Message);
            Assert.Contains("kept in this session", ex.Message);
            Assert.Equal(2, _emu.State.OAuth.RefreshCount); // connect, then this rotation
            Assert.NotEqual(before, c.TokenRefreshedAt);    // the new access token is in use

            // The next call works with the new access token, and no refresh token was used twice.
            Assert.Equal("conv-a001", (await Get(c)).Id);
            Assert.Equal(0, _emu.State.OAuth.FailedRefreshCount);

            // The next renewal uses the refresh token kept in memory, and saves it once the folder is back.
            Directory.CreateDirectory(_dir);
            clock.Advance(TimeSpan.FromHours(24));
            Assert.Equal("conv-a001", (await Get(c)).Id);
            Assert.Equal(3, _emu.State.OAuth.RefreshCount);
            Assert.Equal(0, _emu.State.OAuth.FailedRefreshCount);
            Assert.True(_emu.State.OAuth.IsRefreshTokenValid(File.ReadAllText(FilePath)));
        }

        [Fact]
        public async Task A_save_that_wrote_the_pending_file_says_so_and_the_next_connect_starts_from_it()
        {
            var (c, _, clock) = await ConnectAsync(FilePath);
            // A folder where the file should be: the pending file is written, the rename over the target fails.
            File.Delete(FilePath);
            Directory.CreateDirectory(FilePath);
            IntoRenewalWindow(c, clock);

            var ex = await Assert.ThrowsAsync<LcException>(() => Get(c));

            Assert.Equal(LcErrorKind.TokenNotSaved, ex.Kind);
            Assert.Contains(FilePath + ".pending", ex.Message);
            Assert.Equal("conv-a001", (await Get(c)).Id);

            Directory.Delete(FilePath);
            var next = await Connect(Options(null, FilePath), new LcCall(CancellationToken.None));
            Assert.Equal(Seed.AlphaLocation, next.LocationId);
            Assert.Equal(0, _emu.State.OAuth.FailedRefreshCount);
            Assert.False(File.Exists(FilePath + ".pending"));
        }

        [Fact]
        public async Task A_folder_that_cannot_be_written_fails_the_connect_before_the_refresh_token_is_used()
        {
            var rt = _emu.State.OAuth.MintRefreshToken(Seed.AlphaLocation);
            Directory.CreateDirectory(FilePath + ".pending"); // blocks every save

            var ex = await Assert.ThrowsAsync<LcException>(() => Connect(Options(rt, FilePath), new LcCall(CancellationToken.None)));

            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            Assert.Contains("cannot be written", ex.Message);
            Assert.Equal(0, TokenRequests());
            Assert.True(_emu.State.OAuth.IsRefreshTokenValid(rt));
        }

        [Fact]
        public async Task A_failed_early_renewal_uses_the_still_valid_token_and_backs_off()
        {
            var trace = new Trace();
            var (c, _, clock) = await ConnectAsync(null);
            var expires = c.TokenExpiresAt;
            IntoRenewalWindow(c, clock);
            FailTokenEndpoint();
            var tokenRequests = TokenRequests();

            Assert.Equal("conv-a001", (await Get(c, trace)).Id);
            Assert.Equal(tokenRequests + 1, TokenRequests());
            Assert.Contains("so it is used", trace.Text);
            Assert.Equal(expires, c.TokenExpiresAt);

            // Within the back-off no request asks the token endpoint again.
            Assert.Equal("conv-a001", (await Get(c)).Id);
            Assert.Equal("conv-a001", (await Get(c)).Id);
            Assert.Equal(tokenRequests + 1, TokenRequests());

            // After it, one more attempt (failing again, still without failing the request).
            clock.Advance(RenewingTokenProvider.EarlyRetryMax + TimeSpan.FromSeconds(1));
            Assert.Equal("conv-a001", (await Get(c)).Id);
            Assert.Equal(tokenRequests + 2, TokenRequests());

            // The endpoint is back: the next attempt renews.
            _emu.State.Faults.Clear();
            clock.Advance(RenewingTokenProvider.EarlyRetryMax + TimeSpan.FromSeconds(1));
            Assert.Equal("conv-a001", (await Get(c)).Id);
            Assert.NotEqual(expires, c.TokenExpiresAt);
            Assert.Equal(0, _emu.State.OAuth.FailedRefreshCount);
        }

        [Fact]
        public async Task A_failed_renewal_after_expiry_fails_the_request()
        {
            var (c, _, clock) = await ConnectAsync(null);
            clock.Advance(c.TokenExpiresAt!.Value - clock.GetUtcNow() + TimeSpan.FromSeconds(1));
            FailTokenEndpoint();

            var ex = await Assert.ThrowsAsync<LcException>(() => Get(c));

            Assert.Equal(LcErrorKind.ServerError, ex.Kind);
        }

        [Fact]
        public async Task A_rotation_handler_that_throws_neither_undoes_the_renewal_nor_stops_the_other_handlers()
        {
            var trace = new Trace();
            var (c, _, clock) = await ConnectAsync(FilePath);
            string? handedOver = null;
            c.RefreshTokenRotated += (_, _) => throw new InvalidOperationException("the handler broke");
            c.RefreshTokenRotated += (_, e) => handedOver = new System.Net.NetworkCredential("", e.RefreshToken).Password;
            IntoRenewalWindow(c, clock);
            var before = c.TokenRefreshedAt;

            Assert.Equal("conv-a001", (await Get(c, trace)).Id);

            Assert.NotEqual(before, c.TokenRefreshedAt);
            Assert.Contains("InvalidOperationException: the handler broke", trace.Text);
            Assert.Equal(File.ReadAllText(FilePath), handedOver);
            Assert.True(_emu.State.OAuth.IsRefreshTokenValid(handedOver!));
            Assert.DoesNotContain(handedOver!, trace.Text);
        }

        [Fact]
        public async Task A_bad_client_secret_or_refresh_token_is_named_as_such()
        {
            var call = new LcCall(CancellationToken.None);
            var rt = _emu.State.OAuth.MintRefreshToken(Seed.AlphaLocation);

            var secret = await Assert.ThrowsAsync<LcException>(() => Connect(Options(rt, null, clientSecret: "bad secret"), call));
            Assert.Equal(LcErrorKind.InvalidInput, secret.Kind);
            Assert.StartsWith("The client secret contains a space", secret.Message);

            var given = await Assert.ThrowsAsync<LcException>(() => Connect(Options("rt-\u00e9", null), call));
            Assert.StartsWith("The refresh token contains", given.Message);

            File.WriteAllText(FilePath, "rt-copied\nbadly");
            var stored = await Assert.ThrowsAsync<LcException>(() => Connect(Options(null, FilePath), call));
            Assert.StartsWith($"The refresh token in '{FilePath}' contains", stored.Message);

            foreach (var ex in new[] { secret, given, stored }) Assert.DoesNotContain("access token", ex.Message);
            Assert.Equal(0, TokenRequests());
        }
    }
}
