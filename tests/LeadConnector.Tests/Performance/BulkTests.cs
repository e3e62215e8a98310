using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;
using Xunit.Abstractions;
using static LeadConnector.Tests.Infrastructure.TestLocations;

namespace LeadConnector.Tests.Performance
{
    /// <summary>
    /// Bulk work at scale, as behaviour (never timings): -ThrottleLimit keeps the input order and bounds the requests in
    /// flight, ShouldProcess is asked per record before its request, Ctrl+C cancels everything in flight, parallel
    /// runspaces share one limiter, and streaming does not hold on to what it has written.
    /// </summary>
    [Collection("Emulator")]
    public class BulkTests : IDisposable
    {
        private readonly EmulatorFixture _emu;
        private readonly ITestOutputHelper _out;
        private readonly PsSession _ps = new PsSession();

        public BulkTests(EmulatorFixture emu, ITestOutputHelper output)
        {
            _emu = emu;
            _out = output;
            _emu.Reset();
        }

        public void Dispose() => _ps.Dispose();

        private static string Conv(int i) => Seed.AlphaConversationId(i);

        private void DelayGet(string pathPrefix, int ms, FaultStage stage = FaultStage.BeforeProcessing) =>
            _emu.State.Faults.Add(new FaultRule { Method = "GET", PathPrefix = pathPrefix, Kind = FaultKind.Delay, DelayMs = ms, Stage = stage });

        /// <summary>Output and errors in the order PowerShell wrote them: "O:id" for a conversation, "E:target" for an error.</summary>
        private const string Tagged =
            " 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'E:' + $_.TargetObject } else { 'O:' + $_.Id } }";

        // ------------------------------------------------------------------ order

        [Fact]
        public void Output_and_errors_keep_the_input_order_when_answers_arrive_out_of_order()
        {
            _ps.Connect(_emu);
            // The first ids are the slowest: answers arrive in about the reverse of the input order. The first is held
            // long (3 s) so that "every request arrived before it was answered" does not depend on the machine's speed.
            const int slowest = 3000;
            DelayGet("/conversations/" + Conv(1), slowest);
            DelayGet("/conversations/conv-missing-1", 700);
            DelayGet("/conversations/" + Conv(2), 500);
            DelayGet("/conversations/" + Conv(3), 300);
            var ids = new[] { Conv(1), "conv-missing-1", Conv(2), Conv(3), "conv-missing-2", Conv(4) };

            var rec = _ps.Run("Get-LcConversation -Id $ids -ThrottleLimit 8" + Tagged, ("ids", ids));

            Assert.Null(rec.Terminating);
            Assert.Equal(new[] { "O:" + Conv(1), "E:conv-missing-1", "O:" + Conv(2), "O:" + Conv(3), "E:conv-missing-2", "O:" + Conv(4) },
                rec.Output.Select(o => o.ToString()).ToArray());
            // They really ran at once: every request arrived before the slowest could be answered (the server holds it
            // 3 s after it arrived). Sent one after another, the second would have arrived only after that answer.
            var log = _emu.Requests();
            Assert.Equal(6, log.Length);
            var slowestAnsweredNoEarlierThan = log.Single(r => r.Path == "/conversations/" + Conv(1)).ReceivedAt.AddMilliseconds(slowest);
            Assert.True(log.All(r => r.ReceivedAt < slowestAnsweredNoEarlierThan),
                string.Join(", ", log.Select(r => $"{r.Path}@{r.ReceivedAt:ss.fff}")));
        }

        [Fact]
        public void Piped_ids_keep_their_order_through_Set_with_PassThru()
        {
            _ps.Connect(_emu);
            _emu.State.Faults.Add(new FaultRule { Method = "PUT", PathPrefix = "/conversations/" + Conv(5), Kind = FaultKind.Delay, DelayMs = 600 });
            _emu.State.Faults.Add(new FaultRule { Method = "PUT", PathPrefix = "/conversations/" + Conv(6), Kind = FaultKind.Delay, DelayMs = 300 });
            var ids = new[] { Conv(5), Conv(6), "conv-missing-3", Conv(7) };

            var rec = _ps.Run("$ids | ForEach-Object { [pscustomobject]@{ Id = $_ } } | Set-LcConversation -Starred $true -PassThru -Confirm:$false" + Tagged,
                ("ids", ids));

            Assert.Null(rec.Terminating);
            Assert.Equal(new[] { "O:" + Conv(5), "O:" + Conv(6), "E:conv-missing-3", "O:" + Conv(7) }, rec.Output.Select(o => o.ToString()).ToArray());
        }

        // ------------------------------------------------------------------ bounded

        /// <summary>
        /// Every GET takes at least 400 ms on the server. Requests that arrived within 400 ms of each other were all in
        /// flight at the same moment, so the most that arrive in any such span is at most the concurrency the client
        /// used: never more than -ThrottleLimit. That the client does use all of it is shown by the first window, whose
        /// requests the server holds 3 s: all of them arrive before the first can be answered, however slow the machine.
        /// </summary>
        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void The_requests_in_flight_never_exceed_ThrottleLimit(int limit)
        {
            _ps.Connect(_emu);
            const int delay = 400, firstWindowHold = 3000;
            if (limit > 1)
                _emu.State.Faults.Add(new FaultRule { Method = "GET", PathPrefix = "/conversations/", Kind = FaultKind.Delay, DelayMs = firstWindowHold, Count = limit });
            DelayGet("/conversations/", delay);
            var ids = Enumerable.Range(1, 12).Select(Conv).ToArray();

            var rec = _ps.Run("Get-LcConversation -Id $ids -ThrottleLimit $t", ("ids", ids), ("t", limit));

            Assert.Null(rec.Terminating);
            Assert.Empty(rec.Errors);
            Assert.Equal(ids, rec.Ids);
            var at = _emu.Requests().Select(r => r.ReceivedAt).OrderBy(t => t).ToArray();
            int most = at.Select(start => at.Count(t => t >= start && t < start.AddMilliseconds(delay - 50))).Max();
            _out.WriteLine($"-ThrottleLimit {limit}: at most {most} in flight; the first {limit} arrived within {(at[limit - 1] - at[0]).TotalMilliseconds:0} ms");
            Assert.True(most <= limit, $"{most} requests were in flight at once");
            Assert.True(at[limit - 1] < at[0].AddMilliseconds(limit > 1 ? firstWindowHold : delay),
                $"the first {limit} requests were not all in flight before the first was answered: " + string.Join(", ", at.Select(t => $"{t:ss.fff}")));
        }

        [Fact]
        public void ThrottleLimit_is_validated_1_to_64()
        {
            var rec = _ps.Run("Get-LcConversation -Id conv-a001 -ThrottleLimit 65");
            Assert.NotNull(rec.Terminating);
            Assert.Contains("ParameterArgumentValidationError", rec.Terminating!.FullyQualifiedErrorId);
        }

        // ------------------------------------------------------------------ ShouldProcess

        [Fact]
        public void WhatIf_sends_nothing_for_any_record()
        {
            _ps.Connect(_emu);
            var ids = Enumerable.Range(1, 5).Select(Conv).ToArray();

            var rec = _ps.Run("$ids | Remove-LcConversation -WhatIf -ThrottleLimit 8", ("ids", ids));

            Assert.Null(rec.Terminating);
            Assert.Equal(5, rec.WhatIf.Count());
            Assert.Empty(_emu.Requests());
        }

        [Fact]
        public void Answering_No_for_one_record_skips_only_that_record_and_it_is_asked_before_its_request()
        {
            _ps.Connect(_emu);
            var ids = new[] { Conv(8), Conv(9), Conv(10) };
            foreach (var a in new[] { "Y", "N", "Y" }) _ps.Host.TestUI.Answers.Enqueue(a);

            var rec = _ps.Run("$ids | Remove-LcConversation -Confirm -ThrottleLimit 8", ("ids", ids));

            Assert.Null(rec.Terminating);
            Assert.Empty(rec.Errors);
            Assert.Equal(3, rec.Prompts.Count);
            Assert.Equal(new[] { "/conversations/" + Conv(8), "/conversations/" + Conv(10) },
                _emu.Requests().Where(r => r.Method == "DELETE").Select(r => r.Path).OrderBy(p => p, StringComparer.Ordinal).ToArray());
        }

        // ------------------------------------------------------------------ Ctrl+C

        /// <summary>
        /// Ctrl+C is pressed once the whole window (6 requests) has reached the server, which holds every answer 5 s.
        /// Nothing may come out, nothing may start after the stop, the stop must not wait for the answers, and no request
        /// may be left running: had a client stayed, its request would have been processed when the server's delay ran out.
        /// </summary>
        [Fact]
        public void Ctrl_C_cancels_every_request_in_flight_and_starts_no_more()
        {
            _ps.Connect(_emu);
            const int delay = 5000;
            DelayGet("/conversations/", delay);
            var ids = Enumerable.Range(1, 20).Select(Conv).ToArray();

            var rec = _ps.RunAndStop("Get-LcConversation -Id $ids -ThrottleLimit 6", new Dictionary<string, object?> { ["ids"] = ids },
                _ => _emu.State.Requests.Count >= 6, "the 6 requests of the window to reach the emulator");

            var atEnd = _emu.Requests();
            _out.WriteLine($"ended {rec.StopToEnd?.TotalMilliseconds:0} ms after Ctrl+C; arrivals: " +
                string.Join(", ", atEnd.Select(r => $"{r.Path}@{r.ReceivedAt:ss.fff}")));
            Assert.NotNull(rec.Stopped);
            Assert.Empty(rec.Output);
            Assert.Equal(6, atEnd.Length); // the window, and nothing started after the stop
            // The stop did not wait for the server: no answer had been given when the command ended.
            Assert.All(atEnd, r => Assert.False(r.Processed, $"{r} was answered before the command ended"));

            // A probe held as long as they were, sent after them, is answered only once their delays have run out.
            var probe = _emu.ProbeGet("/conversations/" + Conv(21));
            var log = _emu.Requests().Where(r => r.Sequence != probe.Sequence).ToArray();
            Assert.True(probe.Processed);
            Assert.Equal(6, log.Length);
            Assert.All(log, r => Assert.False(r.Processed, $"{r} was still waited for"));
        }

        // ------------------------------------------------------------------ every by-id read shares the window

        /// <summary>The by-id reads that go through the same bulk window as Get-LcConversation: (cmdlet, GET path, id of n).</summary>
        public static IEnumerable<object[]> ByIdReads() => new[]
        {
            new object[] { "Get-LcContact", "/contacts/", "contact-a{0:000}" },
            new object[] { "Get-LcEmailMessage", "/conversations/messages/email/", "email-a{0:000}" },
        };

        private static string IdOf(string format, int n) => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, n);

        [Theory]
        [MemberData(nameof(ByIdReads))]
        public void By_id_reads_keep_the_input_order_with_ThrottleLimit(string cmdlet, string path, string idFormat)
        {
            _ps.Connect(_emu);
            var missing = IdOf(idFormat, 1).Split('-')[0] + "-missing-";
            // The first ids are the slowest: answers arrive in about the reverse of the input order. The first is held
            // 3 s, so that "every request arrived before it was answered" does not depend on the machine's speed.
            const int slowest = 3000;
            DelayGet(path + IdOf(idFormat, 1), slowest);
            DelayGet(path + missing + "1", 700);
            DelayGet(path + IdOf(idFormat, 2), 500);
            DelayGet(path + IdOf(idFormat, 3), 300);
            var ids = new[] { IdOf(idFormat, 1), missing + "1", IdOf(idFormat, 2), IdOf(idFormat, 3), missing + "2", IdOf(idFormat, 4) };

            var rec = _ps.Run(cmdlet + " -Id $ids -ThrottleLimit 8" + Tagged, ("ids", ids));

            Assert.Null(rec.Terminating);
            Assert.Equal(new[] { "O:" + ids[0], "E:" + ids[1], "O:" + ids[2], "O:" + ids[3], "E:" + ids[4], "O:" + ids[5] },
                rec.Output.Select(o => o.ToString()).ToArray());
            // They really ran at once: every request arrived before the slowest could be answered.
            var log = _emu.Requests();
            Assert.Equal(6, log.Length);
            var slowestAnsweredNoEarlierThan = log.Single(r => r.Path == path + IdOf(idFormat, 1)).ReceivedAt.AddMilliseconds(slowest);
            Assert.True(log.All(r => r.ReceivedAt < slowestAnsweredNoEarlierThan),
                string.Join(", ", log.Select(r => $"{r.Path}@{r.ReceivedAt:ss.fff}")));
        }

        [Theory]
        [MemberData(nameof(ByIdReads))]
        public void Ctrl_C_cancels_the_by_id_reads_in_flight_and_starts_no_more(string cmdlet, string path, string idFormat)
        {
            _ps.Connect(_emu);
            DelayGet(path, 5000);
            var ids = Enumerable.Range(1, 20).Select(n => IdOf(idFormat, n)).ToArray();

            // Ctrl+C once the whole window (6) has arrived at the server, not after a guessed time.
            var rec = _ps.RunAndStop(cmdlet + " -Id $ids -ThrottleLimit 6", new Dictionary<string, object?> { ["ids"] = ids },
                _ => _emu.State.Requests.Count >= 6, "the 6 requests of the window to reach the emulator");

            var atEnd = _emu.Requests();
            Assert.NotNull(rec.Stopped);
            Assert.Empty(rec.Output);
            Assert.Equal(6, atEnd.Length); // the window, and nothing started after the stop
            Assert.All(atEnd, r => Assert.False(r.Processed, $"{r} was answered before the command ended"));
            // A probe held as long as they were, sent after them, is answered only once their delays have run out.
            var probe = _emu.ProbeGet(path + IdOf(idFormat, 21));
            var log = _emu.Requests().Where(r => r.Sequence != probe.Sequence).ToArray();
            Assert.True(probe.Processed);
            Assert.Equal(6, log.Length);
            Assert.All(log, r => Assert.False(r.Processed, $"{r} was still waited for"));
        }

        // ------------------------------------------------------------------ errors that stop the command

        [Fact]
        public void A_terminating_error_in_the_window_still_stops_the_command()
        {
            var location = IsolatedLocation("bulk");
            _ps.Connect(_emu.BaseUri, "pit-not-a-token-0000", location);
            var ids = Enumerable.Range(1, 10).Select(Conv).ToArray();

            var rec = _ps.Run("Get-LcConversation -Id $ids -ThrottleLimit 4; 'after'", ("ids", ids));

            Assert.NotNull(rec.Terminating);
            Assert.Equal("ApiUnauthorized", PsResult.ErrorId(rec.Terminating!));
            Assert.DoesNotContain(rec.Output, o => o.ToString() == "after");
            Assert.True(_emu.Requests().Length <= 5, $"{_emu.Requests().Length} requests");
        }

        // ------------------------------------------------------------------ runspaces share the limiter

        /// <summary>
        /// ForEach-Object -Parallel runs each id in its own runspace. The limiter is process-wide (per token, host and
        /// location), so six runspaces together stay under a limit of 10 per second: were each paced alone they would
        /// send six times that.
        /// </summary>
        [Fact]
        public void ForEach_Object_Parallel_shares_one_limiter_across_runspaces()
        {
            _emu.Reset(generousLimit: false);
            _emu.State.RateLimit.Max = 10;
            _emu.State.RateLimit.IntervalMs = 1000;
            var location = IsolatedLocation("bulk");
            _ps.Connect(_emu, Seed.AlphaToken, location, maxRetries: 5);
            var ids = Enumerable.Range(1, 40).Select(i => Conv((i - 1) % Seed.AlphaConversationCount + 1)).ToArray();

            var rec = _ps.Run(
                "$ids | ForEach-Object -ThrottleLimit 6 -Parallel { Import-Module $using:manifest; Get-LcConversation -Id $_ }",
                ("ids", ids), ("manifest", PsSession.ModuleManifest));

            var log = _emu.Requests();
            int refused = log.Count(r => r.StatusCode == 429);
            _out.WriteLine($"{log.Length} requests, {refused} answered 429");
            Assert.Null(rec.Terminating);
            Assert.Empty(rec.Errors); // no 429 reached anyone
            Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), rec.Ids.OrderBy(i => i, StringComparer.Ordinal));
            Assert.True(refused <= 1, $"{refused} requests were refused with 429");
            // The pace was the shared one: 40 requests at 10 per second need at least three further windows after the
            // first, so about 3 s from first to last arrival. Six runspaces paced each on its own would send 60 per second
            // and be done in well under 1 s. A busy machine only stretches this span (a bound on arrival bunching within a
            // second, as before, failed on a loaded machine where transit delays pushed 11 arrivals into 950 ms), so the
            // bound is a lower one, with room for transit jitter.
            var ok = log.Where(r => r.StatusCode == 200).Select(r => r.ReceivedAt).OrderBy(t => t).ToArray();
            var span = ok[ok.Length - 1] - ok[0];
            Assert.True(span >= TimeSpan.FromMilliseconds(2500), $"40 requests arrived within {span.TotalMilliseconds:0} ms: the runspaces did not share one limiter");
        }

        // ------------------------------------------------------------------ streaming

        /// <summary>
        /// While -All streams 400 conversations page by page, the first page's objects, once written and let go by the
        /// script, can be collected: neither the engine nor the cmdlet keeps what it has emitted.
        /// </summary>
        [Fact]
        public void Streaming_does_not_hold_the_objects_it_has_written()
        {
            var location = IsolatedLocation("bulk");
            var token = _emu.State.AddLocation(location, conversations: 400);
            _ps.Connect(_emu.BaseUri, token, location);

            var rec = _ps.Run(@"
$weak = [System.Collections.Generic.List[WeakReference]]::new()
$script:n = 0
$script:alive = -1
Get-LcConversation -All -PageSize 20 | ForEach-Object {
    if ($script:n -lt 20) { $weak.Add([WeakReference]::new($_.PSObject.BaseObject)) }
    if ($script:n -eq 300) {
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $script:alive = @($weak | Where-Object IsAlive).Count
    }
    $script:n++
}
[pscustomobject]@{ Count = $script:n; Alive = $script:alive; Tracked = $weak.Count }");

            Assert.Null(rec.Terminating);
            var result = Assert.Single(rec.Output);
            Assert.Equal(400, Convert.ToInt32(PsResult.Prop(result, "Count")));
            Assert.Equal(20, Convert.ToInt32(PsResult.Prop(result, "Tracked")));
            Assert.Equal(0, Convert.ToInt32(PsResult.Prop(result, "Alive")));
        }
    }
}
