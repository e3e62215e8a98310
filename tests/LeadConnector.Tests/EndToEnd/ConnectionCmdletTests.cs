using System;
using System.Linq;
using System.Security;
using LeadConnector.Commands;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EndToEnd
{
    [Collection("Emulator")]
    public class ConnectionCmdletTests : IDisposable
    {
        private readonly EmulatorFixture _emu;

        public ConnectionCmdletTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
            ConnectionStore.Set(null);
        }

        public void Dispose() => ConnectionStore.Set(null);

        private ConnectLcCommand Connect(string? token = Seed.AlphaToken) => new ConnectLcCommand
        {
            AccessToken = SecureStringTransformationAttribute.Convert(token),
            BaseUri = _emu.BaseUri,
            LocationId = Seed.AlphaLocation,
            Environment = _ => null,
        };

        [Fact]
        public void Connect_stores_the_process_wide_connection_and_PassThru_emits_it_without_the_token()
        {
            var cmd = Connect();
            cmd.PassThruFlag = true;
            var rec = CmdletHarness.Run(cmd);
            Assert.Null(rec.Terminating);
            var c = Assert.IsType<Connection>(Assert.Single(rec.Output));
            Assert.Same(c, ConnectionStore.Current);
            Assert.Equal(Seed.AlphaLocation, c.LocationId);
            Assert.Equal(TokenKind.PrivateIntegration, c.TokenKind);
            Assert.Equal("2021-07-28", c.ApiVersion);
            Assert.DoesNotContain(rec.AllText(), s => s.Contains(Seed.AlphaToken));
            Assert.Contains(rec.Verbose, v => v.Contains("Connected to") && v.Contains(Seed.AlphaLocation));
            // No public member of the connection exposes the token.
            foreach (var p in typeof(Connection).GetProperties())
                Assert.DoesNotContain(Seed.AlphaToken, p.GetValue(c)?.ToString() ?? "");
        }

        [Fact]
        public void Without_PassThru_Connect_writes_nothing()
        {
            var rec = CmdletHarness.Run(Connect());
            Assert.Empty(rec.Output);
            Assert.NotNull(ConnectionStore.Current);
        }

        [Fact]
        public void Connect_reads_the_token_and_location_from_the_environment()
        {
            var cmd = new ConnectLcCommand
            {
                BaseUri = _emu.BaseUri,
                Environment = n => n == "LC_ACCESS_TOKEN" ? Seed.BetaToken : n == "LC_LOCATION_ID" ? Seed.BetaLocation : null,
            };
            var rec = CmdletHarness.Run(cmd);
            Assert.Null(rec.Terminating);
            Assert.Equal(Seed.BetaLocation, ConnectionStore.Current!.LocationId);
            var get = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { "conv-b001" } });
            Assert.Equal("conv-b001", Assert.Single(get.OutputOf<Conversation>()).Id);
        }

        [Fact]
        public void Connect_takes_a_credential_whose_password_is_the_token()
        {
            var secure = SecureStringTransformationAttribute.Convert(Seed.AlphaToken);
            var cmd = new ConnectLcCommand
            {
                Credential = new System.Management.Automation.PSCredential("ignored", secure!),
                CredentialPassword = _ => secure,
                BaseUri = _emu.BaseUri,
                LocationId = Seed.AlphaLocation,
                Environment = _ => null,
            };
            CmdletHarness.Run(cmd);
            var get = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { "conv-a001" } });
            Assert.Single(get.Output);
        }

        [Fact]
        public void No_token_anywhere_is_a_terminating_NoAccessToken_error()
        {
            var rec = CmdletHarness.Run(new ConnectLcCommand { Environment = _ => null });
            Assert.Equal("NoAccessToken", rec.Terminating!.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, rec.Terminating.Category);
            Assert.Contains("LC_ACCESS_TOKEN", rec.Terminating.Message);
            Assert.Null(ConnectionStore.Current);
        }

        [Fact]
        public void Http_to_a_remote_host_is_refused_as_a_security_error()
        {
            var cmd = Connect();
            cmd.BaseUri = new Uri("http://services.leadconnectorhq.com");
            var rec = CmdletHarness.Run(cmd);
            Assert.Equal("InvalidBaseUri", rec.Terminating!.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, rec.Terminating.Category);
            Assert.Contains("http://", rec.Terminating.Message);
            Assert.Null(ConnectionStore.Current);
        }

        [Fact]
        public void A_string_token_is_accepted_and_other_types_are_refused()
        {
            Assert.IsType<SecureString>(SecureStringTransformationAttribute.Convert("abc"));
            var s = new SecureString();
            Assert.Same(s, SecureStringTransformationAttribute.Convert(s));
            Assert.ThrowsAny<Exception>(() => SecureStringTransformationAttribute.Convert(42));
        }

        [Fact]
        public void Get_connection_and_disconnect()
        {
            var none = CmdletHarness.Run(new GetLcConnectionCommand());
            Assert.Null(none.Terminating);
            Assert.Empty(none.Output);
            Assert.Contains(none.Verbose, v => v.Contains("Connect-Lc"));

            CmdletHarness.Run(Connect());
            var got = CmdletHarness.Run(new GetLcConnectionCommand());
            Assert.Same(ConnectionStore.Current, Assert.Single(got.Output));

            var bye = CmdletHarness.Run(new DisconnectLcCommand());
            Assert.Null(ConnectionStore.Current);
            Assert.Contains(bye.Verbose, v => v.StartsWith("Disconnected"));
            Assert.Empty(CmdletHarness.Run(new GetLcConnectionCommand()).Output);
        }

        [Fact]
        public void Api_cmdlets_without_a_connection_say_to_run_Connect_Lc_and_send_nothing()
        {
            var rec = CmdletHarness.Run(new NewLcConversationCommand { ContactId = "contact-a001" });
            Assert.Equal("NotConnected", rec.Terminating!.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, rec.Terminating.Category);
            Assert.Empty(_emu.Requests());
        }

        [Fact]
        public void The_session_is_shared_by_every_thread_of_the_process()
        {
            CmdletHarness.Run(Connect());
            var results = new Conversation?[4];
            var threads = Enumerable.Range(0, 4).Select(i => new System.Threading.Thread(() =>
            {
                var rec = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { $"conv-a00{i + 1}" } });
                results[i] = rec.OutputOf<Conversation>().SingleOrDefault();
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.All(results, r => Assert.NotNull(r));
        }
    }
}
