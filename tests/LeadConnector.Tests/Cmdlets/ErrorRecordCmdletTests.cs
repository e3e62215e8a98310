using System;
using System.Linq;
using System.Management.Automation;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;
using static LeadConnector.Tests.Infrastructure.PsResult;

namespace LeadConnector.Tests.Cmdlets
{
    /// <summary>How API failures reach a PowerShell user: error id, category, target, terminating or not; and garbage never crashes.</summary>
    [Collection("Emulator")]
    public class ErrorRecordCmdletTests : IDisposable
    {
        private readonly EmulatorFixture _emu;
        private readonly PsSession _ps = new PsSession();

        public ErrorRecordCmdletTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
        }

        public void Dispose() => _ps.Dispose();

        /// <summary>Was ErrorMappingTests' check of ErrorMap (id, category, target), now as the ErrorRecord a user gets.</summary>
        [Theory]
        [InlineData(400, "ApiInvalidRequest", ErrorCategory.InvalidArgument, false)]
        [InlineData(422, "ApiInvalidRequest", ErrorCategory.InvalidArgument, false)]
        [InlineData(401, "ApiUnauthorized", ErrorCategory.AuthenticationError, true)]
        [InlineData(403, "ApiForbidden", ErrorCategory.PermissionDenied, false)]
        [InlineData(404, "ApiNotFound", ErrorCategory.ObjectNotFound, false)]
        [InlineData(429, "ApiRateLimited", ErrorCategory.LimitsExceeded, false)]
        [InlineData(500, "ApiServerError", ErrorCategory.ResourceUnavailable, false)]
        [InlineData(503, "ApiServerError", ErrorCategory.ResourceUnavailable, false)]
        public void Each_status_gives_its_error_id_and_category(int status, string id, ErrorCategory category, bool terminating)
        {
            var conn = _ps.Connect(_emu, Seed.AlphaToken, "loc-alpha-err-" + Guid.NewGuid().ToString("N").Substring(0, 8), maxRetries: 0);
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.Status, StatusCode = status, ContentType = "application/json",
                Body = "{\"statusCode\":" + status + ",\"message\":\"Boom\",\"traceId\":\"tr-1\"}" });
            var rec = _ps.Run("Get-LcConversation -Id c1 -Connection $c; 'went on'", ("c", conn));
            var e = Assert.Single(rec.AllErrors);
            Assert.Equal(terminating, rec.Terminating != null);
            Assert.Equal(terminating ? 0 : 1, rec.Output.Count);
            Assert.Equal(id + ",LeadConnector.Commands.GetLcConversationCommand", e.FullyQualifiedErrorId);
            Assert.Equal(category, e.CategoryInfo.Category);
            Assert.Equal("c1", e.TargetObject);
            Assert.Contains("Boom", e.Exception.Message);
            Assert.Contains("Boom", e.ToString());
        }

        /// <summary>
        /// The cmdlet side of FuzzTests (which fuzzes the engine over a fake handler): a smaller set of garbage answers
        /// through the emulator's faults, to every API cmdlet. Whatever comes back, a user sees an output object or an
        /// InvalidApiResponse / NetworkError (ApiNotFound for the 404) ErrorRecord carrying an LcException, never an
        /// unexpected exception and never a terminating error.
        /// </summary>
        [Fact]
        public void Garbage_answers_give_error_records_not_crashes()
        {
            var deep = new string('[', 5000) + new string(']', 5000);
            var faults = new (string What, FaultRule Rule, string[] Allowed)[]
            {
                ("escaped lone surrogate", Garbage("{\"id\":\"conv-1\",\"locationId\":\"loc-alpha\",\"fullName\":\"\\udc00\"}"), Invalid),
                ("lone surrogate in a 404 message", new FaultRule { Kind = FaultKind.Status, StatusCode = 404, ContentType = "application/json",
                    Body = "{\"statusCode\":404,\"message\":\"not \\udc00 found\"}" }, new[] { "ApiNotFound" }),
                ("cut JSON", Garbage("{\"id\":\"c1\",\"loca"), Invalid),
                ("html", Garbage("<html><body>hello</body></html>", "text/html"), Invalid),
                ("empty", Garbage(""), Invalid),
                ("null", Garbage("null"), Invalid),
                ("array", Garbage("[1,2,3]"), Invalid),
                ("number", Garbage("42"), Invalid),
                ("wrong types", Garbage("{\"id\":12,\"conversation\":{\"id\":{}},\"conversations\":\"x\",\"total\":\"many\",\"message\":[]}"), Invalid),
                ("deep nesting", Garbage(deep), Invalid),
                ("control characters", Garbage("\u0000\u0001\u0002{\"id\":\"\u0000\"}"), Invalid),
                ("truncated", new FaultRule { Kind = FaultKind.TruncatedBody, Body = "{\"id\":\"conv-a001\",\"padding\":\"" + new string('x', 200) + "\"}" }, Invalid),
            };
            var scripts = new[]
            {
                "Get-LcConversation -Id conv-a001 -Connection $c",
                "Get-LcConversation -Connection $c",
                "Get-LcEmailMessage -Id email-a001 -Connection $c",
                "New-LcConversation -ContactId contact-a001 -Connection $c",
                "Set-LcConversation -Id conv-a001 -UnreadCount 1 -Connection $c",
                "Remove-LcConversation -Id conv-a044 -Force -Connection $c",
            };
            var conn = _ps.Connect(_emu, maxRetries: 0);
            int errors = 0;
            foreach (var (what, rule, allowed) in faults)
            {
                _emu.State.Faults.Clear();
                _emu.State.Faults.Add(rule);
                foreach (var script in scripts)
                {
                    var rec = _ps.Run(script + "; 'went on'", ("c", conn));
                    Assert.True(rec.Terminating == null, $"{what} / {script}: terminating {rec.Terminating?.FullyQualifiedErrorId}: {rec.Terminating}");
                    Assert.Equal("went on", rec.Output.Last().BaseObject);
                    foreach (var e in rec.Errors)
                    {
                        errors++;
                        Assert.True(allowed.Contains(ErrorId(e)), $"{what} / {script}: {e.FullyQualifiedErrorId}: {e.Exception.GetType().FullName}: {e}");
                        Assert.Equal("LeadConnector.LcException", e.Exception.GetType().FullName);
                        Assert.False(string.IsNullOrWhiteSpace(e.Exception.Message));
                    }
                }
            }
            Assert.True(errors >= faults.Length * 3, $"only {errors} errors: the faults did not bite");
        }

        private static readonly string[] Invalid = { "InvalidApiResponse", "NetworkError" };

        private static FaultRule Garbage(string body, string contentType = "application/json") =>
            new FaultRule { Kind = FaultKind.Garbage, Body = body, ContentType = contentType };
    }
}
