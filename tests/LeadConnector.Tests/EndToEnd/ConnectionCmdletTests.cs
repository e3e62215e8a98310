using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;
using static LeadConnector.Tests.Infrastructure.PsResult;

namespace LeadConnector.Tests.EndToEnd
{
    /// <summary>Connect-Lc, Get-LcConnection and Disconnect-Lc in a real runspace. The current connection is process-wide.</summary>
    [Collection("Emulator")]
    public class ConnectionCmdletTests : IDisposable
    {
        private readonly EmulatorFixture _emu;
        private readonly PsSession _ps = new PsSession();
        private readonly string? _envToken = Environment.GetEnvironmentVariable("LC_ACCESS_TOKEN");
        private readonly string? _envLocation = Environment.GetEnvironmentVariable("LC_LOCATION_ID");

        public ConnectionCmdletTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
            Environment.SetEnvironmentVariable("LC_ACCESS_TOKEN", null);
            Environment.SetEnvironmentVariable("LC_LOCATION_ID", null);
            _ps.Run("Disconnect-Lc");
        }

        public void Dispose()
        {
            _ps.Run("Disconnect-Lc");
            _ps.Dispose();
            Environment.SetEnvironmentVariable("LC_ACCESS_TOKEN", _envToken);
            Environment.SetEnvironmentVariable("LC_LOCATION_ID", _envLocation);
        }

        private PsResult Connect(string extra = "", params (string, object?)[] vars) =>
            _ps.Run("Connect-Lc -AccessToken $token -BaseUri $uri -LocationId $loc " + extra,
                vars.Concat(new (string, object?)[] { ("token", Seed.AlphaToken), ("uri", _emu.BaseUri), ("loc", Seed.AlphaLocation) }).ToArray());

        [Fact]
        public void Connect_stores_the_process_wide_connection_and_PassThru_emits_it_without_the_token()
        {
            var rec = Connect("-PassThru");
            Assert.Null(rec.Terminating);
            var c = Assert.Single(rec.Output);
            Assert.Equal("LeadConnector.Connection", c.TypeNames[0]);
            Assert.Equal(Seed.AlphaLocation, Str(c, "LocationId"));
            Assert.Equal("PrivateIntegration", Str(c, "TokenKind"));
            Assert.Equal("2021-07-28", Str(c, "ApiVersion"));
            Assert.DoesNotContain(rec.AllText(), s => s.Contains(Seed.AlphaToken));
            Assert.Contains(rec.Verbose, v => v.Contains("Connected to") && v.Contains(Seed.AlphaLocation));
            // No property PowerShell shows of the connection exposes the token.
            foreach (var p in c.Properties) Assert.DoesNotContain(Seed.AlphaToken, p.Value?.ToString() ?? "");
            // It is the current connection: the very object Get-LcConnection gives back.
            var same = _ps.Run("[object]::ReferenceEquals($c.psobject.BaseObject, (Get-LcConnection).psobject.BaseObject)", ("c", c));
            Assert.Equal(true, Assert.Single(same.Output).BaseObject);
        }

        [Fact]
        public void Without_PassThru_Connect_writes_nothing()
        {
            var rec = Connect();
            Assert.Empty(rec.Output);
            Assert.Single(_ps.Run("Get-LcConnection").Output);
        }

        [Fact]
        public void Connect_reads_the_token_and_location_from_the_environment()
        {
            Environment.SetEnvironmentVariable("LC_ACCESS_TOKEN", Seed.BetaToken);
            Environment.SetEnvironmentVariable("LC_LOCATION_ID", Seed.BetaLocation);
            var rec = _ps.Run("Connect-Lc -BaseUri $uri", ("uri", _emu.BaseUri));
            Assert.Null(rec.Terminating);
            Assert.Contains(rec.Verbose, v => v.Contains("LC_ACCESS_TOKEN"));
            Assert.Equal(Seed.BetaLocation, Str(Assert.Single(_ps.Run("Get-LcConnection").Output), "LocationId"));
            var get = _ps.Run("Get-LcConversation -Id conv-b001");
            Assert.Equal("conv-b001", Assert.Single(get.Output).Properties["Id"].Value);
        }

        [Fact]
        public void Connect_takes_a_credential_whose_password_is_the_token()
        {
            var cred = new PSCredential("ignored", new NetworkCredential("", Seed.AlphaToken).SecurePassword);
            var rec = _ps.Run("Connect-Lc -Credential $cred -BaseUri $uri -LocationId loc-alpha", ("cred", cred), ("uri", _emu.BaseUri));
            Assert.Null(rec.Terminating);
            var get = _ps.Run("Get-LcConversation -Id conv-a001");
            Assert.Single(get.Output);
            // Two requests: Connect-Lc's check of the token, then the read; both with the credential's password.
            var sent = _emu.Requests();
            Assert.Equal(2, sent.Count());
            Assert.All(sent, r => Assert.Equal("Bearer " + Seed.AlphaToken, r.Header("Authorization")));
        }

        [Fact]
        public void No_token_anywhere_is_a_terminating_NoAccessToken_error()
        {
            var rec = _ps.Run("Connect-Lc -BaseUri $uri", ("uri", _emu.BaseUri));
            Assert.Equal("NoAccessToken", ErrorId(rec.Terminating!));
            Assert.Equal(ErrorCategory.AuthenticationError, rec.Terminating!.CategoryInfo.Category);
            Assert.Contains("LC_ACCESS_TOKEN", rec.Terminating.Exception.Message);
            Assert.Empty(_ps.Run("Get-LcConnection").Output);
        }

        [Fact]
        public void Http_to_a_remote_host_is_refused_as_a_security_error()
        {
            var rec = _ps.Run("Connect-Lc -AccessToken $token -BaseUri 'http://services.leadconnectorhq.com'", ("token", Seed.AlphaToken));
            Assert.Equal("InvalidBaseUri", ErrorId(rec.Terminating!));
            Assert.Equal(ErrorCategory.SecurityError, rec.Terminating!.CategoryInfo.Category);
            Assert.Contains("http://", rec.Terminating.Exception.Message);
            Assert.Empty(_ps.Run("Get-LcConnection").Output);
        }

        [Fact]
        public void A_string_token_is_accepted_and_other_types_are_refused()
        {
            Assert.Null(_ps.Run("Connect-Lc -AccessToken 'pit-abc' -BaseUri $uri", ("uri", _emu.BaseUri)).Terminating);
            var secure = _ps.Run("Connect-Lc -AccessToken (ConvertTo-SecureString 'pit-abc' -AsPlainText -Force) -BaseUri $uri -PassThru", ("uri", _emu.BaseUri));
            Assert.Null(secure.Terminating);
            Assert.Single(secure.Output);
            var number = _ps.Run("Connect-Lc -AccessToken 42 -BaseUri $uri", ("uri", _emu.BaseUri));
            Assert.StartsWith("ParameterArgumentTransformationError", number.Terminating!.FullyQualifiedErrorId);
            Assert.Contains("String or a SecureString", number.Terminating.ToString());
        }

        [Fact]
        public void RetryDelaySec_is_validated()
        {
            var rec = _ps.Run("Connect-Lc -AccessToken pit-abc -BaseUri $uri -RetryDelaySec 0", ("uri", _emu.BaseUri));
            Assert.StartsWith("ParameterArgumentValidationError", rec.Terminating!.FullyQualifiedErrorId);
            Assert.Null(_ps.Run("Connect-Lc -AccessToken pit-abc -BaseUri $uri -RetryDelaySec 0.001", ("uri", _emu.BaseUri)).Terminating);
        }

        [Fact]
        public void Get_connection_and_disconnect()
        {
            var none = _ps.Run("Get-LcConnection");
            Assert.Null(none.Terminating);
            Assert.Empty(none.Output);
            Assert.Contains(none.Verbose, v => v.Contains("Connect-Lc"));

            var passThru = Connect("-PassThru").Output.Single();
            var got = _ps.Run("Get-LcConnection");
            Assert.Same(passThru.BaseObject, Assert.Single(got.Output).BaseObject);

            var bye = _ps.Run("Disconnect-Lc");
            Assert.Contains(bye.Verbose, v => v.StartsWith("Disconnected"));
            Assert.Empty(_ps.Run("Get-LcConnection").Output);
            Assert.Contains(_ps.Run("Disconnect-Lc").Verbose, v => v == "There was no current connection.");
        }

        [Fact]
        public void Api_cmdlets_without_a_connection_say_to_run_Connect_Lc_and_send_nothing()
        {
            var rec = _ps.Run("New-LcConversation -ContactId contact-a001");
            Assert.Equal("NotConnected", ErrorId(rec.Terminating!));
            Assert.Equal(ErrorCategory.ConnectionError, rec.Terminating!.CategoryInfo.Category);
            Assert.Equal("Run Connect-Lc (or pass -Connection).", rec.Terminating.ErrorDetails.RecommendedAction);
            Assert.Empty(_emu.Requests());
        }

        [Fact]
        public void The_session_is_shared_by_every_thread_of_the_process()
        {
            Connect();
            var results = new string?[4];
            var threads = Enumerable.Range(0, 4).Select(i => new System.Threading.Thread(() =>
            {
                using var ps = new PsSession(); // a runspace of its own, no -Connection: the process-wide one
                var rec = ps.Run("Get-LcConversation -Id $id", ("id", $"conv-a00{i + 1}"));
                results[i] = rec.Output.Count == 1 ? Str(rec.Output[0], "Id") : null;
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(new[] { "conv-a001", "conv-a002", "conv-a003", "conv-a004" }, results);
        }
    }
}
