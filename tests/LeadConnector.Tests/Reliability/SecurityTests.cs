using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using LeadConnector.Commands;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Reliability
{
    /// <summary>
    /// The access token never reaches anything a user or a log can see: every cmdlet, in success and failure paths,
    /// including servers that echo the token back. Everything the recorder saw is scanned (every stream, every
    /// exception's ToString), plus each output object's public property values and its JSON serialisation.
    /// </summary>
    [Collection("Emulator")]
    public class SecurityTests : IDisposable
    {
        private const string WrongToken = "pit-wrong-9f8e7d6c5b4a3210-secret";
        private static readonly string[] Secrets = { Seed.AlphaToken, Seed.BetaToken, WrongToken };

        private readonly EmulatorFixture _emu;

        public SecurityTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
            ConnectionStore.Set(null);
        }

        public void Dispose() => ConnectionStore.Set(null);

        private static string IsolatedLocation() => "loc-alpha-sec-" + Guid.NewGuid().ToString("N").Substring(0, 12);

        /// <summary>Every API cmdlet, with parameters that succeed against the seeded data (a null connection = the current one).</summary>
        private static readonly (string Name, Func<Connection?, LcCmdlet> Make)[] ApiCmdlets =
        {
            ("New-LcConversation", c => new NewLcConversationCommand { ContactId = "contact-a001", LocationId = Seed.AlphaLocation, Connection = c }),
            ("Get-LcConversation (search)", c => new GetLcConversationCommand { LocationId = Seed.AlphaLocation, Connection = c }),
            ("Get-LcConversation -All", c => new GetLcConversationCommand { LocationId = Seed.AlphaLocation, AllFlag = true, PageSize = 25, Connection = c }),
            ("Get-LcConversation -Id", c => new GetLcConversationCommand { Id = new[] { "conv-a001" }, Connection = c }),
            ("Set-LcConversation", c => new SetLcConversationCommand
            {
                Id = "conv-a001", UnreadCount = 2, Starred = true, Feedback = new Hashtable { ["note"] = "vip" },
                LocationId = Seed.AlphaLocation, PassThruFlag = true, Connection = c,
            }),
            ("Remove-LcConversation", c => new RemoveLcConversationCommand { Id = "conv-a044", ForceFlag = true, Connection = c }),
            ("Get-LcEmailMessage", c => new GetLcEmailMessageCommand { Id = new[] { "email-a001" }, Connection = c }),
        };

        // ------------------------------------------------------------------ the scan

        private static string Show(object? value) => value switch
        {
            null => "",
            string s => s,
            IEnumerable e => string.Join(",", e.Cast<object?>().Select(Show)),
            _ => value.ToString() ?? "",
        };

        private static IEnumerable<LcErrorInfo> AllErrors(CmdletRecorder rec) =>
            rec.Errors.Concat(rec.Terminating == null ? Array.Empty<LcErrorInfo>() : new[] { rec.Terminating });

        /// <summary>Every piece of text the recorder saw, and every value of every object it was handed.</summary>
        private static IEnumerable<string> Texts(CmdletRecorder rec)
        {
            foreach (var s in rec.AllText()) yield return s;
            foreach (var o in rec.Output)
            {
                foreach (var p in o.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    if (p.GetIndexParameters().Length == 0) yield return Show(p.GetValue(o));
                yield return JsonSerializer.Serialize(o, o.GetType());
            }
            foreach (var e in AllErrors(rec))
            {
                yield return e.ErrorId;
                for (var x = e.Exception; x != null; x = x.InnerException) yield return x.Message;
                if (e.Exception is LcException lc)
                {
                    yield return string.Join("|", lc.Messages);
                    yield return lc.BodySnippet ?? "";
                    yield return lc.TraceId ?? "";
                    yield return lc.Method + " " + lc.Path;
                }
            }
        }

        private static void AssertNoSecret(CmdletRecorder rec, string context)
        {
            int scanned = 0;
            foreach (var text in Texts(rec))
            {
                scanned++;
                foreach (var secret in Secrets)
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{context}: a token leaked in: {text}");
            }
            Assert.True(scanned > 0, $"{context}: nothing to scan");
        }

        private void AssertTokenWasSent(string token)
        {
            var log = _emu.Requests();
            Assert.NotEmpty(log);
            Assert.All(log, r => Assert.Equal("Bearer " + token, r.Header("Authorization")));
        }

        // ------------------------------------------------------------------ success paths

        [Fact]
        public void Every_cmdlet_succeeding_shows_no_token_and_the_debug_trace_masks_it()
        {
            var connect = CmdletHarness.Run(new ConnectLcCommand
            {
                AccessToken = SecureStringTransformationAttribute.Convert(Seed.AlphaToken),
                BaseUri = _emu.BaseUri,
                LocationId = Seed.AlphaLocation,
                PassThruFlag = true,
                Environment = _ => null,
            });
            Assert.Null(connect.Terminating);
            Assert.IsType<Connection>(Assert.Single(connect.Output));
            AssertNoSecret(connect, "Connect-Lc -PassThru");

            var show = CmdletHarness.Run(new GetLcConnectionCommand());
            Assert.IsType<Connection>(Assert.Single(show.Output));
            AssertNoSecret(show, "Get-LcConnection");

            foreach (var (name, make) in ApiCmdlets)
            {
                var rec = CmdletHarness.Run(make(null)); // the process-wide connection from Connect-Lc
                Assert.True(rec.Terminating == null && rec.Errors.Count == 0, $"{name}: {AllErrors(rec).FirstOrDefault()?.Message}");
                if (name != "Remove-LcConversation") Assert.NotEmpty(rec.Output);
                Assert.Contains(rec.Debug, d => d.Contains("Authorization: Bearer ***"));
                AssertNoSecret(rec, name);
            }

            var bye = CmdletHarness.Run(new DisconnectLcCommand());
            AssertNoSecret(bye, "Disconnect-Lc");
            Assert.Null(ConnectionStore.Current);

            // Not vacuous: the token did travel, in the Authorization header of every request.
            AssertTokenWasSent(Seed.AlphaToken);
        }

        [Fact]
        public void A_connection_never_shows_its_token()
        {
            var conn = _emu.Connect();
            var texts = new List<string> { conn.ToString(), $"{conn}", JsonSerializer.Serialize(conn) };
            texts.AddRange(typeof(Connection).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => Show(p.GetValue(conn))));
            Assert.All(texts, t => Assert.DoesNotContain(Seed.AlphaToken, t));
            Assert.Equal("***", conn.Token.ToString());
            // The JSON form is the settings, nothing else.
            using var doc = JsonDocument.Parse(JsonSerializer.Serialize(conn));
            Assert.Equal(new[] { "ApiVersion", "BaseUri", "LocationId", "MaxRetries", "MaxRetryTimeSec", "TimeoutSec", "TokenKind" },
                doc.RootElement.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        // ------------------------------------------------------------------ failure paths

        private const string EchoJson = "{\"statusCode\":{0},\"message\":\"Rejected Authorization: Bearer " + "{T}" + " for this request\",\"traceId\":\"trace-{T}\"}";

        private static string Echo(int status) => EchoJson.Replace("{0}", status.ToString()).Replace("{T}", Seed.AlphaToken);

        private static string EchoHtml(int status) =>
            $"<html><head><title>{status}</title></head><body><p>Bad request header: Bearer {Seed.AlphaToken}</p>" +
            "<p>" + new string('z', 300) + "</p></body></html>";

        /// <summary>
        /// Scenario name -> (a connection factory, fault, the error id every cmdlet must report, whether the server
        /// echoed the token where the client shows it, so "***" must appear). Each cmdlet gets a connection with a
        /// location of its own, so a 429 pausing one rate gate does not hold up the next cmdlet.
        /// </summary>
        private (Func<Connection> Conn, FaultRule? Fault, string ErrorId, bool Echoed, string Token) Scenario(string name)
        {
            Func<Connection> Alpha(int maxRetries = 0, int timeoutSec = 10) => () => _emu.Connect(Seed.AlphaToken, IsolatedLocation(), maxRetries, timeoutSec);
            FaultRule Status(int status, string body, string? contentType = null) =>
                new FaultRule { Kind = FaultKind.Status, StatusCode = status, Body = body, ContentType = contentType };
            switch (name)
            {
                case "wrong-token-401": return (() => _emu.Connect(WrongToken, IsolatedLocation()), null, "ApiUnauthorized", false, WrongToken);
                case "other-location-403": return (() => _emu.Connect(Seed.BetaToken, IsolatedLocation()), null, "ApiForbidden", false, Seed.BetaToken);
                case "echo-400": return (Alpha(), Status(400, Echo(400)), "ApiInvalidRequest", true, Seed.AlphaToken);
                case "echo-401": return (Alpha(), Status(401, Echo(401)), "ApiUnauthorized", true, Seed.AlphaToken);
                case "echo-403": return (Alpha(), Status(403, Echo(403)), "ApiForbidden", true, Seed.AlphaToken);
                case "echo-404": return (Alpha(), Status(404, Echo(404)), "ApiNotFound", true, Seed.AlphaToken);
                case "echo-422":
                    return (Alpha(), Status(422, "{\"statusCode\":422,\"message\":[\"token " + Seed.AlphaToken + " is not allowed\",\"locationId must be a string\"],\"error\":\"Unprocessable Entity\"}"),
                        "ApiInvalidRequest", true, Seed.AlphaToken);
                case "echo-429": return (Alpha(), Status(429, Echo(429)), "ApiRateLimited", true, Seed.AlphaToken);
                case "echo-503-after-retries": return (Alpha(maxRetries: 2), Status(503, Echo(503)), "ApiServerError", true, Seed.AlphaToken);
                case "echo-502-html": return (Alpha(maxRetries: 1), Status(502, EchoHtml(502), "text/html"), "ApiServerError", true, Seed.AlphaToken);
                case "echo-200-not-json":
                    return (Alpha(), new FaultRule { Kind = FaultKind.Garbage, Body = EchoHtml(200), ContentType = "text/html" }, "InvalidApiResponse", true, Seed.AlphaToken);
                case "echo-truncated":
                    return (Alpha(), new FaultRule { Kind = FaultKind.TruncatedBody, Body = "{\"token\":\"" + Seed.AlphaToken + "\",\"padding\":\"" + new string('x', 200) + "\"}" },
                        "NetworkError", false, Seed.AlphaToken);
                case "dropped": return (Alpha(), new FaultRule { Kind = FaultKind.DropConnection }, "NetworkError", false, Seed.AlphaToken);
                case "timeout": return (Alpha(timeoutSec: 1), new FaultRule { Kind = FaultKind.Delay, DelayMs = 3000 }, "RequestTimedOut", false, Seed.AlphaToken);
                default: throw new ArgumentException(name);
            }
        }

        [Theory]
        [InlineData("wrong-token-401")]
        [InlineData("other-location-403")]
        [InlineData("echo-400")]
        [InlineData("echo-401")]
        [InlineData("echo-403")]
        [InlineData("echo-404")]
        [InlineData("echo-422")]
        [InlineData("echo-429")]
        [InlineData("echo-503-after-retries")]
        [InlineData("echo-502-html")]
        [InlineData("echo-200-not-json")]
        [InlineData("echo-truncated")]
        [InlineData("dropped")]
        [InlineData("timeout")]
        public void Every_cmdlet_failing_shows_no_token(string scenario)
        {
            var (conn, fault, errorId, echoed, token) = Scenario(scenario);
            if (fault != null) _emu.State.Faults.Add(fault);

            foreach (var (name, make) in ApiCmdlets)
            {
                var rec = CmdletHarness.Run(make(conn()));
                var errors = AllErrors(rec).ToList();
                var e = Assert.Single(errors);
                Assert.True(errorId == e.ErrorId, $"{scenario} {name}: expected {errorId}, got {e.ErrorId}: {e.Message}");
                var ex = Assert.IsType<LcException>(e.Exception);
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                Assert.DoesNotContain(token, ex.ToString());
                if (echoed)
                    Assert.True(errors.Any(x => x.Message.Contains("***")) || rec.Debug.Any(d => d.Contains("Body:") && d.Contains("***")),
                        $"{scenario} {name}: the echoed token was not visibly masked: {e.Message}");
                AssertNoSecret(rec, $"{scenario} {name}");
            }
            if (fault != null) Assert.Contains(_emu.Requests(), r => r.Fault != null);
            AssertTokenWasSent(token);
        }

        [Fact]
        public void Natural_errors_of_every_cmdlet_show_no_token()
        {
            var conn = _emu.Connect();
            var runs = new (string Name, LcCmdlet Cmdlet, string ErrorId)[]
            {
                ("Get -Id missing", new GetLcConversationCommand { Id = new[] { "conv-missing" }, Connection = conn }, "ApiNotFound"),
                ("Set missing", new SetLcConversationCommand { Id = "conv-missing", UnreadCount = 1, Connection = conn }, "ApiNotFound"),
                ("Remove missing", new RemoveLcConversationCommand { Id = "conv-missing", ForceFlag = true, Connection = conn }, "ApiNotFound"),
                ("Email missing", new GetLcEmailMessageCommand { Id = new[] { "email-missing" }, Connection = conn }, "ApiNotFound"),
                ("Search 422", new GetLcConversationCommand { LastMessageType = "TYPE_NOPE", Connection = conn }, "ApiInvalidRequest"),
                ("Set other location", new SetLcConversationCommand { Id = "conv-a001", Starred = true, LocationId = Seed.BetaLocation, Connection = conn }, "ApiForbidden"),
                ("New other location", new NewLcConversationCommand { ContactId = "contact-a001", LocationId = Seed.BetaLocation, Connection = conn }, "ApiForbidden"),
                ("Get -Id invalid", new GetLcConversationCommand { Id = new[] { "a/b" }, Connection = conn }, "InvalidId"),
                ("Set invalid", new SetLcConversationCommand { Id = "a?b", UnreadCount = 1, Connection = conn }, "InvalidId"),
                ("Remove invalid", new RemoveLcConversationCommand { Id = "..", ForceFlag = true, Connection = conn }, "InvalidId"),
                ("Email invalid", new GetLcEmailMessageCommand { Id = new[] { "x y" }, Connection = conn }, "InvalidId"),
                ("New invalid", new NewLcConversationCommand { ContactId = "a#b", Connection = conn }, "InvalidId"),
                ("Set nothing", new SetLcConversationCommand { Id = "conv-a001", Connection = conn }, "NothingToUpdate"),
                ("Get not connected", new GetLcConversationCommand { Id = new[] { "conv-a001" } }, "NotConnected"),
            };
            foreach (var (name, cmdlet, errorId) in runs)
            {
                var rec = CmdletHarness.Run(cmdlet);
                var e = Assert.Single(AllErrors(rec));
                Assert.True(errorId == e.ErrorId, $"{name}: expected {errorId}, got {e.ErrorId}: {e.Message}");
                AssertNoSecret(rec, name);
            }
            AssertTokenWasSent(Seed.AlphaToken);
        }

        [Fact]
        public void Connect_failures_show_no_token()
        {
            const string spaced = "pit-spaced secret-0011223344";
            var runs = new (string Name, ConnectLcCommand Cmdlet, string ErrorId, string Secret)[]
            {
                ("http to a remote host", new ConnectLcCommand { AccessToken = SecureStringTransformationAttribute.Convert(Seed.AlphaToken),
                    BaseUri = new Uri("http://services.leadconnectorhq.com"), Environment = _ => null }, "InvalidBaseUri", Seed.AlphaToken),
                ("token with a space", new ConnectLcCommand { AccessToken = SecureStringTransformationAttribute.Convert(spaced),
                    BaseUri = _emu.BaseUri, Environment = _ => null }, "InvalidConnectionSetting", spaced),
                ("bad MaxRetries", new ConnectLcCommand { AccessToken = SecureStringTransformationAttribute.Convert(Seed.AlphaToken),
                    BaseUri = _emu.BaseUri, MaxRetries = 50, Environment = _ => null }, "InvalidConnectionSetting", Seed.AlphaToken),
                ("no token", new ConnectLcCommand { Environment = _ => null }, "NoAccessToken", Seed.AlphaToken),
            };
            foreach (var (name, cmdlet, errorId, secret) in runs)
            {
                var rec = CmdletHarness.Run(cmdlet);
                Assert.True(errorId == rec.Terminating?.ErrorId, $"{name}: got {rec.Terminating?.ErrorId}");
                AssertNoSecret(rec, name);
                Assert.All(Texts(rec), t => Assert.DoesNotContain(secret, t));
                Assert.All(Texts(rec), t => Assert.DoesNotContain("spaced secret", t));
            }

            // From the environment: the verbose line names the variable, not its value.
            var env = CmdletHarness.Run(new ConnectLcCommand
            {
                BaseUri = _emu.BaseUri,
                PassThruFlag = true,
                Environment = n => n == "LC_ACCESS_TOKEN" ? Seed.AlphaToken : n == "LC_LOCATION_ID" ? Seed.AlphaLocation : null,
            });
            Assert.Contains(env.Verbose, v => v.Contains("LC_ACCESS_TOKEN"));
            AssertNoSecret(env, "Connect-Lc from the environment");
            Assert.Empty(_emu.Requests()); // none of these needed the network
        }

        // ------------------------------------------------------------------ a token cut by a length limit

        /// <summary>
        /// BUG (src/LeadConnector.Engine/Http/ApiErrors.cs, FromResponse / Snippet): a body that is not JSON is cut to
        /// 160 characters first and redacted afterwards. When the echoed token straddles the cut, the redactor no
        /// longer finds the whole token and the first characters (here all but the last) appear in the error message.
        /// </summary>
        [Fact]
        public void An_echoed_token_cut_by_the_error_snippet_limit_does_not_leak_in_part()
        {
            var page = "<html><body><p>";
            page += new string('x', 160 - (Seed.AlphaToken.Length - 1) - page.Length) + Seed.AlphaToken + "</p></body></html>";
            Assert.Equal(160 - (Seed.AlphaToken.Length - 1), page.IndexOf(Seed.AlphaToken, StringComparison.Ordinal));
            _emu.State.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 502, Body = page, ContentType = "text/html" });

            var rec = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { "conv-a001" }, Connection = _emu.Connect(maxRetries: 0) });
            var e = Assert.Single(rec.Errors);
            Assert.Equal("ApiServerError", e.ErrorId);
            var prefix = Seed.AlphaToken.Substring(0, Seed.AlphaToken.Length - 1);
            Assert.DoesNotContain(prefix, e.Message);
        }

        /// <summary>
        /// BUG (src/LeadConnector.Engine/Http/LcClient.cs, TraceResponse): the same for the debug trace, whose body
        /// snippet is cut to 500 characters before the redactor runs.
        /// </summary>
        [Fact]
        public void An_echoed_token_cut_by_the_debug_trace_limit_does_not_leak_in_part()
        {
            var page = "<html><body><p>";
            page += new string('x', 500 - (Seed.AlphaToken.Length - 1) - page.Length) + Seed.AlphaToken + "</p></body></html>";
            _emu.State.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 502, Body = page, ContentType = "text/html" });

            var rec = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { "conv-a001" }, Connection = _emu.Connect(maxRetries: 0) });
            Assert.Single(rec.Errors);
            var prefix = Seed.AlphaToken.Substring(0, Seed.AlphaToken.Length - 1);
            Assert.DoesNotContain(rec.Debug, d => d.Contains(prefix, StringComparison.Ordinal));
        }
    }
}
